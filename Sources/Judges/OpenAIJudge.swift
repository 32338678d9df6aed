import Foundation
import Domain
import Store
import LLM

/// A judge behind any OpenAI-compatible chat-completions endpoint. The rubric renders the
/// prompt; the reply is read by `VerdictParser`. With `samples: k` it asks k times and keeps
/// each dimension's majority label, its share being the confidence.
public struct OpenAIJudge: Judge {
    public let config: JudgeConfig
    public let rubric: Rubric
    let client: any ChatClient
    let renderer: PromptRenderer
    let parser: VerdictParser
    let retry: RetryPolicy

    public init(config: JudgeConfig, rubric: Rubric, client: any ChatClient, retry: RetryPolicy = RetryPolicy()) {
        self.config = config; self.rubric = rubric; self.client = client; self.retry = retry
        renderer = PromptRenderer(rubric: rubric, contextBudget: config.contextBudget)
        parser = VerdictParser(rubric: rubric)
    }

    public var version: JudgeVersion {
        var p: [String: String] = ["rubric": rubric.fingerprint, "samples": "\(config.samples)",
                                   "context_budget": "\(config.contextBudget)", "json_schema": "\(config.jsonSchema)"]
        if let t = config.temperature { p["temperature"] = "\(t)" }
        if let m = config.maxTokens { p["max_tokens"] = "\(m)" }
        return JudgeVersion(judge: config.name, kind: "openai", model: config.model, task: rubric.task,
                            rubricVersion: rubric.version, params: p)
    }

    public func request(for sample: Sample, contextID: Int64? = nil) -> ChatRequest {
        ChatRequest(model: config.model ?? "", messages: [.system(renderer.system()), .user(renderer.prompt(for: sample, contextID: contextID))],
                    temperature: config.temperature, maxTokens: config.maxTokens,
                    responseFormat: config.jsonSchema ? .jsonSchema(name: "verdict_\(rubric.task)", schema: renderer.schema, strict: true) : nil)
    }

    public func judge(_ sample: Sample) async -> JudgeOutcome {
        await judge(request(for: sample))
    }

    public func judge(_ stored: StoredSample) async -> JudgeOutcome {
        await judge(request(for: stored.sample, contextID: stored.contextID))
    }

    func judge(_ request: ChatRequest) async -> JudgeOutcome {
        let attempts = Counter()
        var replies: [ChatCompletion] = []
        var lastError: String?
        for _ in 0..<max(1, config.samples) {
            attempts.add()
            do {
                replies.append(try await completeWithRetries(client, request, policy: retry, onRetry: { _, _, _ in attempts.add() }))
            } catch {
                lastError = Secrets.scrub("\(error)")
                if case LLMError.cancelled = error { break }
            }
        }
        let tokensIn = replies.compactMap(\.promptTokens).reduce(0, +)
        let tokensOut = replies.compactMap(\.completionTokens).reduce(0, +)
        let latency = replies.map(\.latency).reduce(0, +) * 1000
        guard !replies.isEmpty else {
            return JudgeOutcome(call: JudgeCallInput(ok: false, error: lastError ?? "no reply", attempts: attempts.value),
                                verdicts: [], transportFailure: true)
        }
        let parsed = replies.map { parser.parse($0.content, finishReason: $0.finishReason) }
        let verdicts = replies.count == 1 ? parsed[0] : majority(parsed, asked: config.samples)
        let raw = replies.count == 1 ? replies[0].rawBody
            : JSONValue.array(replies.map { .string($0.rawBody) }).serialized()
        let failed = verdicts.filter { $0.label == nil }
        return JudgeOutcome(call: JudgeCallInput(ok: failed.isEmpty, error: failed.first?.failure, raw: Secrets.scrub(raw),
                                                 latencyMilliseconds: latency, promptTokens: tokensIn, completionTokens: tokensOut,
                                                 attempts: attempts.value),
                            verdicts: verdicts)
    }

    /// Per dimension, the most frequent label over the k answers (ties go to the label listed
    /// first in the rubric); confidence is its count over k. No label at all: failed.
    func majority(_ answers: [[VerdictInput]], asked k: Int) -> [VerdictInput] {
        rubric.dimensions.enumerated().map { i, d in
            let got = answers.map { $0[i] }
            var counts: [String: Int] = [:]
            for v in got { if let l = v.label { counts[l, default: 0] += 1 } }
            guard let top = counts.values.max() else {
                return VerdictInput(dimension: d.key, label: nil, failure: got.compactMap(\.failure).first ?? "no label in any of the answers")
            }
            let first = d.labels.map(\.key).first { counts[$0] == top }!
            let rationale = got.first { $0.label == first }?.rationale ?? ""
            return VerdictInput(dimension: d.key, label: first, rationale: rationale, confidence: Double(top) / Double(max(k, 1)))
        }
    }
}

/// A thread-safe counter for retry bookkeeping inside @Sendable callbacks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
