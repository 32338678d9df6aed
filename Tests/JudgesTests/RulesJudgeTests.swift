import Testing
import Foundation
import Domain
@testable import Judges

@Suite struct RulesJudgeTests {
    let reader: SampleReader
    let rubrics: [String: Rubric]
    init() throws {
        let all = try ["interest", "tag", "explanation"].map { try Rubric.load(path: repoRoot + "/rubrics/\($0).yaml") }
        reader = SampleReader(rubrics: all)
        rubrics = Dictionary(uniqueKeysWithValues: all.map { ($0.task, $0) })
    }

    func verdicts(_ line: String) throws -> [String: (String?, String)] {
        let s = try reader.samples(from: try JSONParser.parse(line))[0]
        let j = RulesJudge(config: JudgeConfig(name: "rules", kind: .rules), rubric: rubrics[s.task]!)
        return Dictionary(uniqueKeysWithValues: j.outcome(s).verdicts.map { ($0.dimension, ($0.label, $0.rationale)) })
    }

    static let user = #""user": {"id": "u1", "profile": {"city": "杭州"}, "behaviors": [{"time": "2025-05-01", "type": "click", "item": "露营帐篷", "category": "户外"}, {"time": "2025-06-10", "type": "purchase", "item": "轻量缓震跑步鞋 男款", "category": "运动"}, {"time": "2025-06-20", "type": "search", "query": "马拉松 能量胶"}], "interests": ["跑步", "露营"]}"#

    @Test func genericTagsFailSpecificityNamingTheRule() throws {
        let v = try verdicts(#"{"id": "a", "task": "tag", \#(Self.user), "output": {"tag": "好物", "interest": "跑步"}}"#)
        #expect(v["specificity"]?.0 == "low_specificity")
        #expect(v["specificity"]?.1.hasPrefix("rules: tag.generic") == true)
        #expect(v["validity"]?.0 == "yes")
    }

    @Test func aTagForSomethingBoughtThisMonthIsInconsistent() throws {
        let v = try verdicts(#"{"id": "a", "task": "tag", \#(Self.user), "output": {"tag": "轻量缓震跑步鞋", "interest": "跑步"}}"#)
        #expect(v["consistency"]?.0 == "low_consistency")
        #expect(v["consistency"]?.1.contains("2025-06-10") == true)
        let other = try verdicts(#"{"id": "a", "task": "tag", \#(Self.user), "output": {"tag": "马拉松运动能量胶", "interest": "跑步"}}"#)
        #expect(other["consistency"]?.0 == "yes")
    }

    @Test func aTagOutsideTheUsersInterestsIsWeaklyRelevant() throws {
        let v = try verdicts(#"{"id": "a", "task": "tag", \#(Self.user), "output": {"tag": "宝宝辅食研磨碗", "interest": "亲子育儿"}}"#)
        #expect(v["relevance"]?.0 == "weak_relevance")
    }

    @Test func interestsWithoutSupportOrOutOfNecessityFail() throws {
        let none = try verdicts(#"{"id": "i", "task": "interest", \#(Self.user), "output": {"interest": "钓鱼", "reason": "购买了鱼竿"}}"#)
        #expect(none["reasonableness"]?.0 == "no_correlation")
        let need = try verdicts(#"{"id": "i", "task": "interest", \#(Self.user), "output": {"interest": "纸巾囤货", "reason": "每月购买"}}"#)
        #expect(need["willingness"]?.0 == "necessity")
        let routine = try verdicts(#"{"id": "i", "task": "interest", \#(Self.user), "output": {"interest": "日常提神饮品", "reason": "长期购买挂耳咖啡用于提神"}}"#)
        #expect(routine["willingness"]?.0 == "necessity")
        #expect(routine["willingness"]?.1.contains("interest.routine") == true)
        let chosen = try verdicts(#"{"id": "i", "task": "interest", \#(Self.user), "output": {"interest": "马拉松训练", "reason": "购买能量胶并搜索马拉松"}}"#)
        #expect(chosen["willingness"]?.0 == "spontaneity")
    }

    @Test func explanationsWithPersonalDataAreUnsafe() throws {
        let line = #"{"id": "e", "task": "explanation", "user": {"id": "u", "profile": {"summary": "loves fantasy"}}, "item": {"title": "The Hobbit"}, "output": {"explanation": "Call 138-0000-0000 for this fantasy classic"}}"#
        let v = try verdicts(line)
        #expect(v["safety"]?.0 == "no")
        #expect(v["safety"]?.1.contains("phone number") == true)
    }

    @Test func everyDimensionGetsALabelAndARule() throws {
        let v = try verdicts(#"{"id": "a", "task": "tag", \#(Self.user), "output": {"tag": "儿童防紫外线冰丝防晒衣", "interest": "露营"}}"#)
        #expect(v.count == 4)
        #expect(v.values.allSatisfy { $0.0 != nil && $0.1.hasPrefix("rules: ") })
    }
}

/// The renderer's per-context cache, used from many tasks at once as the judge runner does.
@Suite struct PromptRendererCacheTests {
    @Test func concurrentRendersEqualTheUncachedPrompt() async throws {
        let rubric = try Rubric.load(path: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("rubrics/tag.yaml").path)
        let renderer = PromptRenderer(rubric: rubric, contextBudget: 80)
        func user(_ n: Int) -> JSONObject {
            JSONObject([("id", .string("u\(n)")), ("profile", .object(JSONObject([("age", .number("\(20 + n)"))]))),
                        ("behaviors", .array((0..<(n + 3)).map { k in .object(JSONObject([("time", .string("2025-0\(k % 9 + 1)-01")),
                                                                                          ("type", .string("cart")),
                                                                                          ("item", .string("商品\(n)-\(k)"))])) })),
                        ("interests", .array([.string("兴趣\(n)")]))])
        }
        // Twenty contexts (more than the cache keeps), eight samples each, interleaved.
        let samples = (0..<160).map { i in
            (Int64(i % 20), Sample(id: "s\(i)", task: "tag", user: user(i % 20), output: JSONObject([("tag", .string("标签\(i)"))])))
        }
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for (context, sample) in samples {
                group.addTask { renderer.prompt(for: sample, contextID: context) == renderer.prompt(for: sample) ? 0 : 1 }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        #expect(renderer.prompt(for: samples[1].1, contextID: 1).contains("商品1-"))
        #expect(!renderer.prompt(for: samples[1].1, contextID: 1).contains("商品2-"))
    }
}
