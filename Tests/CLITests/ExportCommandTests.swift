import Testing
import Foundation
import Domain
import Judges
import Curation
import Store
import TestSupport
@testable import RecJudgeCLI

/// `recjudge export` driven as a user would, through the built binary; the files are read
/// back with the project's JSON parser, line by line.
@Suite final class ExportCommandTests {
    struct NotAnObject: Error { let line: String }

    let bin: String
    let dir: URL
    init() throws {
        bin = try builtProduct("recjudge").path
        dir = try temporaryDirectory(prefix: "cli-export")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func recjudge(_ args: String..., timeout: Double = 300) throws -> ProcessResult {
        try spawnProcess([bin] + args, env: ["LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"], currentDirectory: dir.path, timeout: timeout)
    }

    /// A session with 12 tag samples of 6 users, labelled by alice (t3 fails specificity, t11 is unlabelled).
    func makeSession() throws -> String {
        let s = dir.path + "/s"
        let r = try spawnProcess([bin, "init", s, "--rubrics", repoRoot.path + "/rubrics"], timeout: 60)
        #expect(r.status == 0, "\(r.stderr)")
        let samples = (0..<12).map { i in
            #"{"id": "t\#(i)", "task": "tag", "user": {"id": "u\#(i / 2)", "behaviors": [{"time": "2025-06-01", "type": "search", "query": "跑鞋"}], "interests": ["跑步"]}, "output": {"tag": "轻量缓震跑步鞋\#(i)", "interest": "跑步", "reason": "搜索跑鞋"}}"#
        }
        try (samples.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("samples.jsonl"), atomically: true, encoding: .utf8)
        #expect(try recjudge("import", s, "samples.jsonl").status == 0)
        var labels: [String] = []
        for i in 0..<11 {
            for d in ["relevance", "consistency", "specificity", "validity"] {
                let label = i == 3 && d == "specificity" ? "low_specificity" : "yes"
                let comment = i == 3 && d == "specificity" ? #", "comment": "太宽泛""# : ""
                labels.append(#"{"sample": "t\#(i)", "annotator": "alice", "dimension": "\#(d)", "label": "\#(label)"\#(comment)}"#)
            }
        }
        try (labels.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("labels.jsonl"), atomically: true, encoding: .utf8)
        #expect(try recjudge("import", s, "labels.jsonl", "--labels").status == 0)
        return s
    }

    func lines(_ path: String) throws -> [JSONObject] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard case .object(let o) = try JSONParser.parse(String(line)) else { throw NotAnObject(line: String(line)) }
            return o
        }
    }

    func rows(_ out: String) throws -> [String: [JSONObject]] {
        var sets: [String: [JSONObject]] = [:]
        for split in ["train", "dev", "test"] where FileManager.default.fileExists(atPath: "\(out)/\(split).jsonl") {
            sets[split] = try lines("\(out)/\(split).jsonl")
        }
        return sets
    }

