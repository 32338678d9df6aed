import Domain
import Store

/// What one judge call produced for one sample: bookkeeping plus one verdict per dimension
/// (a failed verdict keeps its reason; it never carries a guessed label).
public struct JudgeOutcome: Sendable {
    public var call: JudgeCallInput
    public var verdicts: [VerdictInput]
    /// True when the call itself failed (transport, HTTP, timeout) after retries: nothing is
    /// recorded as a verdict, so a later run asks again.
    public var transportFailure: Bool

    public init(call: JudgeCallInput, verdicts: [VerdictInput], transportFailure: Bool = false) {
        self.call = call; self.verdicts = verdicts; self.transportFailure = transportFailure
    }

    public var failedVerdicts: Int { verdicts.filter { $0.label == nil }.count }
}

/// A judge for one task's rubric.
public protocol Judge: Sendable {
    var config: JudgeConfig { get }
    var rubric: Rubric { get }
    /// The hash of what makes this judge's verdicts differ.
    var version: JudgeVersion { get }
    func judge(_ sample: Sample) async -> JudgeOutcome
    /// Judges a sample read from the store (a judge may reuse what it rendered for the same
    /// user context); by default `judge(stored.sample)`.
    func judge(_ stored: StoredSample) async -> JudgeOutcome
}

extension Judge {
    public func judge(_ stored: StoredSample) async -> JudgeOutcome { await judge(stored.sample) }
}

public enum JudgeSetupError: Error, CustomStringConvertible {
    case missingKey(variable: String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .missingKey(let v): "the environment variable \(v) is not set (it holds the judge's API key)"
        case .unsupported(let m): m
        }
    }
}
