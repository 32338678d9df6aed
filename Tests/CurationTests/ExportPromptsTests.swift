import Foundation
import Testing
import Domain
import Stats
@testable import Curation

/// The RecGPT-style generation prompts the generator sets train on.
@Suite struct ExportPromptsTests {
    let rubrics: [String: Rubric]

    init() throws {
        var r: [String: Rubric] = [:]
        for task in ["interest", "tag", "explanation"] {
            r[task] = try Rubric.load(path: ExportFixture.repoRoot.appendingPathComponent("rubrics/\(task).yaml").path)
        }
        rubrics = r
    }

    func prompt(_ task: String, budget: Int = 4000) throws -> GenerationPrompt {
        GenerationPrompt(rubric: try #require(rubrics[task]), contextBudget: budget)
    }

    let user = JSONObject([
        ("id", .string("u-4242")),
        ("profile", .object(JSONObject([("age", .number("30")), ("city", .string("杭州")), ("phone", .string("13800001111")),
                                        ("Real_Name", .string("张三")), ("member_id", .string("m-77")), ("vip", .bool(true))]))),
        ("behaviors", .array([
            .object(JSONObject([("time", .string("2025-06-01")), ("type", .string("click")), ("item", .string("瑜伽垫")), ("category", .string("运动"))])),
            .object(JSONObject([("time", .string("2025-06-03")), ("type", .string("search")), ("query", .string("儿童防晒衣"))])),
            .object(JSONObject([("time", .string("2025-06-02")), ("type", .string("purchase")), ("item", .string("婴儿遮阳帽")), ("category", .string("母婴"))])),
        ])),
        ("interests", .array([.string("亲子育儿"), .string("瑜伽")])),
    ])

    func sample(_ task: String, output: [(String, JSONValue)], item: JSONObject? = nil) -> Sample {
        Sample(id: "s-secret-1", task: task, user: user, item: item, output: JSONObject(output),
               generatorModel: "gen-secret-model", generatorRound: 3)
    }

    func expectNoSecrets(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in ["u-4242", "s-secret-1", "gen-secret-model", "13800001111", "张三", "m-77", "i-secret"] {
            #expect(!text.contains(secret), "\(secret) leaked into the prompt", sourceLocation: sourceLocation)
        }
    }

    @Test func interestPromptsMineTheHistory() throws {
        let p = try prompt("interest")
        let s = sample("interest", output: [("interest", .string("亲子育儿")), ("stage", .string("育儿期")), ("reason", .string("买遮阳帽")), ("note", .string("x"))])
        let text = p.user(for: s)
        #expect(text == """
            User profile: age: 30; city: 杭州; vip: true

            Behaviour history (oldest first):
            2025-06-01 click 瑜伽垫 [运动]
            2025-06-02 purchase 婴儿遮阳帽 [母婴]
            2025-06-03 search 儿童防晒衣

            Name one interest this user shows. Answer with JSON: {"interest": "...", "stage": "...", "reason": "..."}
            """)
        expectNoSecrets(text + p.system)
        #expect(p.system.contains("interests"))
        #expect(p.dependsOnContextOnly)
        #expect(try JSONParser.parse(p.target(for: s)) == .object(JSONObject([
            ("interest", .string("亲子育儿")), ("stage", .string("育儿期")), ("reason", .string("买遮阳帽"))])),
                "the rubric's output fields only, in its order")
    }

    @Test func tagPromptsNameTheInterests() throws {
        let p = try prompt("tag")
        let s = sample("tag", output: [("reason", .string("r")), ("tag", .string("儿童冰丝防晒衣")), ("interest", .string("亲子育儿"))])
        let text = p.user(for: s)
        #expect(text.contains("Interests: 亲子育儿, 瑜伽"))
        #expect(text.hasSuffix(#"Write one product tag for one of these interests. Answer with JSON: {"tag": "...", "interest": "...", "reason": "..."}"#))
        #expect(!text.contains("儿童冰丝防晒衣"), "the prompt never holds the answer")
        expectNoSecrets(text + p.system)
        #expect(p.target(for: s) == #"{"tag":"儿童冰丝防晒衣","interest":"亲子育儿","reason":"r"}"#)
    }

    @Test func explanationPromptsNameTheItemAndTheInterest() throws {
        let p = try prompt("explanation")
        let item = JSONObject([("id", .string("i-secret")), ("title", .string("防晒冰袖")), ("category", .string("服饰"))])
        let s = sample("explanation", output: [("explanation", .string("轻薄防晒适合开车")), ("interest", .string("亲子育儿"))], item: item)
        let text = p.user(for: s)
        #expect(text.contains("Interest: 亲子育儿\n\nItem: title: 防晒冰袖; category: 服饰"))
        #expect(!text.contains("轻薄防晒适合开车"))
        expectNoSecrets(text + p.system)
        #expect(!p.dependsOnContextOnly)
        #expect(p.target(for: s) == "轻薄防晒适合开车", "the phrase itself")
    }

    @Test func theHistoryKeepsIntentionalAndNewestBehavioursWithinTheBudget() throws {
        let p = try prompt("interest", budget: 60)
        let text = p.user(for: sample("interest", output: [("interest", .string("x"))]))
        #expect(text.contains("2025-06-02 purchase 婴儿遮阳帽 [母婴]\n2025-06-03 search 儿童防晒衣\n(2 of 3 behaviours shown)"), "\(text)")
        #expect(!text.contains("瑜伽垫"))
        let none = try prompt("tag").user(for: Sample(id: "x", task: "tag", user: JSONObject(), output: JSONObject()))
        #expect(none.contains("User profile: (none given)") && none.contains("(no behaviour history)") && none.contains("Interests: (none given)"))
    }

    @Test func targetFromTheStoredBodyEqualsTheDecodedTarget() throws {
        let outputs: [[(String, JSONValue)]] = [
            [("tag", .string("有机登山鞋")), ("interest", .string("户外 \"徒步\"\n")), ("reason", .string("a\u{1B}b")), ("extra", .number("1.50"))],
            [("interest", .string("瑜伽")), ("stage", .object(JSONObject([("z", .bool(true)), ("a", .array([.null, .number("-2e3")]))])))],
            [],
        ]
        for task in ["interest", "tag"] {
            let p = try prompt(task)
            for output in outputs {
                let s = sample(task, output: output)
                let body = Array(s.bodyJSON().utf8)
                let fast = body.withUnsafeBufferPointer { p.target(fromBody: $0) }
                // What the store gives back: the sample decoded from its stored (canonical) body.
                let stored = try #require(try JSONParser.parse(s.bodyJSON()).object?["output"]?.object)
                let decoded = sample(task, output: Array(stored.entries))
                #expect(fast == p.target(for: decoded), "\(task) \(output)")
            }
        }
        // The explanation's target is a text, and a damaged body is left to the decoder.
        let e = sample("explanation", output: [("explanation", .string("适合你"))])
        #expect(Array(e.bodyJSON().utf8).withUnsafeBufferPointer { try! prompt("explanation").target(fromBody: $0) } == nil)
        for damaged in [#"{"output": [1]}"#, #"{"output": {"tag": }"#, "[]"] {
            #expect(Array(damaged.utf8).withUnsafeBufferPointer { try! prompt("tag").target(fromBody: $0) } == nil)
        }
    }

    /// A prompt said to depend on the context alone is the same for every sample of a context,
    /// whatever their items and outputs (exports build it once per context).
    @Test func aPromptThatDependsOnTheContextAloneIsTheSameForEverySampleOfIt() throws {
        let generic = try Rubric.load(path: ExportFixture.repoRoot.appendingPathComponent("Tests/CurationTests/Fixtures/pairwise.yaml").path)
        let prompts = try ["interest", "tag", "explanation"].map { try prompt($0) } + [GenerationPrompt(rubric: generic)]
        for p in prompts {
            let a = Sample(id: "a", task: p.rubric.task, user: user, item: JSONObject([("title", .string("防晒冰袖"))]),
                           output: JSONObject([("interest", .string("亲子育儿"))]))
            let b = Sample(id: "b", task: p.rubric.task, user: user, item: JSONObject([("title", .string("登山杖"))]),
                           output: JSONObject([("interest", .string("户外徒步"))]))
            if p.dependsOnContextOnly { #expect(p.user(for: a) == p.user(for: b), "\(p.rubric.task)") }
            else { #expect(p.user(for: a) != p.user(for: b), "\(p.rubric.task): the prompt names the item or the output") }
        }
        #expect(prompts.map(\.dependsOnContextOnly) == [true, true, false, false])
    }

    /// The user message read straight from a stored context equals the one built from the
    /// decoded sample, for contexts of every shape: escapes, wide text, fields of other types,
    /// missing parts, withheld profile keys, histories beyond the budget, equal times.
    @Test func theUserMessageFromTheStoredContextEqualsTheDecodedOne() throws {
        var rng = SplitMix64(seed: 7)
        let texts = ["跑鞋", "a \"quoted\" \\ line\n", "tab\there", "emoji 🏃‍♀️", "", "e\u{301}", "\u{1F}ctl", "plain"]
        let types = ["click", "purchase", "search", "cart", "favourite", "favorite", "view", ""]
        func value(_ text: String) -> JSONValue {
            switch rng.next() % 8 {
            case 0: .number("\(rng.next() % 100)")
            case 1: .null
            case 2: .bool(true)
            case 3: .array([.string(text)])
            default: .string(text)
            }
        }
        for round in 0..<400 {
            var behaviors: [JSONValue] = []
            for _ in 0..<Int(rng.next() % 40) {
                var b = JSONObject()
                let time = "2025-06-\(10 + rng.next() % 5)" + (rng.next() % 9 == 0 ? " 早" : "")
                if rng.next() % 10 != 0 { b["time"] = rng.next() % 12 == 0 ? value(time) : .string(time) }
                if rng.next() % 10 != 0 { b["type"] = .string(types[Int(rng.next() % UInt64(types.count))]) }
                let text = texts[Int(rng.next() % UInt64(texts.count))]
                switch rng.next() % 4 {
                case 0: b["item"] = .string(text)
                case 1: b["query"] = .string(text)
                case 2: b["item"] = value(text); b["query"] = .string("q " + text)
                default: break
                }
                if rng.next() % 2 == 0 { b["category"] = value(texts[Int(rng.next() % UInt64(texts.count))]) }
                if rng.next() % 7 == 0 { b["extra"] = .object(JSONObject([("n", .array([.number("1"), .object(JSONObject())]))])) }
                behaviors.append(rng.next() % 15 == 0 ? value("not an object") : .object(b))
            }
            var u = JSONObject([("id", .string("u-\(round)"))])
            if rng.next() % 6 != 0 {
                u["profile"] = rng.next() % 8 == 0 ? value("x") : .object(JSONObject([
                    ("age", .number("31")), ("City", .string(texts[round % texts.count])), ("Phone", .string("13800001111")),
                    ("device_ID", .string("d")), ("tags", .array([.string("a"), .number("2")]))]))
            }
            if rng.next() % 6 != 0 { u["behaviors"] = rng.next() % 10 == 0 ? value("x") : .array(behaviors) }
            if rng.next() % 6 != 0 { u["interests"] = .array([.string("亲子育儿"), .number("3"), .string(texts[round % texts.count])]) }
            let stored = Array(JSONValue.object(u).serialized(canonical: true).utf8)
            let decoded = try #require(try JSONParser.parse(String(decoding: stored, as: UTF8.self)).object)
            for task in ["interest", "tag"] {
                let p = try prompt(task, budget: [4000, 120, 40, 0][round % 4])
                let sample = Sample(id: "s", task: task, user: decoded, output: JSONObject())
                var parts = StoredContext()
                var out: [UInt8] = Array("kept".utf8)
                let read = stored.withUnsafeBufferPointer { p.appendUser(fromContext: $0, parts: &parts, to: &out) }
                #expect(read, "every stored context of this shape reads (\(round))")
                #expect(String(decoding: out, as: UTF8.self) == "kept" + p.user(for: sample), "\(task), context \(round)")
            }
        }
    }

    /// What the stored-context reading leaves to the decoder: it says so and writes nothing.
    @Test func aContextTheReadingDoesNotTakeIsLeftToTheDecoder() throws {
        let p = try prompt("tag")
        for context in [#"[]"#, #"{"behaviors": [{"time": "1", "time": "2"}]}"#, #"{"profile": {}, "profile": {}}"#,
                        #"{"behavio\u0072s": []}"#, #"{"behaviors": [{"ti\u006de": "1"}]}"#, #"{"profile": {"a": 1, "a": 2}}"#,
                        #"{"behaviors": [{"time": "\x"}]}"#, #"{"interests": [1,]}"#] {
            try expectLeft(Array(context.utf8), context)
        }
        try expectLeft(Array(#"{"profile": {"a": ""#.utf8) + [0xFF] + Array(#""}}"#.utf8), "invalid UTF-8")
        func expectLeft(_ context: [UInt8], _ what: String) throws {
            var parts = StoredContext()
            var out: [UInt8] = Array("kept".utf8)
            let read = context.withUnsafeBufferPointer { p.appendUser(fromContext: $0, parts: &parts, to: &out) }
            #expect(!read, "\(what)")
            #expect(out == Array("kept".utf8))
        }
        var parts = StoredContext()
        var out: [UInt8] = []
        #expect(!(Array(#"{}"#.utf8).withUnsafeBufferPointer { try! prompt("explanation").appendUser(fromContext: $0, parts: &parts, to: &out) }),
                "the explanation's prompt names the item: never from the context alone")
    }
}