    @Test func judgeSFTRowsAreOpenAIChatWithTheRubricsJudgePrompt() throws {
        let s = try makeSession()
        let r = try recjudge("export", s, "--kind", "judge-sft", "--out", "sets/judge", "--metadata")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("export 1: judge-sft, 11 rows ("), "\(r.stdout)")
        #expect(r.stdout.contains("final labels by source: single 44"))
        #expect(r.stdout.contains("left out: no final label 1"))
        let out = dir.path + "/sets/judge"
        let tag = try Rubric.load(path: repoRoot.path + "/rubrics/tag.yaml")
        var seen: [String] = []
        for (_, list) in try rows(out) {
            for row in list {
                #expect(Set(row.keys) == ["messages", "metadata"])
                let messages = row["messages"]?.array ?? []
                #expect(messages.map { $0[path: "role"]?.string ?? "" } == ["system", "user", "assistant"])
                #expect(messages.allSatisfy { $0.object?.keys == ["role", "content"] && $0[path: "content"]?.string != nil })
                #expect(messages[0][path: "content"]?.string == tag.judge.system)
                let id = row["metadata"]?[path: "sample_id"]?.string ?? ""
                seen.append(id)
                let user = messages[1][path: "content"]?.string ?? ""
                #expect(user.contains("Predicted tag: 轻量缓震跑步鞋\(id.dropFirst())"), "the rendered judge prompt for \(id)")
                #expect(user.contains("Does the tag serve the interest it was generated for?"))
                let verdict = try JSONParser.parse(messages[2][path: "content"]?.string ?? "")
                #expect(verdict.object?.keys == tag.dimensions.map(\.key))
                if id == "t3" {
                    #expect(verdict[path: "specificity.label"]?.string == "low_specificity")
                    #expect(verdict[path: "specificity.rationale"]?.string == "太宽泛")
                }
            }
        }
        #expect(seen.sorted() == (0..<11).map { "t\($0)" }.sorted())
        let manifest = try JSONParser.parse(try String(contentsOfFile: out + "/manifest.json", encoding: .utf8))
        #expect(manifest[path: "command"]?.string == "recjudge export \(s) --kind judge-sft --out sets/judge --metadata")
        #expect(manifest[path: "counts.rows"]?.int == 11)
        #expect(manifest[path: "judge_prompt.context_budget"]?.int == 4000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/sets") == ["judge"])
    }

    @Test func badRequestsGetClearErrorsAndLeaveNothingBehind() throws {
        let s = try makeSession()
        let before = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        let unknown = try recjudge("export", s, "--kind", "generator-sft", "--out", "x", "--task", "tags")
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("no task 'tags' in this session (tasks: explanation, interest, tag)"))
        let nothing = try recjudge("export", s, "--kind", "generator-sft", "--out", "x", "--round", "4")
        #expect(nothing.status == 65)
        #expect(nothing.stderr.contains("nothing to export: no samples of explanation, interest, tag in round(s) 4"), "\(nothing.stderr)")
        let kind = try recjudge("export", s, "--kind", "sft", "--out", "x")
        #expect(kind.status != 0)
        #expect(kind.stderr.contains("--kind takes generator-sft, judge-sft or preference"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == before, "no folder, no staging left")

        try FileManager.default.createDirectory(atPath: dir.path + "/busy", withIntermediateDirectories: true)
        try "mine".write(toFile: dir.path + "/busy/a.txt", atomically: true, encoding: .utf8)
        let busy = try recjudge("export", s, "--kind", "judge-sft", "--out", "busy")
        #expect(busy.status == 65)
        #expect(busy.stderr.contains("busy is not empty: pick another --out, or add --force to replace it"))
        let forced = try recjudge("export", s, "--kind", "judge-sft", "--out", "busy", "--force")
        #expect(forced.status == 65, "--force replaces only an earlier export")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/busy") == ["a.txt"])
        let list = try recjudge("export", s, "--list")
        #expect(list.stdout.contains("no exports recorded yet"))
    }

    @Test func listAndShowReportWhatEachExportTookAndTheAgreementBehindIt() throws {
        let s = try makeSession()
        #expect(try recjudge("export", s, "--kind", "generator-sft", "--out", "gen").status == 0)
        #expect(try recjudge("export", s, "--kind", "preference", "--out", "pref").status == 0)
        let list = try recjudge("export", s, "--list")
        #expect(list.status == 0)
        #expect(list.stdout.contains("   1  generator-sft       10  "), "\(list.stdout)")
        #expect(list.stdout.contains("   2  preference           1  "), "\(list.stdout)")
        let listed = try JSONParser.parse(try recjudge("export", s, "--list", "--json").stdout)
        #expect(listed.array?.map { $0[path: "kind"]?.string ?? "" } == ["generator-sft", "preference"])
        #expect(listed.array?.last?[path: "samples"]?.int == 2, "a pair records both samples")

        let show = try recjudge("export", s, "--show", "1")
        #expect(show.status == 0)
        #expect(show.stdout.contains("export 1: generator-sft"))
        #expect(show.stdout.contains("tag / specificity: 10 labels (single 10)"), "\(show.stdout)")
        #expect(show.stdout.contains("humans: 10 samples labelled, 0 by 2+"))
        let json = try JSONParser.parse(try recjudge("export", s, "--show", "1", "--json").stdout)
        #expect(json[path: "samples"]?.int == 10)
        #expect(json[path: "manifest.kind"]?.string == "generator-sft")
        let missing = try recjudge("export", s, "--show", "9")
        #expect(missing.status == 65)
        #expect(missing.stderr.contains("no export 9 in this store"))

        // A later round leaves out what was already trained on.
        let again = try recjudge("export", s, "--kind", "generator-sft", "--out", "gen2", "--exclude-exported")
        #expect(again.status == 65)
        #expect(again.stderr.contains("10 excluded exported"), "\(again.stderr)")
    }

    @Test func usersKeepTheirSplitFromOneExportToTheNext() throws {
        let s = try makeSession()
        #expect(try recjudge("export", s, "--kind", "judge-sft", "--out", "a", "--metadata", "--split", "0.5,0.25,0.25").status == 0)
        #expect(try recjudge("export", s, "--kind", "generator-sft", "--out", "b", "--metadata", "--split", "0.5,0.25,0.25").status == 0)
        func membership(_ out: String) throws -> [String: String] {
            var m: [String: String] = [:]
            for (split, list) in try rows(dir.path + "/" + out) {
                for row in list { m[row["metadata"]?[path: "sample_id"]?.string ?? "?"] = split }
            }
            return m
        }
        let a = try membership("a"), b = try membership("b")
        #expect(a.count == 11 && b.count == 10)
        for (sample, split) in b { #expect(a[sample] == split, "\(sample) changed split") }
        for i in stride(from: 0, to: 10, by: 2) where a["t\(i)"] != nil && a["t\(i + 1)"] != nil {
            #expect(a["t\(i)"] == a["t\(i + 1)"], "the two samples of user u\(i / 2) share a split")
        }
        let bad = try recjudge("export", s, "--kind", "judge-sft", "--out", "c", "--split", "0.5,0.5")
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("--split takes three shares"))
    }

    @Test func theBenchmarkRunsOnASmallStore() throws {
        let r = try recjudge("bench", "export", "200", "--rubrics", repoRoot.path + "/rubrics", "--kinds", "judge-sft,preference")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("judge-sft: ") && r.stdout.contains(" rows ("), "\(r.stdout)")
        #expect(r.stdout.contains("rows/s"))
        #expect(r.stdout.contains("preference: "))
    }
}

