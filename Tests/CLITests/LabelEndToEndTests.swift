import Testing
import Foundation
import Domain
import Store
import TestSupport

/// A session folder for the `recjudge label` end-to-end tests: tag samples in Chinese (one with
/// escape sequences in its output), imported and judged by the real binary.
final class LabelSession {
    let dir: URL
    let binary: String
    static let evilTag = "\u{1B}]0;pwned\u{07}防晒衣\u{1B}[2J\u{1B}[H"

    init(samples: Int = 5, evilFirst: Bool = false, overlapShare: Double = 0) throws {
        binary = try builtProduct("recjudge").path
        dir = try temporaryDirectory(prefix: "label-e2e")
        let rubric = repoRoot.appendingPathComponent("rubrics/tag.yaml").path
        try """
            name: e2e
            store: store.sqlite
            rubrics:
              - \(rubric)
            judges:
              - name: rules
                kind: rules
            assignment:
              overlap: 2
              overlap_share: \(overlapShare)
              lease_minutes: 30
            """.write(to: dir.appendingPathComponent("session.yaml"), atomically: true, encoding: .utf8)
        var lines: [String] = []
        for n in 1...samples {
            let tag = evilFirst && n == 1 ? Self.evilTag : ["儿童防紫外线冰丝防晒衣", "轻量防水登山鞋", "宝宝辅食机蒸煮搅拌一体", "猫咪冻干零食", "北欧风落地灯"][(n - 1) % 5]
            var user = JSONObject()
            user["id"] = .string("u1029")
            user["profile"] = .object(JSONObject([("age", .number("30")), ("city", .string("杭州"))]))
            user["behaviors"] = .array([.object(JSONObject([("time", .string("2025-06-18")), ("type", .string("purchase")),
                                                            ("item", .string("婴儿遮阳帽")), ("category", .string("母婴"))])),
                                        .object(JSONObject([("time", .string("2025-06-19")), ("type", .string("search")),
                                                            ("query", .string("儿童防晒衣"))]))])
            user["interests"] = .array([.string("亲子育儿"), .string("户外徒步")])
            let line = JSONObject([("id", .string("u1029-tag-0\(n)")), ("task", .string("tag")), ("user", .object(user)),
                                   ("output", .object(JSONObject([("tag", .string(tag)), ("interest", .string("亲子育儿")),
                                                                  ("reason", .string("近期购买遮阳帽并搜索防晒衣"))])))])
            lines.append(JSONValue.object(line).serialized())
        }
        let file = dir.appendingPathComponent("samples.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        for argv in [[binary, "import", dir.path, file], [binary, "judge", dir.path, "--judge", "rules"]] {
            let r = try spawnProcess(argv, timeout: 60)
            guard r.status == 0 else { throw LabelTestError("\(argv[1]) failed: \(r.stderr)") }
        }
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    var pidFile: String { dir.appendingPathComponent("label.pid").path }

    /// `recjudge label` in a tmux pane, writing its pid to `pidFile` first.
    func start(in tmux: TmuxSession, annotator: String, width: Int = 80, height: Int = 24,
               extra: [String] = [], env: [String: String] = [:]) throws {
        let args = ([binary, "label", dir.path, "--annotator", annotator, "--task", "tag"] + extra)
            .map { "'\($0)'" }.joined(separator: " ")
        // A keymap file of the person running the tests must not change the keys.
        var env = env
        env["XDG_CONFIG_HOME"] = env["XDG_CONFIG_HOME"] ?? dir.path
        try tmux.start(command: "echo $$ > '\(pidFile)-\(annotator)'; exec \(args)", width: width, height: height, env: env)
    }

    func pid(of annotator: String) throws -> pid_t {
        let text = try String(contentsOfFile: "\(pidFile)-\(annotator)", encoding: .utf8)
        guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw LabelTestError("no pid in \(pidFile)")
        }
        return pid
    }

    func decisions(of annotator: String) throws -> [StoredDecision] {
        let store = try Store(path: dir.appendingPathComponent("store.sqlite").path)
        var out: [StoredDecision] = []
        try store.forEachDecision { if $0.annotator == annotator { out.append($0) } }
        return out
    }
}

