// What an export is asked for: the kind of set, the folder, the filters, the split and the
// rebalancing; and the errors that refuse a request before anything is written.
import Domain

/// The kinds of training set.
public enum ExportKind: String, Sendable, CaseIterable {
    /// Chat `messages` (system, user = the generation prompt, assistant = the output) for
    /// samples whose every dimension finally passes.
    case generatorSFT = "generator-sft"
    /// Chat `messages` (the judge prompt the rubric renders → the final verdict JSON).
    case judgeSFT = "judge-sft"
    /// `prompt`, `chosen`, `rejected`: a passing and a failing output for the same prompt.
    case preference
}

/// How preference pairs are written.
public enum PreferenceFormat: String, Sendable, CaseIterable {
    /// TRL's conversational preference format: `prompt` (system and user messages),
    /// `chosen` and `rejected` (one assistant message each).
    case trl
    /// OpenAI's preference fine-tuning format: `input.messages`, `preferred_output`,
    /// `non_preferred_output`.
    case openai
}

/// One of the three splits.
public enum Split: String, Sendable, CaseIterable {
    case train, dev, test
}

/// Shares of users in train, dev and test. A user's split is a pure function of their id:
/// the first 8 bytes of SHA-256 of the id's UTF-8, read big-endian, as a fraction u of 2⁶⁴
/// (to 53 bits); train when u < train, dev when u < train + dev, else test. So no user is in
/// two splits and a user stays in the same split in every export with the same ratios.
public struct SplitRatios: Sendable, Equatable {
    public var train: Double
    public var dev: Double
    public var test: Double

    public static let standard = SplitRatios(train: 0.9, dev: 0.05, test: 0.05)

    public init(train: Double, dev: Double, test: Double) { self.train = train; self.dev = dev; self.test = test }

    /// Parses "0.9,0.05,0.05" (train, dev, test).
    /// - Throws: `ExportError.invalidOption` unless three shares, none negative, summing to 1.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2] else {
            throw ExportError.invalidOption("--split takes three shares for train, dev and test, e.g. 0.9,0.05,0.05 (got '\(text)')")
        }
        self.init(train: a, dev: b, test: c)
        try validate()
    }

    public func validate() throws {
        guard [train, dev, test].allSatisfy({ $0 >= 0 && $0.isFinite }), abs(train + dev + test - 1) < 1e-9 else {
            throw ExportError.invalidOption("the split shares must be at least 0 and add up to 1 (got \(train), \(dev), \(test))")
        }
    }

    /// The split of a user.
    public func split(userID: String) -> Split {
        var h = SHA256()
        h.update(userID)
        var x: UInt64 = 0
        for b in h.finalize().prefix(8) { x = x << 8 | UInt64(b) }
        let u = Double(x >> 11) / Double(UInt64(1) << 53)
        if u < train { return .train }
        if u < train + dev { return .dev }
        return .test
    }
}

/// RecGPT's rebalancing of judge training data (judge-sft only), within each task:
/// classes are the samples' outcomes (pass, fail) or their final labels on one dimension.
/// With M the largest class in the selected rounds, a class smaller than ⌈M / ratio⌉ is
/// topped up to it with samples of that class from earlier rounds (rounds below the
/// smallest selected one, newest first; needs `--round`); then every class larger than
/// ⌊ratio × m⌋, m the smallest non-empty class after the top-up, is cut down to it keeping
/// the newest (highest round, then latest import).
public struct BalanceOptions: Sendable, Equatable {
    public enum Key: Sendable, Equatable {
        case outcome
        case dimension(String)

        public var name: String {
            switch self {
            case .outcome: "outcome"
            case .dimension(let d): d
            }
        }
    }

    public var by: Key
    /// The most the largest class may outnumber the smallest (≥ 1).
    public var ratio: Double
    /// Whether minority classes may reuse samples from earlier rounds.
    public var reuse: Bool

    public init(by: Key = .outcome, ratio: Double = 1, reuse: Bool = true) {
        self.by = by; self.ratio = ratio; self.reuse = reuse
    }
}

