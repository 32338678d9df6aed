import Foundation
import Domain
import Store
import TerminalKit
import TestSupport
@testable import Workbench

/// A session folder with a store, tag samples imported through the importer and verdicts of
/// a rules judge version, in a temporary directory.
final class TestSession {
    let dir: URL
    let config: SessionConfig
    let store: Store
    private(set) var judge: JudgeShown?

    /// - Parameters:
    ///   - count: tag samples `u1029-tag-01` … (Chinese text).
    ///   - overlap, share: the assignment policy.
    init(count: Int = 6, overlap: Int = 2, share: Double = 0, leaseMinutes: Int = 30,
         outputs: [Int: (tag: String, reason: String)] = [:]) throws {
        dir = try temporaryDirectory(prefix: "wb-session")
        let rubric = repoRoot.appendingPathComponent("rubrics/tag.yaml").path
        let yaml = """
            name: wbtest
            store: store.sqlite
            rubrics:
              - \(rubric)
            judges:
              - name: rules
                kind: rules
            assignment:
              overlap: \(overlap)
              overlap_share: \(share)
              lease_minutes: \(leaseMinutes)
            """
        try yaml.write(to: dir.appendingPathComponent("session.yaml"), atomically: true, encoding: .utf8)
        config = try SessionConfig.load(folder: dir.path)
        store = try Store(path: config.storePath)
        var lines: [String] = []
        for n in 1...count {
            let o = outputs[n]
            let s = Fixtures.sample(n, tag: o?.tag ?? "儿童防紫外线冰丝防晒衣\(n)号", reason: o?.reason ?? "近期购买遮阳帽并搜索防晒衣")
            var line = JSONObject()
            line["id"] = .string(s.id)
            line["task"] = .string("tag")
            line["user"] = .object(s.user)
            line["output"] = .object(s.output)
            line["generator"] = .object(JSONObject([("model", .string("qwen3-14b-sft")), ("round", .number("3"))]))
            lines.append(JSONValue.object(line).serialized())
        }
        let file = dir.appendingPathComponent("samples.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        _ = try Importer(store: store, session: config).importSamples(file: file.path)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    var rubric: Rubric { config.rubrics[0] }

    func pk(_ n: Int) throws -> Int64 {
        guard let s = try store.sample(id: "u1029-tag-\(n < 10 ? "0" : "")\(n)") else { throw StoreError.notFound("sample \(n)") }
        return s.pk
    }

    /// Records the rules judge's verdicts: the fixture verdicts for every sample, with the
    /// given dimensions failed on the given samples.
    @discardableResult
    func judgeAll(failing: [Int: String] = [:]) throws -> JudgeShown {
        let v = JudgeVersion(judge: "rules", kind: "rules", model: nil, task: "tag", rubricVersion: rubric.version, params: ["t": "1"])
        let id = try store.register(v)
        var calls: [(samplePK: Int64, judgeVersionID: Int64, call: JudgeCallInput, verdicts: [VerdictInput])] = []
        for pk in try store.samplePKs(task: "tag") {
            guard let s = try store.sample(pk: pk) else { continue }
            let n = Int(s.sample.id.suffix(2)) ?? 0
            let verdicts = rubric.dimensions.map { d -> VerdictInput in
                if failing[n] == d.key { return VerdictInput(dimension: d.key, label: nil, failure: "reply was not JSON") }
                let f = Fixtures.verdicts[d.key]
                return VerdictInput(dimension: d.key, label: f?.label, rationale: f?.rationale ?? "")
            }
            calls.append((pk, id, JudgeCallInput(ok: true), verdicts))
        }
        try store.recordJudgeCalls(calls)
        let shown = JudgeShown(id: id, judge: "rules", version: v.hash)
        judge = shown
        return shown
    }

    func setup(annotator: String = "alice", blind: Bool = false, batch: Int = 4) -> LabelSetup {
        LabelSetup(session: config.name, task: "tag", annotator: annotator, rubric: rubric, blind: blind, judge: judge,
                   policy: config.assignment, keymap: Keymap(), claimBatch: batch, claimAhead: 1)
    }

    /// The annotator's decisions, oldest first.
    func decisions(of annotator: String) throws -> [StoredDecision] {
        var out: [StoredDecision] = []
        try store.forEachDecision { if $0.annotator == annotator { out.append($0) } }
        return out
    }
}

/// A terminal that replays keys and keeps every frame drawn.
@MainActor
final class ScriptedTerminal: TerminalDevice {
    var size: (width: Int, height: Int)
    var events: [KeyEvent]
    private(set) var frames: [Grid] = []
    private(set) var cursor: (x: Int, y: Int)?
    private(set) var closed = false
    /// Called with each frame as it is drawn (to check the store at that moment).
    var onDraw: ((Grid) -> Void)?

    init(width: Int = 80, height: Int = 24, events: [KeyEvent]) {
        size = (width, height)
        self.events = events
    }

    convenience init(width: Int = 80, height: Int = 24, keys: [String]) {
        self.init(width: width, height: height, events: keys.map { name in
            if name == "<timeout>" { return .timeout }
            return .key((try? Key(name: name)) ?? .char("?"))
        })
    }

    func draw(_ grid: Grid) {
        frames.append(grid)
        onDraw?(grid)
    }

    /// The next scripted event; a resize event changes `size` first, as a real terminal does.
    func readKey(timeoutMilliseconds: Int) -> KeyEvent {
        guard !events.isEmpty else { return .endOfInput }
        let e = events.removeFirst()
        if case .key(.resize(let w, let h)) = e { size = (w, h) }
        return e
    }
    func showCursor(at position: (x: Int, y: Int)) { cursor = position }
    func hideCursor() { cursor = nil }
    func close() { closed = true }

    var lastFrame: String { frames.last?.text ?? "" }
}