struct LabelTestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

@Suite("recjudge label, end to end in tmux", .serialized)
struct LabelEndToEndTests {
    @Test func killedAtAnyMomentItLosesNothingShownAsSaved() throws {
        let session = try LabelSession()
        let tmux = try TmuxSession()
        try session.start(in: tmux, annotator: "alice")
        try tmux.waitFor("up to date")
        try tmux.waitFor("u1029-tag-01")
        try tmux.sendKeys("A")                                  // accept all four, go to sample 2
        try tmux.waitFor("1 saved ✓")
        try tmux.waitFor("u1029-tag-02")
        try tmux.sendKeys("2")                                  // override relevance
        try tmux.waitFor("2 saved ✓")
        try tmux.sendKeys("c")
        try tmux.sendLiteral("修饰词太少，建议具体")
        try tmux.sendKeys("Enter")
        try tmux.waitFor("3 saved ✓")
        try tmux.waitFor("comment saved")
        kill(try session.pid(of: "alice"), SIGKILL)
        #expect(try tmux.waitForExit() == 137)
        tmux.kill()

        let log = try session.decisions(of: "alice")
        #expect(log.count == 5)
        #expect(log.prefix(4).allSatisfy { $0.action == .accept })
        #expect(log.last?.action == .override && log.last?.label == "weak_relevance")
        let store = try Store(path: session.dir.appendingPathComponent("store.sqlite").path)
        let s2 = try #require(try store.sample(id: "u1029-tag-02"))
        #expect(try store.comments(samplePK: s2.pk).map(\.text) == ["修饰词太少，建议具体"])

        let again = try TmuxSession()
        try session.start(in: again, annotator: "alice")
        try again.waitFor("u1029-tag-02")                       // the first unfinished sample
        try again.waitFor("≠ ✗ weak_relevance")
        try again.waitFor("1 comment")
        try again.waitFor("1 done")
        try again.sendKeys("q")
        #expect(try again.waitForExit() == 0)
    }