/// The export's judge prompts are exactly what `recjudge judge` sends, however many samples
/// share a context and whatever their texts hold.
@Suite struct ExportJudgePromptTests {
    /// The messages a thread's writer appends, read back as JSON: (system, user). The writer
    /// gets the body and the context as the store keeps them (or `body`, `stored`), and the
    /// sample only when it asks; `reads` counts what it asked for.
    func messages(_ writer: any JudgeMessageWriter, _ sample: Sample, task: Int, context: Int, body: String? = nil,
                  stored: String? = nil, reads: inout (decodes: Int, contexts: Int)) throws -> (String, String) {
        var bytes = Array("[".utf8)
        let storedContext = Array((stored ?? JSONValue.object(sample.user).serialized(canonical: true)).utf8)
        var decodes = 0, contexts = 0
        try Array((body ?? sample.bodyJSON()).utf8).withUnsafeBufferPointer { b in
            try writer.appendMessages(task: task, contextID: Int64(context), body: b,
                                      context: { contexts += 1; $0.append(contentsOf: storedContext) },
                                      sample: { decodes += 1; return sample }, to: &bytes)
        }
        reads.decodes += decodes; reads.contexts += contexts
        bytes.append(UInt8(ascii: "]"))
        let list = try #require(try JSONParser.parse(String(decoding: bytes, as: UTF8.self)).array)
        #expect(list.count == 2)
        let roles = list.map { $0.object?["role"]?.string }
        #expect(roles == ["system", "user"])
        return (list[0].object?["content"]?.string ?? "", list[1].object?["content"]?.string ?? "")
    }