/// Everything an export is asked for.
public struct ExportOptions: Sendable {
    public var kind: ExportKind
    /// The folder to write; created (with its parents) when missing.
    public var out: String
    /// Replace a non-empty `out`.
    public var force = false
    /// Only these tasks (empty: every task of the session).
    public var tasks: [String] = []
    /// Only samples of these generator rounds (empty: every round; no round counts as 0).
    public var rounds: [Int] = []
    /// Only samples in one of these decision states (empty: any).
    public var states: Set<DecisionState> = []
    public var rule = FinalLabelRule()
    /// Leave out samples recorded in earlier exports of the same kind.
    public var excludeExported = false
    /// Leave out samples recorded in these exports.
    public var excludeExports: [Int64] = []
    public var split = SplitRatios.standard
    /// Rebalance judge training data (judge-sft only).
    public var balance: BalanceOptions?
    public var preferenceFormat = PreferenceFormat.trl
    /// Add a `metadata` object (sample ids, task, round) to every line. Not part of the
    /// OpenAI formats: leave it off for OpenAI uploads.
    public var metadata = false
    /// Characters of behaviour history a generation prompt may take.
    public var contextBudget = 4000
    /// The command line, as recorded in the manifest and the store.
    public var command = ""

    public init(kind: ExportKind, out: String) { self.kind = kind; self.out = out }
}

/// A refused export request or a failed export. Nothing is left half-written in either case.
/// Descriptions may quote names from the data: sanitise them before they reach a terminal.
public enum ExportError: Error, Equatable, CustomStringConvertible {
    case invalidOption(String)
    case unknownTask(String, known: [String])
    case unknownJudge(String, known: [String])
    case unknownDimension(String, tasks: [String])
    case outputNotEmpty(String)
    case outputNotAFolder(String)
    case cannotWrite(String, reason: String)
    case nothingToExport(String)
    case unknownExport(Int64)
    case damaged(String)

    public var description: String {
        switch self {
        case .invalidOption(let reason): return reason
        case .unknownTask(let task, let known): return UnknownName.task(task, known: known)
        case .unknownJudge(let judge, let known): return UnknownName.judge(judge, known: known)
        case .unknownDimension(let d, let tasks):
            return "--balance-by \(d): no such dimension in \(tasks.joined(separator: ", ")) (use outcome or a dimension every selected task has)"
        case .outputNotEmpty(let path):
            return "\(path) is not empty: pick another --out, or add --force to replace it"
        case .outputNotAFolder(let path):
            return "\(path) exists and is not a folder"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .nothingToExport(let why):
            return "nothing to export: \(why)"
        case .unknownExport(let id):
            return "no export \(id) in this store (see `recjudge export SESSION --list`)"
        case .damaged(let what):
            return what
        }
    }
}

extension ExportOptions {
    /// The rubrics of the selected tasks, in the session's order.
    /// - Throws: `ExportError` for an unknown task or an invalid option.
    func validated(session: SessionConfig, judges storedJudges: [String]) throws -> [Rubric] {
        try rule.validate()
        try split.validate()
        if out.isEmpty { throw ExportError.invalidOption("--out names the folder to write") }
        if contextBudget < 0 { throw ExportError.invalidOption("--context-budget cannot be negative") }
        for task in tasks where session.rubric(for: task) == nil {
            throw ExportError.unknownTask(task, known: session.rubrics.map(\.task))
        }
        let rubrics = tasks.isEmpty ? session.rubrics : session.rubrics.filter { tasks.contains($0.task) }
        if let judge = rule.judge, session.judge(named: judge) == nil, !storedJudges.contains(judge) {
            throw ExportError.unknownJudge(judge, known: Array(Set(storedJudges + session.judges.map(\.name))).sorted())
        }
        if let balance {
            guard kind == .judgeSFT else {
                throw ExportError.invalidOption("rebalancing (--balance-ratio, --balance-by) applies to judge-sft only")
            }
            guard balance.ratio >= 1, balance.ratio.isFinite else {
                throw ExportError.invalidOption("--balance-ratio is at least 1 (the largest class over the smallest; got \(balance.ratio))")
            }
            if case .dimension(let d) = balance.by, !rubrics.allSatisfy({ $0.dimension(named: d) != nil }) {
                throw ExportError.unknownDimension(d, tasks: rubrics.map(\.task))
            }
        }
        if rounds.contains(where: { $0 < 0 }) { throw ExportError.invalidOption("--round takes whole numbers from 0") }
        return rubrics
    }
}
