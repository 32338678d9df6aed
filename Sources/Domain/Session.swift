import Foundation

/// A judge as the session names it.
public struct JudgeConfig: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case openai, rules, replay }
    public var name: String
    public var kind: Kind
    public var model: String?
    public var baseURL: String?
    /// Name of the environment variable that holds the API key (never the key itself).
    public var apiKeyEnv: String?
    public var caBundle: String?
    /// Ask for a JSON-schema `response_format` (the server must support it).
    public var jsonSchema: Bool = false
    /// Self-consistency: ask k times and keep the majority label.
    public var samples: Int = 1
    public var temperature: Double?
    public var maxTokens: Int?
    /// Characters of user context the prompt may hold (newest and intentional behaviours first).
    public var contextBudget: Int = 4000
    public var timeout: Double = 120
    public var connectTimeout: Double = 10
    public var concurrency: Int = 8

    public init(name: String, kind: Kind) { self.name = name; self.kind = kind }
}

/// How samples are shared out among annotators.
public struct AssignmentPolicy: Sendable, Equatable {
    /// Annotators per sample on the overlap share (k).
    public var overlap: Int = 2
    /// Share of samples (0…1) that get `overlap` annotators; the rest get one.
    public var overlapShare: Double = 0.2
    /// Minutes a claimed sample stays with an annotator before it returns to the pool.
    public var leaseMinutes: Int = 30
    public init() {}
}

/// `session.yaml`: what a session judges, with which judges, how work is assigned, where the store is.
public struct SessionConfig: Sendable {
    public var name: String
    public var folder: String
    public var storePath: String
    public var rubricPaths: [String]
    public var rubrics: [Rubric]
    public var judges: [JudgeConfig]
    public var assignment: AssignmentPolicy

    public func rubric(for task: String) -> Rubric? { rubrics.first { $0.task == task } }
    public func judge(named name: String) -> JudgeConfig? { judges.first { $0.name == name } }

    public static let fileName = "session.yaml"

