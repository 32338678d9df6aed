import Foundation
import Testing
import Domain
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
}
