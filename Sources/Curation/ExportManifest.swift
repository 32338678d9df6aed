// manifest.json: what an export holds and how it was made.
import Foundation
import Domain

/// Counts gathered while an export writes its rows (arrays on the hot path, dictionaries
/// for the manifest).
struct ExportTally {
    struct TaskTally {
        var rows = 0
        var splitCounts = [0, 0, 0]
        /// Per dimension position, per label position: labels of the rows written.
        var labels: [[Int]]
        init(_ rubric: Rubric) { labels = rubric.dimensions.map { [Int](repeating: 0, count: $0.labels.count) } }
        var splits: [Split: Int] { ExportTally.bySplit(splitCounts) }
    }

    var scanned = 0
    var rows = 0
    var splitCounts = [0, 0, 0]
    var tasks: [TaskTally]
    private var sourceCounts = [Int](repeating: 0, count: LabelSource.allCases.count)
    /// Rows whose labels all came from humans, all from judges, or from both.
    private var rowSources = [0, 0, 0]
    var rationaleSources: [String: Int] = [:]
    /// Why samples of the selected tasks and rounds were left out, by reason.
    var leftOut: [String: Int] = [:]
    var balance: JSONValue?

    init(rubrics: [Rubric]) { tasks = rubrics.map(TaskTally.init) }

    var splits: [Split: Int] { Self.bySplit(splitCounts) }
    var labelSources: [LabelSource: Int] {
        var out: [LabelSource: Int] = [:]
        for (i, s) in LabelSource.allCases.enumerated() where sourceCounts[i] > 0 { out[s] = sourceCounts[i] }
        return out
    }
    var rowsBySource: [String: Int] {
        var out: [String: Int] = [:]
        for (i, k) in ["human", "judge", "mixed"].enumerated() where rowSources[i] > 0 { out[k] = rowSources[i] }
        return out
    }

    static func bySplit(_ counts: [Int]) -> [Split: Int] {
        var out: [Split: Int] = [:]
        for (i, s) in Split.allCases.enumerated() where counts[i] > 0 { out[s] = counts[i] }
        return out
    }

    /// Counts one row of task `t` with its final labels (nil for a dimension without one).
    mutating func add(task t: Int, split: Split, labels: some Collection<FinalLabel?>) {
        let s = split == .train ? 0 : split == .dev ? 1 : 2
        rows += 1
        splitCounts[s] += 1
        tasks[t].rows += 1
        tasks[t].splitCounts[s] += 1
        countLabels(task: t, labels: labels)
    }

    /// Counts the labels of a sample written into a row (a pair writes two samples).
    mutating func countLabels(task t: Int, labels: some Collection<FinalLabel?>) {
        var human = false, judge = false
        for (d, l) in labels.enumerated() {
            guard let l else { continue }
            tasks[t].labels[d][l.label] += 1
            sourceCounts[l.source.position] += 1
            if l.source == .judge { judge = true } else { human = true }
        }
        rowSources[human && judge ? 2 : judge ? 1 : 0] += 1
    }
}

/// The parts of a manifest that are not counts.
struct ManifestContext {
    var exportID: Int64
    var kind: ExportKind
    var format: String
    var session: String
    var command: String
    var createdAt: Date
    var files: [Split: String]
    var options: ExportOptions
    var rubrics: [Rubric]
    var rubricPaths: [String: String]
    var trust: JudgeTrust
    var judgePrompt: JSONValue?
    var sourceHash: String
    var decisionsThrough: Int64
}

enum ExportManifest {
    static let schema = "recjudge.export/1"

