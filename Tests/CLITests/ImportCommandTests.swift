import Testing
import Foundation
import Domain
import Store
import TestSupport

/// `recjudge init`, `import`, `judge` and `status` driven as a user would, through the built binary.
@Suite struct ImportCommandTests {
    let bin: String
    let dir: URL
    init() throws {
        bin = try builtProduct("recjudge").path
        dir = try temporaryDirectory(prefix: "cli-import")
    }

    func recjudge(_ args: String..., timeout: Double = 120) throws -> ProcessResult {
        try spawnProcess([bin] + args, env: ["LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"], currentDirectory: dir.path, timeout: timeout)
    }

    func makeSession() throws -> String {
        let r = try spawnProcess([bin, "init", dir.path + "/s", "--rubrics", repoRoot.path + "/rubrics"], timeout: 60)
        #expect(r.status == 0, "\(r.stderr)")
        return dir.path + "/s"
    }

    func tagLines(_ n: Int, user: (Int) -> String = { "u\($0 / 10)" }) -> String {
        (0..<n).map { i in
            #"{"id": "t\#(i)", "task": "tag", "user": {"id": "\#(user(i))", "behaviors": [{"time": "2025-06-01", "type": "search", "query": "跑鞋"}], "interests": ["跑步"]}, "output": {"tag": "轻量缓震跑步鞋\#(i)", "interest": "跑步"}}"#
        }.joined(separator: "\n") + "\n"
    }

    @Test func initWritesASessionThatLoads() throws {
        let s = try makeSession()
        let config = try SessionConfig.load(folder: s)
        #expect(config.rubrics.map(\.task).sorted() == ["explanation", "interest", "tag"])
        #expect(FileManager.default.fileExists(atPath: config.storePath))
        let again = try spawnProcess([bin, "init", s, "--rubrics", repoRoot.path + "/rubrics"])
        #expect(again.status == 65)
        #expect(again.stderr.contains("already exists"))
    }

    @Test func aBadLineIsNamedAndNothingIsImported() throws {
        let s = try makeSession()
        let good = tagLines(3)
        let bad = good + #"{"id": "x", "task": "tag", "user": {"id": "u"}, "output": {"tag": 7}}"# + "\n"
        try bad.write(to: dir.appendingPathComponent("bad.jsonl"), atomically: true, encoding: .utf8)
        let r = try recjudge("import", s, dir.path + "/bad.jsonl")
        #expect(r.status == 65)
        #expect(r.stderr.contains("bad.jsonl:4: output.tag: expected a string, found a number"), "\(r.stderr)")
        #expect(r.stderr.contains("nothing was imported"))
        #expect(try Store(path: SessionConfig.load(folder: s).storePath).sampleCount() == 0)

        let rejects = dir.path + "/rejects.jsonl"
        let k = try recjudge("import", s, dir.path + "/bad.jsonl", "--skip-invalid", "--rejects", rejects)
        #expect(k.status == 0, "\(k.stderr)")
        #expect(k.stdout.contains("3 samples added, 0 unchanged, 1 rejected"))
        #expect(try String(contentsOfFile: rejects, encoding: .utf8).contains(#""line":4"#))
    }

    @Test func escapeSequencesInDataNeverReachTheTerminalRaw() throws {
        let s = try makeSession()
        let line = #"{"id": "e", "task": "tagz\u001b]0;pwned\u0007\u001b[2J", "user": {"id": "u"}, "output": {"tag": "x"}}"#
        try line.write(to: dir.appendingPathComponent("esc.jsonl"), atomically: true, encoding: .utf8)
        let r = try recjudge("import", s, dir.path + "/esc.jsonl")
        #expect(r.status == 65)
        #expect(!r.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(r.stderr)")
        #expect(r.stderr.contains("unknown task 'tagz␛]0;pwned␇␛[2J'"))
    }

    @Test func twoProcessesWritingAtOnceLoseNothing() throws {
        let s = try makeSession()
        try tagLines(3000).write(to: dir.appendingPathComponent("s.jsonl"), atomically: true, encoding: .utf8)
        #expect(try recjudge("import", s, dir.path + "/s.jsonl").status == 0)
        for who in ["alice", "bob"] {
            let labels = (0..<3000).map { #"{"sample": "t\#($0)", "annotator": "\#(who)", "dimension": "specificity", "label": "yes"}"# }
            try labels.joined(separator: "\n").write(to: dir.appendingPathComponent("\(who).jsonl"), atomically: true, encoding: .utf8)
        }
        // A background judge run (many small transactions) and two label imports, all at once.
        let jobs: [[String]] = [["judge", s, "--judge", "rules"], ["import", s, dir.path + "/alice.jsonl", "--labels"],
                                ["import", s, dir.path + "/bob.jsonl", "--labels"]]
        let results = Locked<[Int: ProcessResult]>([:])
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            let r = try? spawnProcess([bin] + jobs[i], env: ["LANG": "C.UTF-8"], timeout: 300)
            results.withLock { $0[i] = r }
        }
        for i in jobs.indices {
            let r = try #require(results.withLock { $0[i] })
            #expect(r.status == 0, "\(jobs[i]): \(r.stderr)")
            #expect(!r.stderr.contains("locked") && !r.stderr.contains("BUSY"))
        }
        let store = try Store(path: SessionConfig.load(folder: s).storePath)
        #expect(try store.decisionCount() == 6000)
        let version = try #require(try store.judgeVersions(judge: "rules").first { $0.task == "tag" })
        var verdicts = 0
        try store.forEachVerdict(judgeVersionID: version.id) { _ in verdicts += 1 }
        #expect(verdicts == 3000 * 4)
    }

    @Test func theHelpListsEverySubcommand() throws {
        let r = try recjudge("--help")
        for sub in ["init", "import", "status", "judge", "label", "review", "stats", "export", "generate", "bench"] {
            #expect(r.stdout.contains("  \(sub) "), "\(sub) missing from --help")
        }
    }
}

/// A value behind a lock, for collecting results from concurrent threads.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.lock(); defer { lock.unlock() }; return body(&value) }
}
