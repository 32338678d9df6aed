/// What makes a judge's verdicts differ. Its hash is the judge version: statistics are
/// always per judge version, and a judge run only asks for verdicts its version lacks.
public struct JudgeVersion: Sendable, Equatable {
    public var judge: String
    public var kind: String
    public var model: String?
    public var task: String
    public var rubricVersion: Int
    /// Everything else that changes answers: rubric fingerprint (prompt, labels), temperature,
    /// samples, context budget … as sorted `key=value` pairs.
    public var params: [String: String]

    public init(judge: String, kind: String, model: String?, task: String, rubricVersion: Int, params: [String: String]) {
        self.judge = judge; self.kind = kind; self.model = model; self.task = task
        self.rubricVersion = rubricVersion; self.params = params
    }

    public var paramsText: String { params.keys.sorted().map { "\($0)=\(params[$0]!)" }.joined(separator: "\n") }

    /// 16 hex digits of SHA-256 over (kind, model, task, rubric version, parameters).
    /// The judge's name is not part of it: renaming a judge keeps its history.
    public var hash: String {
        String(SHA256.hex(["kind=\(kind)", "model=\(model ?? "")", "task=\(task)", "rubric=\(rubricVersion)", paramsText]
            .joined(separator: "\n")).prefix(16))
    }
}