    /// The manifest as an ordered JSON object. Keys, in order: schema, export_id, kind, format,
    /// session, created_at (ISO 8601 UTC), command, files (split → file name; empty splits have
    /// none), counts {rows, splits, tasks {task: {rows, splits, labels {dimension: {label: n}}}}},
    /// label_sources (dimension labels in the rows by source), rows_by_source (human, judge,
    /// mixed), rationale_sources (judge-sft), left_out (reason → samples), filters, split,
    /// balance (judge-sft with rebalancing, else null), rubrics, judges (measured agreement
    /// and trust per task, dimension and version), judge_prompt (judge-sft), source.
    static func json(_ c: ManifestContext, _ t: ExportTally) -> JSONValue {
        func counts(_ d: [Split: Int]) -> JSONValue {
            .object(JSONObject(Split.allCases.map { ($0.rawValue, .int(d[$0] ?? 0)) }))
        }
        var tasks = JSONObject()
        for (i, rubric) in c.rubrics.enumerated() {
            var labels = JSONObject()
            for (d, dim) in rubric.dimensions.enumerated() {
                labels[dim.key] = .object(JSONObject(dim.labels.enumerated().map { ($1.key, .int(t.tasks[i].labels[d][$0])) }))
            }
            tasks[rubric.task] = .object(JSONObject([("rows", .int(t.tasks[i].rows)), ("splits", counts(t.tasks[i].splits)),
                                                     ("labels", .object(labels))]))
        }
        let o = c.options
        let rule = o.rule
        let filters = JSONObject([
            ("tasks", .array(c.rubrics.map { .string($0.task) })),
            ("rounds", o.rounds.isEmpty ? .null : .array(o.rounds.map { .int($0) })),
            ("states", o.states.isEmpty ? .null : .array(DecisionState.allCases.filter { o.states.contains($0) }.map { .string($0.rawValue) })),
            ("exclude_exported", .bool(o.excludeExported)),
            ("exclude_exports", .array(o.excludeExports.map { .number(String($0)) })),
            ("min_agreement", .double(rule.consensus.minimumAgreement)),
            ("min_annotators", .int(rule.consensus.minimumAnnotators)),
            ("adjudication_decides", .bool(rule.consensus.adjudicationDecides)),
            ("trust_judge", rule.trustJudge.map { .double($0) } ?? .null),
            ("min_human", .int(rule.minHuman)),
            ("trust_on", .string(rule.trustOn.rawValue)),
            ("judge", rule.judge.map { .string($0) } ?? .null),
            ("contested", .string(rule.contested.rawValue)),
        ])
        let split = JSONObject([
            ("method", .string("sha256(user id): first 8 bytes big-endian as a fraction of 2^64; train below the train share, dev below train + dev, else test")),
            ("ratios", .object(JSONObject([("train", .double(o.split.train)), ("dev", .double(o.split.dev)), ("test", .double(o.split.test))]))),
        ])
        var rubrics = JSONObject()
        for r in c.rubrics {
            rubrics[r.task] = .object(JSONObject([("version", .int(r.version)), ("fingerprint", .string(r.fingerprint)),
                                                  ("file", .string(c.rubricPaths[r.task] ?? ""))]))
        }
        let judges: [JSONValue] = c.trust.entries.map { e in
            .object(JSONObject([
                ("task", .string(e.task)), ("dimension", .string(e.dimension)), ("judge", .string(e.judge)),
                ("version", .string(e.version)), ("kind", .string(e.kind)), ("model", e.model.map { .string($0) } ?? .null),
                ("rubric_version", .int(e.rubricVersion)), ("measured", .bool(e.measured)),
                ("compared", e.measured ? .int(e.compared) : .null),
                ("agreement", e.agreement.map { .double($0) } ?? .null), ("trusted", .bool(e.trusted)),
            ]))
        }
        func tallies(_ d: [String: Int], order: [String]) -> JSONValue {
            let keys = order.filter { d[$0] != nil } + d.keys.filter { !order.contains($0) }.sorted()
            return .object(JSONObject(keys.map { ($0, .int(d[$0] ?? 0)) }))
        }
        return .object(JSONObject([
            ("schema", .string(schema)),
            ("export_id", .number(String(c.exportID))),
            ("kind", .string(c.kind.rawValue)),
            ("format", .string(c.format)),
            ("session", .string(c.session)),
            ("created_at", .string(iso8601(c.createdAt))),
            ("command", .string(c.command)),
            ("files", .object(JSONObject(Split.allCases.compactMap { s in c.files[s].map { (s.rawValue, .string($0)) } }))),
            ("counts", .object(JSONObject([("rows", .int(t.rows)), ("splits", counts(t.splits)), ("tasks", .object(tasks))]))),
            ("label_sources", tallies(Dictionary(uniqueKeysWithValues: t.labelSources.map { ($0.rawValue, $1) }),
                                      order: LabelSource.allCases.map(\.rawValue))),
            ("rows_by_source", tallies(t.rowsBySource, order: ["human", "judge", "mixed"])),
            ("rationale_sources", c.kind == .judgeSFT ? tallies(t.rationaleSources, order: ["human", "judge", "label_text"]) : .null),
            ("left_out", tallies(t.leftOut, order: [])),
            ("filters", .object(filters)),
            ("split", .object(split)),
            ("balance", t.balance ?? .null),
            ("rubrics", .object(rubrics)),
            ("judges", .array(judges)),
            ("judge_prompt", c.judgePrompt ?? .null),
            ("source", .object(JSONObject([
                ("samples_scanned", .int(t.scanned)),
                ("decisions_through", .number(String(c.decisionsThrough))),
                ("hash", .string(c.sourceHash)),
                ("hash_method", .string("MurmurHash3 x64 128 over each written sample's id, content hash and final labels, in file order")),
            ]))),
        ]))
    }

    static func iso8601(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}

extension JSONValue {
    static func int(_ n: Int) -> JSONValue { .number(String(n)) }

    /// A finite double as the shortest text that reads back equal; non-finite becomes null.
    static func double(_ x: Double) -> JSONValue { x.isFinite ? .number("\(x)") : .null }

    /// Indented JSON (two spaces), keys in their order, for files people read.
    func pretty(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .array(let a) where !a.isEmpty:
            return "[\n" + a.map { inner + $0.pretty(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let o) where !o.isEmpty:
            return "{\n" + o.entries.map { k, v in inner + JSONValue.string(k).serialized() + ": " + v.pretty(indent: inner) }
                .joined(separator: ",\n") + "\n" + indent + "}"
        default:
            return serialized()
        }
    }
}
