import Testing
import Foundation
import Domain
import Store
import LLM
import FakeOpenAI
@testable import Judges

/// Per-sample request counts, so a behaviour can change on the second attempt.
final class Attempts: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    func next(_ key: String) -> Int { lock.lock(); defer { lock.unlock() }; counts[key, default: 0] += 1; return counts[key]! }
}

@Suite(.serialized) struct OpenAIJudgeTests {
    static let fast = RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.05)

    /// The sample's case name is the tag itself, which the prompt carries.
    static func behavior(for request: FakeRequest, attempts: Attempts) -> FakeBehavior {
        let prompt = request.messages.last?.content ?? ""
        guard let range = prompt.range(of: "Predicted tag: ") else { return .status(400, retryAfter: nil) }
        let tag = String(prompt[range.upperBound...].prefix { $0 != "\n" })
        let n = attempts.next(tag)
        switch tag {
        case "good": return .answer(goodTagReply)
        case "slow": return .answerAfter(0.2, goodTagReply)
        case "limited": return n == 1 ? .status(429, retryAfter: "0") : .answer(goodTagReply)
        case "flaky": return n == 1 ? .serverError : .answer(goodTagReply)
        case "dropped": return n == 1 ? .dropConnection : .answer(goodTagReply)
        case "broken": return .malformedJSON
        case "offlabel": return .answer(goodTagReply.replacingOccurrences(of: #""label": "yes", "rationale": "exists""#, with: #""label": "maybe", "rationale": "?""#))
        case "partial": return .answer(#"{"relevance": {"label": "yes", "rationale": "ok"}}"#)
        case "cut": return .truncated(String(goodTagReply.prefix(40)))
        case "chatty": return .answer("Sure! Here is my verdict:\n```json\n\(goodTagReply)\n```\nHope this helps.")
        case "down": return .serverError
        default: return .status(400, retryAfter: nil)
        }
    }

    func run(_ tags: [String], budget: Int = 50, env: [String: String] = [:], keyVar: String? = nil) async throws -> (JudgeSession, FakeOpenAIServer, JudgeProgress) {
        let attempts = Attempts()
        let server = FakeOpenAIServer { Self.behavior(for: $0, attempts: attempts) }
        let port = try await server.start()
        let key = keyVar.map { "\n    api_key_env: \($0)" } ?? ""
        let s = try JudgeSession(judges: "  - name: llm\n    kind: openai\n    base_url: http://127.0.0.1:\(port)/v1\n    model: qwen3-14b\(key)\n    timeout: 5")
        try s.importTags(tags)
        let judge = try JudgeRunner.make(config: s.config.judge(named: "llm")!, rubric: s.config.rubric(for: "tag")!,
                                         environment: env, retry: Self.fast)
        var options = JudgeRunOptions()
        options.concurrency = 4
        options.failureBudget = budget
        let p = try await JudgeRunner.run(store: s.store, judge: judge, options: options)
        return (s, server, p)
    }

    @Test func eachServerBehaviourLeavesExactlyTheRightVerdicts() async throws {
        let tags = ["good", "slow", "limited", "flaky", "dropped", "broken", "offlabel", "partial", "cut", "chatty"]
        let (s, server, p) = try await run(tags)
        defer { Task { await server.stop() } }
        #expect(p.done == tags.count)
        func labels(_ i: Int) throws -> [String: String?] { try s.verdicts("t\(i)").mapValues(\.label) }
        let full: [String: String?] = ["relevance": "yes", "consistency": "yes", "specificity": "low_specificity", "validity": "yes"]
        for i in [0, 1, 2, 3, 4, 9] { #expect(try labels(i) == full, "\(tags[i])") }
        // A malformed body is a failed call: no verdict is stored, so a later run asks again.
        #expect(try s.verdicts("t5").isEmpty)
        // A label outside the rubric fails that dimension only, keeping the reason.
        let off = try s.verdicts("t6")
        #expect(off["validity"]?.label == nil)
        #expect(off["validity"]?.failure?.contains("'maybe' is not a label of validity") == true)
        #expect(off["relevance"]?.label == "yes")
        // Missing dimensions fail; the present one stands.
        let partial = try s.verdicts("t7")
        #expect(partial["relevance"]?.label == "yes")
        #expect(partial["consistency"]?.failure == "the reply has no verdict for 'consistency'")
        // A truncated reply fails every dimension and keeps the raw reply.
        let cut = try s.verdicts("t8")
        #expect(cut.values.allSatisfy { $0.label == nil && $0.failure?.contains("cut off") == true })
        let calls = try s.store.judgeCalls(samplePK: try s.store.sample(id: "t8")!.pk)
        #expect(calls.first?.raw?.contains("\"finish_reason\":\"length\"") == true || calls.first?.raw?.contains("length") == true)
        // Retries: 429 and 500 and a dropped connection were each asked twice.
        #expect(server.requestCount >= tags.count + 3)
        #expect(p.failedCalls == 4) // broken, offlabel, partial, cut
        // The rationale is kept.
        #expect(try s.verdicts("t0")["relevance"]?.rationale == "serves running")
    }

    @Test func aResumedRunAsksOnlyForWhatIsMissing() async throws {
        let (s, server, _) = try await run(["good", "broken", "good"])
        defer { Task { await server.stop() } }
        let before = server.requestCount
        let judge = try JudgeRunner.make(config: s.config.judge(named: "llm")!, rubric: s.config.rubric(for: "tag")!, environment: [:], retry: Self.fast)
        let again = try await JudgeRunner.run(store: s.store, judge: judge, options: JudgeRunOptions())
        #expect(again.total == 1)   // only the malformed one lacks verdicts
        #expect(server.requestCount == before + 1)
        var force = JudgeRunOptions(); force.which = .all
        let forced = try await JudgeRunner.run(store: s.store, judge: judge, options: force)
        #expect(forced.total == 3)
    }

    @Test func theFailureBudgetStopsTheRunWithAClearMessage() async throws {
        do {
            _ = try await run(Array(repeating: "down", count: 8), budget: 2)
            Issue.record("the run did not stop")
        } catch let e as JudgeRunError {
            #expect("\(e)".contains("over the budget of 2"))
            #expect("\(e)".contains("run again to resume"))
        }
    }

    @Test func theAPIKeyReachesTheServerAndNothingElse() async throws {
        let secret = "sk-test-\(UUID().uuidString)"
        let (s, server, _) = try await run(["good", "cut", "broken"], env: ["RJ_TEST_KEY": secret], keyVar: "RJ_TEST_KEY")
        defer { Task { await server.stop() } }
        #expect(server.recentRequests.allSatisfy { $0.bearerToken == secret })
        try s.store.checkpoint()
        for file in try FileManager.default.contentsOfDirectory(atPath: s.folder) {
            let data = try Data(contentsOf: URL(fileURLWithPath: s.folder + "/" + file))
            #expect(data.range(of: Data(secret.utf8)) == nil, "the key is in \(file)")
        }
    }

    @Test func aMissingKeyVariableIsAClearError() throws {
        let s = try JudgeSession(judges: "  - {name: llm, kind: openai, base_url: 'http://127.0.0.1:9/v1', model: m, api_key_env: RJ_NOT_SET}")
        #expect {
            _ = try JudgeRunner.make(config: s.config.judge(named: "llm")!, rubric: s.config.rubric(for: "tag")!, environment: [:])
        } throws: { "\($0)" == "the environment variable RJ_NOT_SET is not set (it holds the judge's API key)" }
    }

    @Test func jsonSchemaIsRequestedWhenTheSessionSaysSo() async throws {
        let server = FakeOpenAIServer { _ in .answer(goodTagReply) }
        let port = try await server.start()
        defer { Task { await server.stop() } }
        let s = try JudgeSession(judges: "  - {name: llm, kind: openai, base_url: 'http://127.0.0.1:\(port)/v1', model: m, json_schema: true, samples: 3}")
        try s.importTags(["good"])
        let judge = try JudgeRunner.make(config: s.config.judge(named: "llm")!, rubric: s.config.rubric(for: "tag")!, environment: [:])
        _ = try await JudgeRunner.run(store: s.store, judge: judge, options: JudgeRunOptions())
        #expect(server.requestCount == 3)
        #expect(server.recentRequests.allSatisfy { $0.responseFormatType == "json_schema" })
        #expect(server.recentRequests[0].body.contains("\"low_specificity\""))
        let v = try s.verdicts("t0")
        #expect(v["specificity"]?.label == "low_specificity")
        #expect(v["specificity"]?.confidence == 1.0)
    }
}

@Suite struct VerdictParserTests {
    let parser: VerdictParser
    init() throws { parser = VerdictParser(rubric: try Rubric.load(path: repoRoot + "/rubrics/tag.yaml")) }

    @Test func labelsAreMatchedIgnoringCaseAndSeparatorsOnly() {
        let v = parser.parse(#"{"relevance": "Weak relevance", "consistency": {"label": "YES"}, "specificity": {"label": "low-specificity"}, "validity": {"label": "valid"}}"#, finishReason: "stop")
        #expect(v.map(\.label) == ["weak_relevance", "yes", "low_specificity", nil])
    }

    @Test func proseAroundTheObjectIsTolerated() {
        let v = parser.parse("I think {\"note\": \"}\"} then " + goodTagReply + " done", finishReason: nil)
        #expect(v.compactMap(\.label).count == 4)
    }

    @Test func noObjectFailsEveryDimension() {
        let v = parser.parse("I would say yes.", finishReason: "stop")
        #expect(v.allSatisfy { $0.label == nil && $0.failure == "no JSON object found in the reply" })
    }
}

@Suite struct SelfConsistencyTests {
    @Test func majorityLabelWithItsShare() throws {
        let rubric = try Rubric.load(path: repoRoot + "/rubrics/tag.yaml")
        var config = JudgeConfig(name: "j", kind: .openai)
        config.samples = 3
        let judge = OpenAIJudge(config: config, rubric: rubric, client: NoClient())
        let a = VerdictParser(rubric: rubric).parse(goodTagReply, finishReason: nil)
        var b = a; b[2].label = "yes"
        let m = judge.majority([a, b, a], asked: 3)
        #expect(m[2].label == "low_specificity")
        #expect(abs((m[2].confidence ?? 0) - 2.0 / 3.0) < 1e-12)
        #expect(m[0].confidence == 1)
    }

    struct NoClient: ChatClient {
        func complete(_ request: ChatRequest) async throws -> ChatCompletion { throw LLMError.cancelled }
    }
}
