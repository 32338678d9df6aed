import Foundation
import Testing
import Domain
@testable import Store
import GRDB
@testable import Curation

/// The three kinds of set, read back line by line with the strict JSON parser.
@Suite struct ExportSetsTests {
    func allRows(_ out: String) throws -> [JSONObject] { try readExport(out).values.flatMap { $0 } }

    @Test func generatorSFTTakesOnlySamplesThatPassEveryDimension() throws {
        let f = try ExportFixture()
        try f.addTags([("t1", "u1", 3), ("t2", "u1", 3), ("t3", "u2", 3)])
        try f.labelTag("t1", by: "alice")
        try f.labelTag("t2", by: "alice", fail: ["specificity"])
        try f.label([HumanLabel(sample: "t3", annotator: "alice", dimension: "relevance", label: "yes")])
        let r = try f.export(.generatorSFT)
        #expect(r.rows == 1)
        #expect(r.leftOut == ["failed": 1, "no_final_label": 1])
        let rows = try allRows(r.out)
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row.keys == ["messages"], "nothing but messages without --metadata")
        expectChat(row["messages"])
        let messages = row["messages"]?.array ?? []
        #expect(messages.map { $0[path: "role"]?.string ?? "" } == ["system", "user", "assistant"])
        let answer = try JSONParser.parse(messages[2][path: "content"]?.string ?? "")
        #expect(answer == .object(JSONObject([("tag", .string("轻量缓震跑步鞋-t1")), ("interest", .string("跑步")),
                                              ("reason", .string("近期搜索跑鞋"))])))
        let user = messages[1][path: "content"]?.string ?? ""
        #expect(user.contains("2025-06-01 search 跑鞋") && user.contains("Interests: 跑步") && user.contains("city: 杭州"))
        for secret in ["u1", "t1", "13800001111", "gen-secret-model", "phone"] {
            #expect(!user.contains(secret) && !(messages[0][path: "content"]?.string ?? "").contains(secret), "\(secret) leaked")
        }
        // The export is in the store: the sample, its split and its labels.
        var recorded: [StoredExportRow] = []
        try f.store.forEachExportRow(exportID: r.exportID) { recorded.append($0) }
        #expect(recorded.map(\.sampleID) == ["t1"])
        #expect(recorded.first?.split == SplitRatios.standard.split(userID: "u1").rawValue)
        let labels = try JSONParser.parse(recorded.first?.labels ?? "")
        #expect(labels[path: "specificity"] == .array([.string("yes"), .string("single")]))
        #expect(labels.object?.keys == ["relevance", "consistency", "specificity", "validity"])
        let stored = try #require(try f.store.export(id: r.exportID))
        #expect(stored.kind == "generator-sft" && stored.samples == 1)
        #expect(try JSONParser.parse(stored.manifest) == readManifest(r.out))
    }

    @Test func judgeSFTTargetsTheHumanCorrectedVerdictWithTheHumansRationale() throws {
        let f = try ExportFixture()
        try f.addTags([("t1", "u1", nil)])
        try f.judgeTag("t1", rationale: "judge says")
        try f.labelTag("t1", by: "alice", fail: ["specificity"], comment: ["specificity": "跑步鞋 alone is too broad"])
        let pk = try f.pk("t1")
        try f.store.comment(samplePK: pk, dimension: "validity", annotator: "alice", text: "a real product")
        let r = try f.export(.judgeSFT) { $0.metadata = true }
        let row = try #require(try allRows(r.out).first)
        expectChat(row["messages"])
        let messages = row["messages"]?.array ?? []
        #expect(messages[0][path: "content"]?.string == "judge tag v1")
        #expect(messages[1][path: "content"]?.string?.hasPrefix("grade t1: ") == true)
        let verdict = try JSONParser.parse(messages[2][path: "content"]?.string ?? "")
        #expect(verdict.object?.keys == ["relevance", "consistency", "specificity", "validity"], "the rubric's order")
        #expect(verdict[path: "specificity.label"]?.string == "low_specificity", "the human's label, not the judge's")
        #expect(verdict[path: "specificity.rationale"]?.string == "跑步鞋 alone is too broad")
        #expect(verdict[path: "validity.rationale"]?.string == "a real product", "a workbench comment on the dimension")
        #expect(verdict[path: "relevance.rationale"]?.string == "judge says (relevance)", "the judge agreed: its rationale")
        #expect(verdict[path: "relevance"]?.object?.keys == ["label", "rationale"])
        #expect(row["metadata"]?[path: "sample_id"]?.string == "t1")
        let manifest = try readManifest(r.out)
        #expect(manifest[path: "rationale_sources.human"]?.int == 2)
        #expect(manifest[path: "rationale_sources.judge"]?.int == 2)
        #expect(manifest[path: "counts.tasks.tag.labels.specificity.low_specificity"]?.int == 1)
        #expect(manifest[path: "judge_prompt.renderer"]?.string == "stub")

        // Without a comment or an agreeing judge, the rubric's text for the label.
        try f.addTags([("t2", "u2", nil)])
        try f.labelTag("t2", by: "bob", fail: ["validity"])
        let again = try f.export(.judgeSFT) { $0.excludeExported = true }
        let second = try #require(try allRows(again.out).first)
        let v2 = try JSONParser.parse(second["messages"]?.array?.last?[path: "content"]?.string ?? "")
        #expect(v2[path: "validity.rationale"]?.string == "invalid", "the rubric's text for invalid_tag")
    }

    /// The target is written escaped in one go (see `VerdictTarget`): whatever a rationale
    /// holds, the row's JSON gives it back exactly; bytes a damaged store holds that are not
    /// UTF-8 come back replaced, never raw.
    @Test func judgeSFTRationalesComeBackExactlyWhateverTheyHold() throws {
        let f = try ExportFixture()
        try f.addTags([("t1", "u1", nil), ("t2", "u2", nil)])
        let nasty = "say \"no\" \\ C:\\path\nnext\tline \u{1}\u{1F}\u{7F} 🏃‍♀️ 跑步 </script> \\u0041"
        let comment = "human \"quoted\"\\n literal \n real \r\n"
        try f.judgeTag("t1", rationale: nasty)
        try f.judgeTag("t2", rationale: "plain")
        try f.labelTag("t1", by: "alice", comment: ["validity": comment])
        try f.labelTag("t2", by: "alice")
        let damaged: [UInt8] = [0x6F, 0x6B, 0xFF, 0x22, 0x20, 0xE8, 0xB7]
        let pk2 = try f.pk("t2")
        try f.store.write("damage a rationale") { db in
            try db.execute(sql: "UPDATE verdicts SET rationale = CAST(X'6F6BFF2220E8B7' AS TEXT) WHERE sample_pk = ? AND dimension = 'relevance'",
                           arguments: [pk2])
        }
        let r = try f.export(.judgeSFT) { $0.metadata = true }
        var targets: [String: JSONValue] = [:]
        for row in try allRows(r.out) {
            let content = try #require(row["messages"]?.array?.last?[path: "content"]?.string)
            targets[row["metadata"]?[path: "sample_id"]?.string ?? ""] = try JSONParser.parse(content)
        }
        #expect(targets.count == 2)
        #expect(targets["t1"]?[path: "relevance.rationale"]?.string == nasty + " (relevance)")
        #expect(targets["t1"]?[path: "specificity.rationale"]?.string == nasty + " (specificity)")
        #expect(targets["t1"]?[path: "validity.rationale"]?.string == comment, "the human's comment")
        #expect(targets["t1"]?[path: "validity.label"]?.string == "yes")
        #expect(targets["t2"]?[path: "consistency.rationale"]?.string == "plain (consistency)")
        #expect(targets["t2"]?[path: "relevance.rationale"]?.string == String(decoding: damaged, as: UTF8.self))
    }

    @Test func preferencePairsAPassingAndAFailingOutputOfOneUserAndPrompt() throws {
        let f = try ExportFixture()
        try f.addTags([("t1", "u1", nil), ("t2", "u1", nil), ("t3", "u1", nil), ("t4", "u2", nil), ("t5", "u3", nil)])
        try f.labelTag("t1", by: "alice")
        try f.labelTag("t2", by: "alice", fail: ["validity"])
        try f.labelTag("t3", by: "alice")
        try f.labelTag("t4", by: "alice", fail: ["relevance"])
        try f.labelTag("t5", by: "alice")
        let r = try f.export(.preference) { $0.metadata = true }
        let rows = try allRows(r.out)
        #expect(rows.count == 1)
        let pair = try #require(rows.first)
        #expect(pair.keys == ["prompt", "chosen", "rejected", "metadata"])
        #expect(pair["metadata"]?[path: "chosen_id"]?.string == "t1")
        #expect(pair["metadata"]?[path: "rejected_id"]?.string == "t2")
        #expect(pair["prompt"]?.array?.map { $0[path: "role"]?.string ?? "" } == ["system", "user"])
        let chosen = try JSONParser.parse(pair["chosen"]?.array?.first?[path: "content"]?.string ?? "")
        let rejected = try JSONParser.parse(pair["rejected"]?.array?.first?[path: "content"]?.string ?? "")
        #expect(chosen[path: "tag"]?.string == "轻量缓震跑步鞋-t1")
        #expect(rejected[path: "tag"]?.string == "轻量缓震跑步鞋-t2")
        #expect(pair["rejected"]?.array?.first?[path: "role"]?.string == "assistant")
        #expect(r.leftOut["no_pair"] == 3)
        var roles: [String: String] = [:]
        try f.store.forEachExportRow(exportID: r.exportID) { row in
            roles[row.sampleID] = (try? JSONParser.parse(row.labels))?[path: "$pair"]?.array?.first?.string
        }
        #expect(roles == ["t1": "chosen", "t2": "rejected"])
        // Recorded as label sets, the pair in two columns (no text of its own per row).
        let (p1, p2) = (try f.pk("t1"), try f.pk("t2"))
        let recordedPairs = try f.store.read { db in
            try Row.fetchAll(db, sql: "SELECT sample_pk, pair_role, pair_with, labels FROM export_rows WHERE export_id = ? ORDER BY sample_pk",
                             arguments: [r.exportID]).map { row -> String in
                let labels: String? = row[3]
                return "\(row[0] as Int64) \(row[1] as String? ?? "-") \(row[2] as Int64? ?? -1) \(labels ?? "set")"
            }
        }
        #expect(recordedPairs == ["\(p1) chosen \(p2) set", "\(p2) rejected \(p1) set"])

        let openai = try f.export(.preference) { $0.preferenceFormat = .openai }
        let o = try #require(try allRows(openai.out).first)
        #expect(o.keys == ["input", "preferred_output", "non_preferred_output"])
        expectChat(.array((o["input"]?[path: "messages"]?.array ?? []) + (o["preferred_output"]?.array ?? [])))
    }

    /// Pairs share their prompt text: explanations of different items are not paired, nor are
    /// tags of one user whose context changed; equal prompts are, whichever sample came first.
    @Test func preferencePairsOnlyOutputsAskedTheSamePrompt() throws {
        let f = try ExportFixture()
        func explanation(_ id: String, item: String) -> String {
            #"{"id": "\#(id)", "task": "explanation", "user": {"id": "u1", "behaviors": [{"time": "2025-06-01", "type": "search", "query": "跑鞋"}], "interests": ["跑步"]}, "#
                + #""item": {"id": "i-\#(item)", "title": "\#(item)", "category": "运动"}, "output": {"explanation": "适合\#(id)"}}"#
        }
        // e1 and e3 are asked about the same item, e2 about another; t-old and t-new have the same
        // user but different behaviours.
        let changed = ExportFixture.tagLine("t-new", user: "u1").replacingOccurrences(of: "运动袜", with: "登山杖")
        try f.addSamples([explanation("e1", item: "跑鞋"), explanation("e2", item: "水壶"), explanation("e3", item: "跑鞋"),
                          ExportFixture.tagLine("t-old", user: "u1"), changed])
        let dims = [("relevance", "yes", "no"), ("factuality", "good", "bad"), ("clarity", "yes", "no"), ("safety", "yes", "no")]
        for (id, pass) in [("e1", false), ("e2", true), ("e3", true)] {
            try f.label(dims.map { HumanLabel(sample: id, annotator: "alice", dimension: $0.0, label: pass || $0.0 != "clarity" ? $0.1 : $0.2) })
        }
        try f.labelTag("t-old", by: "alice")
        try f.labelTag("t-new", by: "alice", fail: ["validity"])
        let r = try f.export(.preference) { $0.metadata = true }
        let pairs = try allRows(r.out).map { ($0["metadata"]?[path: "chosen_id"]?.string ?? "", $0["metadata"]?[path: "rejected_id"]?.string ?? "") }
        #expect(pairs.count == 1 && pairs.first?.0 == "e3" && pairs.first?.1 == "e1", "\(pairs)")
        #expect(r.leftOut["no_pair"] == 3, "e2, t-old and t-new have no partner")
    }

    @Test func splitsFollowTheUserAndStayTheSameEveryTime() throws {
        let f = try ExportFixture()
        let users = (0..<80).map { "user-\($0)" }
        try f.addTags(users.flatMap { u in [("\(u)-a", u, nil), ("\(u)-b", u, nil)] })
        for u in users { try f.labelTag("\(u)-a", by: "alice"); try f.labelTag("\(u)-b", by: "alice") }
        func membership(_ r: ExportResult) throws -> [String: String] {
            var m: [String: String] = [:]
            for (split, rows) in try readExport(r.out) {
                for row in rows { m[row["metadata"]?[path: "sample_id"]?.string ?? "?"] = split }
            }
            return m
        }
        let first = try f.export(.generatorSFT) { $0.metadata = true; $0.split = SplitRatios(train: 0.6, dev: 0.2, test: 0.2) }
        let second = try f.export(.generatorSFT) { $0.metadata = true; $0.split = SplitRatios(train: 0.6, dev: 0.2, test: 0.2) }
        let m = try membership(first)
        #expect(m.count == 160)
        #expect(m == (try membership(second)))
        for u in users {
            #expect(m["\(u)-a"] == m["\(u)-b"], "\(u) is in one split")
            #expect(m["\(u)-a"] == SplitRatios(train: 0.6, dev: 0.2, test: 0.2).split(userID: u).rawValue)
        }
        #expect(Set(m.values) == ["train", "dev", "test"])
        for split in ["train", "dev", "test"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: first.out + "/\(split).jsonl"))
            let b = try Data(contentsOf: URL(fileURLWithPath: second.out + "/\(split).jsonl"))
            #expect(a == b, "\(split).jsonl is the same every time")
        }
        #expect(try readManifest(first.out)[path: "source.hash"] == readManifest(second.out)[path: "source.hash"])

        let allTest = try f.export(.generatorSFT) { $0.split = SplitRatios(train: 0, dev: 0, test: 1) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: allTest.out).sorted() == ["README.md", "manifest.json", "test.jsonl"])
        #expect(try readManifest(allTest.out)[path: "files"] == .object(JSONObject([("test", .string("test.jsonl"))])))
        #expect(throws: ExportError.self) { try SplitRatios(parsing: "0.9,0.2,0.1") }
        #expect(try SplitRatios(parsing: "0.8, 0.1, 0.1") == SplitRatios(train: 0.8, dev: 0.1, test: 0.1))
    }

    @Test func everyFileHasTheSameKeysAndTypesOnEveryLine() throws {
        let f = try ExportFixture()
        try f.addTags([("t1", "u1", 2), ("t2", "u1", nil), ("t3", "u1", 1), ("t4", "u2", 1), ("t5", "u2", 1)])
        try f.addSamples([
            #"{"id": "e1", "task": "explanation", "user": {"id": "u1", "interests": ["跑步"]}, "item": {"id": "i9", "title": "跑鞋", "category": "运动"}, "output": {"explanation": "轻盈透气适合晨跑", "interest": "跑步"}}"#,
        ])
        for t in ["t1", "t3", "t4"] { try f.labelTag(t, by: "alice") }
        for t in ["t2", "t5"] { try f.labelTag(t, by: "alice", fail: ["relevance"]) }
        try f.label(["relevance", "factuality", "clarity", "safety"].map {
            HumanLabel(sample: "e1", annotator: "alice", dimension: $0, label: $0 == "factuality" ? "good" : "yes", comment: $0 == "clarity" ? "ok" : nil)
        })
        for kind in ExportKind.allCases {
            for metadata in [false, true] {
                let r = try f.export(kind) { $0.metadata = metadata; $0.split = SplitRatios(train: 1, dev: 0, test: 0) }
                let rows = try readJSONLines(r.out + "/train.jsonl")
                #expect(!rows.isEmpty)
                expectUniformRows(rows)
                for row in rows where kind != .preference { expectChat(row["messages"]) }
            }
        }
    }

    @Test func rebalancingReusesEarlierRoundsAndKeepsTheNewestOfTheMajority() throws {
        let f = try ExportFixture()
        // Round 2: 10 passing, 2 failing; round 1: 5 failing, 3 passing.
        try f.addTags((0..<8).map { ("r1-\($0)", "u\($0)", 1) } + (0..<12).map { ("r2-\($0)", "v\($0)", 2) })
        for i in 0..<5 { try f.labelTag("r1-\(i)", by: "alice", fail: ["validity"]) }
        for i in 5..<8 { try f.labelTag("r1-\(i)", by: "alice") }
        for i in 0..<10 { try f.labelTag("r2-\(i)", by: "alice") }
        for i in 10..<12 { try f.labelTag("r2-\(i)", by: "alice", fail: ["relevance"]) }

        let r = try f.export(.judgeSFT) { $0.rounds = [2]; $0.balance = BalanceOptions(by: .outcome, ratio: 1) }
        var taken: [String] = []
        try f.store.forEachExportRow(exportID: r.exportID) { taken.append($0.sampleID) }
        // fail: 2 + 5 reused = 7; pass: cut from 10 to 7, the 7 newest (latest imported).
        #expect(Set(taken) == Set((0..<5).map { "r1-\($0)" } + (3..<12).map { "r2-\($0)" }))
        let m = try readManifest(r.out)
        #expect(m[path: "balance.tasks.tag.before"] == .object(JSONObject([("pass", .int(10)), ("fail", .int(2))])))
        #expect(m[path: "balance.tasks.tag.reused.fail"]?.int == 5)
        #expect(m[path: "balance.tasks.tag.dropped.pass"]?.int == 3)
        #expect(m[path: "balance.tasks.tag.after"] == .object(JSONObject([("pass", .int(7)), ("fail", .int(7))])))
        #expect(m[path: "left_out.balance_dropped"]?.int == 3)

        // Ratio 2 without reuse: fail 2, pass capped at 4 (the newest).
        let loose = try f.export(.judgeSFT) { $0.rounds = [2]; $0.balance = BalanceOptions(by: .outcome, ratio: 2, reuse: false) }
        var kept: [String] = []
        try f.store.forEachExportRow(exportID: loose.exportID) { kept.append($0.sampleID) }
        #expect(Set(kept) == ["r2-6", "r2-7", "r2-8", "r2-9", "r2-10", "r2-11"])

        // By one dimension's labels.
        let byValidity = try f.export(.judgeSFT) { $0.tasks = ["tag"]; $0.balance = BalanceOptions(by: .dimension("validity"), ratio: 1) }
        #expect(try readManifest(byValidity.out)[path: "balance.tasks.tag.after"] == .object(JSONObject([("yes", .int(5)), ("invalid_tag", .int(5))])))
        #expect(throws: ExportError.self) { try f.export(.judgeSFT) { $0.balance = BalanceOptions(by: .dimension("nope"), ratio: 1) } }
        #expect(throws: ExportError.self) { try f.export(.generatorSFT) { $0.balance = BalanceOptions() } }
        #expect(throws: ExportError.self) { try f.export(.judgeSFT) { $0.balance = BalanceOptions(ratio: 0.5) } }
    }

    @Test func aLaterRoundLeavesOutWhatWasAlreadyExported() throws {
        let f = try ExportFixture()
        try f.addTags([("t1", "u1", 1), ("t2", "u2", 1), ("t3", "u3", 1)])
        for t in ["t1", "t2", "t3"] { try f.labelTag(t, by: "alice") }
        let first = try f.export(.judgeSFT)
        try f.addTags([("t4", "u4", 2)])
        try f.labelTag("t4", by: "alice")
        let second = try f.export(.judgeSFT) { $0.excludeExported = true }
        var taken: [String] = []
        try f.store.forEachExportRow(exportID: second.exportID) { taken.append($0.sampleID) }
        #expect(taken == ["t4"])
        #expect(second.leftOut["excluded_exported"] == 3)
        // Another kind's export does not count; a named export does.
        #expect(try f.export(.generatorSFT) { $0.excludeExported = true }.rows == 4)
        #expect(try f.export(.generatorSFT) { $0.excludeExports = [first.exportID] }.rows == 1)
        #expect(try readManifest(second.out)[path: "filters.exclude_exported"] == .bool(true))
    }

    @Test func theDecisionStateFilterPicksHowHumansHandledTheSample() throws {
        let f = try ExportFixture()
        try f.addTags([("t1", "u1", nil), ("t2", "u2", nil), ("t3", "u3", nil), ("t4", "u4", nil)])
        for t in ["t1", "t2", "t3", "t4"] { try f.judgeTag(t) }
        let version = try #require(try f.store.judgeVersions(judge: "ext").first).id
        func decide(_ sample: String, _ action: DecisionAction, fail: String? = nil) throws {
            let pk = try f.pk(sample)
            try f.store.record(tagDimensions.map { d in
                DecisionInput(samplePK: pk, dimension: d.key, annotator: "alice", label: d.key == fail ? d.fail : d.pass,
                              action: d.key == fail ? action : .accept, judgeLabel: d.pass, judgeVersionID: version, rubricVersion: 1)
            })
        }
        try decide("t1", .accept)
        try decide("t2", .override, fail: "relevance")
        try decide("t3", .accept)
        try f.label([HumanLabel(sample: "t3", annotator: "lead", dimension: "relevance", label: "weak_relevance", lead: true)])
        func ids(_ r: ExportResult) throws -> [String] {
            var out: [String] = []
            try f.store.forEachExportRow(exportID: r.exportID) { out.append($0.sampleID) }
            return out
        }
        #expect(try ids(f.export(.judgeSFT) { $0.states = [.accepted] }) == ["t1"])
        #expect(try ids(f.export(.judgeSFT) { $0.states = [.overridden, .adjudicated] }) == ["t2", "t3"])
        let judged = try f.export(.judgeSFT) { $0.states = [.judgeOnly]; $0.rule.trustJudge = 0.3; $0.rule.minHuman = 3 }
        #expect(try ids(judged) == ["t4"])
        #expect(judged.leftOut["state_filter"] == 3)
    }
}
