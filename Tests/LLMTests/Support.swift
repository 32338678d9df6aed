import FakeOpenAI
import Foundation
import LLM

/// Starts a fake server, runs `body` with it and a fresh client, then stops both.
func withServer<T>(
    script: [FakeBehavior] = [],
    apiKey: String? = nil,
    requestTimeout: Double = 10,
    maxConnections: Int = 64,
    handler: @escaping FakeOpenAIServer.Handler = { _ in .answer(#"{"verdict": "ok"}"#) },
    _ body: (FakeOpenAIServer, CurlChatClient) async throws -> T
) async throws -> T {
    let server = FakeOpenAIServer(script: script, handler: handler)
    let port = try await server.start()
    let endpoint = Endpoint(baseURL: "http://127.0.0.1:\(port)/v1", apiKey: apiKey, connectTimeout: 5,
                            requestTimeout: requestTimeout)
    let client: CurlChatClient
    do {
        client = try CurlChatClient(endpoint: endpoint, maxConnections: maxConnections)
    } catch {
        await server.stop()
        throw error
    }
    do {
        let result = try await body(server, client)
        client.shutdown()
        await server.stop()
        return result
    } catch {
        client.shutdown()
        await server.stop()
        throw error
    }
}

/// A request like the judges send.
func sampleRequest(_ text: String = "Grade: waterproof boots, 'fits your trip'.") -> ChatRequest {
    ChatRequest(model: "judge-model",
                messages: [.system("You are a strict grader. Reply in JSON."), .user(text)],
                temperature: 0, maxTokens: 100, responseFormat: .jsonObject, seed: 7)
}

/// The `LLMError` that `body` throws, or nil if it returns or throws something else.
func llmError(_ body: () async throws -> some Any) async -> LLMError? {
    do {
        _ = try await body()
        return nil
    } catch let error as LLMError {
        return error
    } catch {
        return nil
    }
}

/// A deterministic generator for jitter tests (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Counts retries reported through `onRetry` (called from the retrying task).
final class RetryLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(attempt: Int, error: LLMError, delay: Double)] = []
    func record(_ attempt: Int, _ error: LLMError, _ delay: Double) {
        lock.lock(); defer { lock.unlock() }
        entries.append((attempt, error, delay))
    }
    var all: [(attempt: Int, error: LLMError, delay: Double)] {
        lock.lock(); defer { lock.unlock() }
        return entries
    }
}
