// The export tests' harness (no tests here): a throwaway session with the shipped rubrics and
// a replay judge, data brought in through the importer, and a JSON Lines reader that parses
// every line with the project's strict JSON parser.
import Foundation
import TestSupport
import Testing
import Domain
import Store
@testable import Curation

/// The shipped tag rubric's dimensions and their passing and failing labels.
let tagDimensions: [(key: String, pass: String, fail: String)] = [
    ("relevance", "yes", "weak_relevance"), ("consistency", "yes", "low_consistency"),
    ("specificity", "yes", "low_specificity"), ("validity", "yes", "invalid_tag"),
]

/// One human decision to import.
struct HumanLabel {
    var sample: String
    var annotator: String
    var dimension: String
    var label: String
    var comment: String? = nil
    var time: Double? = nil
    var lead = false
}

final class ExportFixture {
    let folder: String
    let config: SessionConfig
    let store: Store
    private var files = 0

    static let repoRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    init(judges: [String] = ["ext"]) throws {
        folder = try temporaryDirectory(prefix: "export").path
        let rubrics = ["interest", "tag", "explanation"].map { Self.repoRoot.appendingPathComponent("rubrics/\($0).yaml").path }
        let yaml = """
        name: export-test
        rubrics:
        \(rubrics.map { "  - \($0)" }.joined(separator: "\n"))
        judges:
        \(judges.map { "  - {name: \($0), kind: replay}" }.joined(separator: "\n"))

        """
        try yaml.write(toFile: folder + "/session.yaml", atomically: true, encoding: .utf8)
        config = try SessionConfig.load(folder: folder)
        store = try Store(path: config.storePath)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    private func write(_ lines: [String]) throws -> String {
        files += 1
        let path = folder + "/in-\(files).jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A tag sample line. Users have a private profile field (phone) that prompts must withhold.
    static func tagLine(_ id: String, user: String, round: Int? = nil, tag: String? = nil) -> String {
        let generator = round.map { #", "generator": {"model": "gen-secret-model", "round": \#($0)}"# } ?? ""
        return #"{"id": "\#(id)", "task": "tag", "user": {"id": "\#(user)", "profile": {"age": 30, "city": "杭州", "phone": "13800001111"}, "#
            + #""behaviors": [{"time": "2025-06-01", "type": "search", "query": "跑鞋"}, {"time": "2025-06-02", "type": "purchase", "item": "运动袜", "category": "运动"}], "#
            + #""interests": ["跑步"]}, "output": {"tag": "\#(tag ?? "轻量缓震跑步鞋-\(id)")", "interest": "跑步", "reason": "近期搜索跑鞋"}\#(generator)}"#
    }

    func addSamples(_ lines: [String]) throws {
        let report = try Importer(store: store, session: config).importSamples(file: try write(lines))
        #expect(report.added == lines.count, "samples imported")
    }

    /// Tag samples (id, user, round).
    func addTags(_ specs: [(String, String, Int?)]) throws {
        try addSamples(specs.map { Self.tagLine($0.0, user: $0.1, round: $0.2) })
    }

    func label(_ rows: [HumanLabel]) throws {
        let lines = rows.map { r -> String in
            var o = JSONObject([("sample", .string(r.sample)), ("annotator", .string(r.annotator)),
                                ("dimension", .string(r.dimension)), ("label", .string(r.label))])
            if let c = r.comment { o["comment"] = .string(c) }
            if let t = r.time { o["time"] = .number(String(t)) }
            if r.lead { o["role"] = .string("lead") }
            return JSONValue.object(o).serialized()
        }
        _ = try Importer(store: store, session: config).importLabels(file: try write(lines))
    }

    /// Labels every tag dimension of `sample`: passing unless named in `fail` (or given in `labels`).
    func labelTag(_ sample: String, by annotator: String, fail: Set<String> = [], labels: [String: String] = [:],
                  comment: [String: String] = [:], time: Double? = nil, lead: Bool = false) throws {
        try label(tagDimensions.map { d in
            HumanLabel(sample: sample, annotator: annotator, dimension: d.key,
                       label: labels[d.key] ?? (fail.contains(d.key) ? d.fail : d.pass), comment: comment[d.key], time: time, lead: lead)
        })
    }

    /// A replay judge's verdicts on every tag dimension of `sample`.
    func judgeTag(_ sample: String, judge: String = "ext", fail: Set<String> = [], rationale: String = "") throws {
        let lines = tagDimensions.map { d in
            JSONValue.object(JSONObject([("sample", .string(sample)), ("dimension", .string(d.key)),
                                         ("label", .string(fail.contains(d.key) ? d.fail : d.pass)),
                                         ("rationale", .string(rationale.isEmpty ? "" : "\(rationale) (\(d.key))"))])).serialized()
        }
        _ = try Importer(store: store, session: config).importVerdicts(file: try write(lines), judge: judge)
    }

    func pk(_ sample: String) throws -> Int64 { try #require(try store.sample(id: sample)).pk }

    /// Runs an export into a new folder under the fixture (or `out`).
    @discardableResult
    func export(_ kind: ExportKind, out: String? = nil, _ configure: (inout ExportOptions) -> Void = { _ in }) throws -> ExportResult {
        var options = ExportOptions(kind: kind, out: out ?? folder + "/out-\(UUID().uuidString.prefix(6))")
        options.command = "test"
        configure(&options)
        return try Exporter(store: store, session: config, options: options, judgePrompts: StubJudgePrompts()).run()
    }
}

/// A judge prompt that names the sample, so tests can tell rows apart.
struct StubJudgePrompts: JudgePromptSource {
    func makeWriter(rubrics: [Rubric]) -> any JudgeMessageWriter { Writer(rubrics: rubrics) }

    final class Writer: JudgeMessageWriter {
        let rubrics: [Rubric]

        init(rubrics: [Rubric]) { self.rubrics = rubrics }

        func appendMessages(task: Int, contextID: Int64, body: UnsafeBufferPointer<UInt8>,
                            context: (inout [UInt8]) throws -> Void, sample: () throws -> Sample, to out: inout [UInt8]) throws {
            let rubric = rubrics[task]
            let sample = try sample()
            out.append(contentsOf: #"{"role":"system","content":"#.utf8)
            JSONEscape.append("judge \(rubric.task) v\(rubric.version)", to: &out)
            out.append(contentsOf: #"},{"role":"user","content":"#.utf8)
            JSONEscape.append("grade \(sample.id): " + JSONValue.object(sample.output).serialized(), to: &out)
            out.append(UInt8(ascii: "}"))
        }
    }
    var manifestDescription: JSONObject { JSONObject([("renderer", .string("stub"))]) }
}

/// Every line of a JSON Lines file, each parsed with the strict parser as one object.
func readJSONLines(_ path: String) throws -> [JSONObject] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.isEmpty || text.hasSuffix("\n"), "\(path) ends with a newline")
    return try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated().map { i, line in
        #expect(!line.isEmpty, "\(path):\(i + 1) is blank")
        guard case .object(let o) = try JSONParser.parse(String(line)) else {
            Issue.record("\(path):\(i + 1) is not a JSON object")
            return JSONObject()
        }
        return o
    }
}

/// The lines of every split file of an export folder, by split name.
func readExport(_ out: String) throws -> [String: [JSONObject]] {
    var sets: [String: [JSONObject]] = [:]
    for split in ["train", "dev", "test"] {
        let path = out + "/\(split).jsonl"
        if FileManager.default.fileExists(atPath: path) { sets[split] = try readJSONLines(path) }
    }
    return sets
}

/// The manifest of an export folder.
func readManifest(_ out: String) throws -> JSONValue {
    try JSONParser.parse(try String(contentsOfFile: out + "/manifest.json", encoding: .utf8))
}

/// A JSON value's type as the Hugging Face JSON loader (pyarrow) would infer it: objects by
/// their keys, arrays by their element type.
func arrowType(_ v: JSONValue) -> String {
    switch v {
    case .null: return "null"
    case .bool: return "bool"
    case .number(let n): return n.contains(".") || n.contains("e") || n.contains("E") ? "double" : "int"
    case .string: return "string"
    case .array(let a):
        let types = Set(a.map(arrowType))
        return "list<" + types.sorted().joined(separator: "|") + ">"
    case .object(let o): return "struct<" + o.entries.map { "\($0):\(arrowType($1))" }.joined(separator: ",") + ">"
    }
}

/// Checks what the Hugging Face JSON loader needs of a file: one object per line, the same
/// keys and the same value types on every line. Returns the shared type.
@discardableResult
func expectUniformRows(_ rows: [JSONObject], sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    let types = Set(rows.map { arrowType(.object($0)) })
    #expect(types.count <= 1, "rows differ in keys or types: \(types.sorted())", sourceLocation: sourceLocation)
    return types.first
}

/// Checks the OpenAI chat fine-tuning shape of one `messages` array: objects with a role
/// (system, user or assistant) and a string content, the last one from the assistant.
func expectChat(_ messages: JSONValue?, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let list = messages?.array, !list.isEmpty else {
        Issue.record("messages is not a non-empty array", sourceLocation: sourceLocation)
        return
    }
    for m in list {
        guard let o = m.object else { Issue.record("a message is not an object", sourceLocation: sourceLocation); continue }
        #expect(Set(o.keys) == ["role", "content"], "message keys \(o.keys)", sourceLocation: sourceLocation)
        #expect(["system", "user", "assistant"].contains(o["role"]?.string ?? ""), sourceLocation: sourceLocation)
        #expect(o["content"]?.string != nil, "content is a string", sourceLocation: sourceLocation)
    }
    #expect(list.last?.object?["role"]?.string == "assistant", sourceLocation: sourceLocation)
}