    @Test func eachThreadsWriterEqualsThePromptRenderer() throws {
        let rubric = try Rubric.load(path: repoRoot.path + "/rubrics/tag.yaml")
        let explanation = try Rubric.load(path: repoRoot.path + "/rubrics/explanation.yaml")
        let odd = ["跑步", "a \"quoted\" word", "line\nbreak\ttab\\", "ctl\u{1}\u{7F}", "🏃‍♀️é"]
        func user(_ n: Int) -> JSONObject {
            JSONObject([("id", .string("u\(n)")), ("profile", .object(JSONObject([("city", .string("杭州\(n) " + odd[n % odd.count]))]))),
                        ("behaviors", .array((0..<n).map { k in .object(JSONObject([("time", .string("2025-06-0\(k % 9 + 1)")),
                                                                                    ("type", .string(k % 2 == 0 ? "search" : "click")),
                                                                                    ("query", .string("跑鞋\(k)" + odd[k % odd.count]))])) })),
                        ("interests", .array([.string("跑步"), .string(odd[n % odd.count])]))])
        }
        let source = RubricJudgePrompts(contextBudget: 60)
        let writers = [source.makeWriter(rubrics: [rubric, explanation]), source.makeWriter(rubrics: [rubric, explanation])]
        // Output fields of every shape: text with escapes, another type, missing.
        let outputs: [JSONValue] = [.string("缓震跑步鞋"), .number("3"), .null, .array([.string("x")])]
        let renderer = PromptRenderer(rubric: rubric, contextBudget: 60)
        var tagReads = (decodes: 0, contexts: 0)
        for (i, context) in [1, 1, 1, 5, 5, 1, 12, 3, 3].enumerated() {
            let writer = writers[i % 2]
            var output = JSONObject([("tag", i % 3 == 0 ? outputs[i % outputs.count] : .string("缓震跑步鞋\(i)" + odd[i % odd.count]))])
            if i % 4 != 1 { output["interest"] = .string("跑步" + odd[(i + 2) % odd.count]) }
            let tag = Sample(id: "t\(i)", task: "tag", user: user(context), output: output)
            let got = try messages(writer, tag, task: 0, context: context, reads: &tagReads)
            #expect(got.0 == renderer.system())
            #expect(got.1 == renderer.prompt(for: tag), "sample \(i)")
            let ex = Sample(id: "e\(i)", task: "explanation", user: user(context),
                            item: JSONObject([("title", .string("跑鞋\(i)")), ("category", .string("运动"))]),
                            output: JSONObject([("explanation", .string("轻盈\(i) " + odd[(i + 1) % odd.count]))]))
            let exRenderer = PromptRenderer(rubric: explanation, contextBudget: 60)
            var exReads = (decodes: 0, contexts: 0)
            #expect(try messages(writer, ex, task: 1, context: context, reads: &exReads) == (exRenderer.system(), exRenderer.prompt(for: ex)), "sample \(i)")
            #expect(exReads.decodes == 1, "the explanation's prompt names the item: the sample is decoded")
        }
        // The tag prompt needs only output fields besides the context: no sample is decoded, and
        // a thread's writer reads the stored context of the first sample of each context it sees
        // (contexts 1,1,1,5,5,1,12,3,3 over two writers).
        #expect(tagReads.decodes == 0 && tagReads.contexts == 8)
        // A body the reading does not take (two outputs) is left to the decoded sample (asked once).
        let tag = Sample(id: "t-odd", task: "tag", user: user(1), output: JSONObject([("tag", .string("登山杖"))]))
        var reads = (decodes: 0, contexts: 0)
        let got = try messages(writers[0], tag, task: 0, context: 1, body: #"{"output":{"tag":"x"},"output":{}}"#, reads: &reads)
        #expect(got.1 == renderer.prompt(for: tag) && reads.decodes == 1)
        // A stored context the reading does not take (a field twice) is left to the decoded sample,
        // which then gives the context's placeholders (asked once).
        reads = (0, 0)
        let twice = #"{"interests":["跑步"],"interests":["跑步"]}"#
        let other = try messages(writers[1], tag, task: 0, context: 40, stored: twice, reads: &reads)
        #expect(other.1 == renderer.prompt(for: tag) && reads.decodes == 1 && reads.contexts == 1)
        // A template with no user placeholder reads neither the stored context nor the sample.
        var bare = rubric
        bare.judge.prompt = "Grade the tag {{output.tag}}.\n{{dimensions}}\n{{response_format}}"
        let bareWriter = RubricJudgePrompts(contextBudget: 60).makeWriter(rubrics: [bare])
        reads = (0, 0)
        for (i, context) in [1, 2, 2].enumerated() {
            let s = Sample(id: "b\(i)", task: "tag", user: user(context), output: JSONObject([("tag", .string("登山杖\(i)"))]))
            let got = try messages(bareWriter, s, task: 0, context: context, reads: &reads)
            #expect(got.1 == PromptRenderer(rubric: bare, contextBudget: 60).prompt(for: s))
        }
        #expect(reads.decodes == 0 && reads.contexts == 0)
    }
}