    @Test func escapeSequencesInASampleLeaveTheTitleAndScreenAlone() throws {
        let session = try LabelSession(evilFirst: true)
        let tmux = try TmuxSession()
        try session.start(in: tmux, annotator: "alice")
        try tmux.waitFor("u1029-tag-01")
        let title = try tmux.paneTitle()
        try tmux.waitFor("␛]0;pwned␇防晒衣␛[2J␛[H")
        let screen = try tmux.capture()
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows.first?.hasPrefix(" recjudge label") == true)
        #expect(rows.count == 24)
        #expect(rows.last?.hasPrefix(" e2e · tag · alice") == true)
        #expect(screen.contains("── dimension"))
        #expect(try tmux.paneTitle() == title)
        #expect(try tmux.paneTitle() != "pwned")
        try tmux.sendKeys("z")                                  // the whole sample, full width
        try tmux.waitFor("Output")
        #expect(try tmux.paneTitle() != "pwned")
        #expect(try tmux.capture().contains("␛]0;pwned␇"))
        try tmux.sendKeys("Escape", "q")
        #expect(try tmux.waitForExit() == 0)
    }

    @Test func resizingRedrawsAndTooSmallSaysSo() throws {
        let session = try LabelSession()
        let tmux = try TmuxSession()
        try session.start(in: tmux, annotator: "alice")
        try tmux.waitFor("u1029-tag-01")
        try tmux.resize(width: 60, height: 20)
        try tmux.waitFor("terminal too small")
        try tmux.waitFor("this one is 60×20")
        try tmux.resize(width: 160, height: 48)
        try tmux.waitFor("── guideline · relevance")               // the wide layout
        try tmux.sendKeys("q")
        #expect(try tmux.waitForExit() == 0)
    }

    @Test func twoAnnotatorsLabelTheSameStoreAtOnce() throws {
        let session = try LabelSession(samples: 4, overlapShare: 1)
        let alice = try TmuxSession(), bob = try TmuxSession()
        try session.start(in: alice, annotator: "alice")
        try session.start(in: bob, annotator: "bob")
        try alice.waitFor("u1029-tag-01")
        try bob.waitFor("u1029-tag-01")
        try alice.sendKeys("2")
        try alice.waitFor("1 saved ✓")
        try bob.sendKeys("A")
        try bob.waitFor("1 saved ✓")
        try bob.sendKeys("p")                                   // back to sample 1: still only bob's own answers
        try bob.waitFor("u1029-tag-01")
        #expect(try !bob.capture().contains("weak_relevance · weakly"))
        try alice.sendKeys("A")
        try alice.waitFor("2 saved ✓")
        try alice.sendKeys("q")
        try bob.sendKeys("q")
        #expect(try alice.waitForExit() == 0)
        #expect(try bob.waitForExit() == 0)
        let aliceLog = try session.decisions(of: "alice")
        #expect(aliceLog.count == 4)
        #expect(aliceLog.first?.label == "weak_relevance" && aliceLog.first?.action == .override)
        #expect(try session.decisions(of: "bob").count == 4)
    }

    @Test func coloursFollowTheOption() throws {
        let session = try LabelSession(samples: 1)
        func sgrParameters(_ screen: String) -> [Int] {
            var out: [Int] = []
            var rest = Substring(screen)
            while let start = rest.range(of: "\u{1B}[") {
                rest = rest[start.upperBound...]
                guard let m = rest.firstIndex(of: "m") else { break }
                out += rest[..<m].split(separator: ";").compactMap { Int($0) }
                rest = rest[rest.index(after: m)...]
            }
            return out
        }
        for (extra, env, allowed) in [([String](), [String: String](), "256"), (["--color", "8"], [:], "8"),
                                      (["--color", "never"], [:], "none"), ([], ["NO_COLOR": "1"], "none")] {
            let tmux = try TmuxSession()
            try session.start(in: tmux, annotator: "alice", extra: extra, env: env)
            try tmux.waitFor("u1029-tag-01")
            let params = sgrParameters(try tmux.captureWithEscapes())
            let colours = params.filter { (30...37).contains($0) || (40...47).contains($0) }
            switch allowed {
            case "256": #expect(!colours.isEmpty)
            case "8": #expect(!colours.isEmpty && !params.contains(38) && !params.contains(48), "\(extra)")
            default: #expect(colours.isEmpty && !params.contains(38) && !params.contains(48), "\(extra) \(env)")
            }
            #expect(params.contains(1) || params.contains(7))       // bold / reverse stay in every mode
            try tmux.sendKeys("q")
            #expect(try tmux.waitForExit() == 0)
        }
    }

    @Test func badInputIsRefusedBeforeTheScreenOpens() throws {
        let session = try LabelSession(samples: 1)
        let bin = session.binary
        let keys = session.dir.appendingPathComponent("bad-keys.yaml").path
        try "bind:\n  accept: a\n  nxet: n\n".write(toFile: keys, atomically: true, encoding: .utf8)
        var r = try spawnProcess([bin, "label", session.dir.path, "--annotator", "alice", "--keys", keys])
        #expect(r.status == 65)
        #expect(r.stderr.contains("bad-keys.yaml:3: bind.nxet: unknown command 'nxet'"), "\(r.stderr)")
        r = try spawnProcess([bin, "label", session.dir.path, "--annotator", "alice", "--task", "nope"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("no task 'nope'"))
        r = try spawnProcess([bin, "label", session.dir.path, "--annotator", "alice", "--judge", "qwen"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("judge 'qwen' has no verdicts for task 'tag'"))
        r = try spawnProcess([bin, "label", session.dir.path, "--annotator", "a\u{1B}b"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--annotator must be a name"))
        r = try spawnProcess([bin, "label", session.dir.path, "--color", "16"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--color takes auto, never, 8 or 256"))
        r = try spawnProcess([bin, "label", session.dir.path, "--annotator", "alice"], env: ["PATH": "/usr/bin:/bin", "TERM": "xterm"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("not a terminal"), "\(r.stderr)")
        r = try spawnProcess([bin, "label", session.dir.path], env: ["PATH": "/usr/bin:/bin"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("give --annotator NAME"))
    }
}