    /// Loads `FOLDER/session.yaml` and every rubric it names (paths relative to the folder).
    public static func load(folder: String) throws -> SessionConfig {
        let file = (folder as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file) else {
            throw InputError(file: file, line: nil, message: "no session here (create one with `recjudge init \(folder)`)")
        }
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw InputError(file: file, line: nil, message: "cannot read: \(error.localizedDescription)")
        }
        return try parse(text, file: file, folder: folder)
    }

    public static func parse(_ text: String, file: String, folder: String) throws -> SessionConfig {
        let root = try YAMLNode.load(text, file: file)
        let m = try root.mapping(allowed: ["name", "store", "rubrics", "judges", "assignment"])
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : (folder as NSString).appendingPathComponent(p) }
        let name = try m["name"]?.string() ?? (folder as NSString).lastPathComponent
        let store = resolve(try m["store"]?.string() ?? "store.sqlite")
        guard let rnode = m["rubrics"] else { throw root.error("missing 'rubrics' (a list of rubric files)", field: "rubrics") }
        var paths: [String] = []
        var rubrics: [Rubric] = []
        for r in try rnode.sequence() {
            let p = try r.string()
            let full = resolve(p)
            guard FileManager.default.fileExists(atPath: full) else { throw r.error("rubric file '\(p)' not found (looked at \(full))") }
            let rubric = try Rubric.load(path: full)
            if rubrics.contains(where: { $0.task == rubric.task }) { throw r.error("two rubrics for task '\(rubric.task)'") }
            paths.append(p); rubrics.append(rubric)
        }
        var judges: [JudgeConfig] = []
        for j in try m["judges"]?.sequence() ?? [] {
            let jm = try j.mapping(allowed: ["name", "kind", "model", "base_url", "api_key_env", "ca_bundle", "json_schema",
                                             "samples", "temperature", "max_tokens", "context_budget", "timeout",
                                             "connect_timeout", "concurrency"])
            guard let n = jm["name"], let k = jm["kind"] else { throw j.error("a judge needs 'name' and 'kind'") }
            let kindText = try k.string()
            guard let kind = JudgeConfig.Kind(rawValue: kindText) else {
                throw k.error("unknown judge kind '\(kindText)' (one of: openai, rules, replay)")
            }
            var c = JudgeConfig(name: try n.string(), kind: kind)
            guard c.name.range(of: "^[A-Za-z0-9][A-Za-z0-9_.-]*$", options: .regularExpression) != nil else {
                throw n.error("a judge name is letters, digits, '.', '_' or '-'")
            }
            if judges.contains(where: { $0.name == c.name }) { throw n.error("two judges named '\(c.name)'") }
            c.model = try jm["model"]?.string()
            c.baseURL = try jm["base_url"]?.string()
            c.apiKeyEnv = try jm["api_key_env"]?.string()
            c.caBundle = try jm["ca_bundle"].map { resolve(try $0.string()) }
            c.jsonSchema = try jm["json_schema"]?.bool() ?? false
            c.samples = try jm["samples"]?.int() ?? 1
            c.temperature = try jm["temperature"]?.double()
            c.maxTokens = try jm["max_tokens"]?.int()
            c.contextBudget = try jm["context_budget"]?.int() ?? c.contextBudget
            c.timeout = try jm["timeout"]?.double() ?? c.timeout
            c.connectTimeout = try jm["connect_timeout"]?.double() ?? c.connectTimeout
            c.concurrency = try jm["concurrency"]?.int() ?? c.concurrency
            if c.samples < 1 { throw (jm["samples"] ?? j).error("samples must be at least 1") }
            if kind == .openai {
                guard c.baseURL != nil, c.model != nil else { throw j.error("an openai judge needs 'base_url' and 'model'") }
                if let key = jm["api_key_env"], let env = c.apiKeyEnv, env.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) == nil {
                    throw key.error("api_key_env names an environment variable (e.g. OPENAI_API_KEY), never the key itself")
                }
            }
            judges.append(c)
        }
        var policy = AssignmentPolicy()
        if let a = m["assignment"] {
            let am = try a.mapping(allowed: ["overlap", "overlap_share", "lease_minutes"])
            policy.overlap = try am["overlap"]?.int() ?? policy.overlap
            policy.overlapShare = try am["overlap_share"]?.double() ?? policy.overlapShare
            policy.leaseMinutes = try am["lease_minutes"]?.int() ?? policy.leaseMinutes
            if policy.overlap < 1 { throw (am["overlap"] ?? a).error("overlap must be at least 1") }
            if !(0...1).contains(policy.overlapShare) { throw (am["overlap_share"] ?? a).error("overlap_share is a share between 0 and 1") }
            if policy.leaseMinutes < 1 { throw (am["lease_minutes"] ?? a).error("lease_minutes must be at least 1") }
        }
        return SessionConfig(name: name, folder: folder, storePath: store, rubricPaths: paths, rubrics: rubrics,
                             judges: judges, assignment: policy)
    }

    /// The text of a new session file.
    public static func render(name: String, rubricPaths: [String], store: String = "store.sqlite") -> String {
        """
        # recjudge session: what is judged, by which judges, how work is shared out.
        name: \(name)
        # The session store (SQLite), relative to this folder. Never commit it.
        store: \(store)
        # One rubric per task (paths relative to this folder).
        rubrics:
        \(rubricPaths.map { "  - \($0)" }.joined(separator: "\n"))
        judges:
          # Deterministic offline checks: needs no model.
          - name: rules
            kind: rules
          # An OpenAI-compatible endpoint (vLLM, llama.cpp server, Ollama, a hosted API).
          # - name: qwen-judge
          #   kind: openai
          #   base_url: http://127.0.0.1:8000/v1
          #   model: qwen3-14b
          #   api_key_env: RECJUDGE_API_KEY   # the variable's name, never the key
          #   json_schema: true
          #   samples: 1
          #   concurrency: 16
        assignment:
          overlap: 2          # annotators per sample on the overlap share
          overlap_share: 0.2  # share of samples that get `overlap` annotators; the rest get one
          lease_minutes: 30   # a claimed sample returns to the pool after this long

        """
    }
}

/// What a command says of a task or judge name the session does not know: the name and the
/// names it does know (one wording for every command).
public enum UnknownName {
    public static func task(_ task: String, known: [String]) -> String {
        "no task '\(task)' in this session (tasks: \(known.joined(separator: ", ")))"
    }

    /// `known`: the judges configured in the session or with verdicts in its store.
    public static func judge(_ judge: String, known: [String]) -> String {
        "no judge '\(judge)' in this session or its store (judges: \(known.isEmpty ? "none" : known.joined(separator: ", ")))"
    }
}
