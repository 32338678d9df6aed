import FakeOpenAI
import Foundation
import LLM
import Testing

@Suite("FakeOpenAIServer.runForever, the benchmark server")
struct FakeServerProcessTests {
    @Test func servesFixedContentUntilCancelled() async throws {
        let port = PortBox()
        let server = Task {
            try await FakeOpenAIServer.runForever(port: 0, latency: 0.01, content: #"{"label":"good"}"#) { port.set($0) }
        }
        for _ in 0..<500 where port.value == nil { try await Task.sleep(nanoseconds: 10_000_000) }
        let bound = try #require(port.value)
        let client = try CurlChatClient(endpoint: Endpoint(baseURL: "http://127.0.0.1:\(bound)/v1"))
        let answer = try await client.complete(sampleRequest())
        #expect(answer.content == #"{"label":"good"}"#)
        #expect(answer.finishReason == "stop")
        server.cancel()
        try await server.value  // returns once cancelled
        let error = await llmError { try await client.complete(sampleRequest()) }
        client.shutdown()
        guard case .connection? = error else {
            Issue.record("expected the stopped server to refuse, got \(String(describing: error))")
            return
        }
    }

    @Test func busyPortIsReportedClearly() async throws {
        let first = FakeOpenAIServer()
        let port = try await first.start()
        let second = FakeOpenAIServer()
        await #expect {
            try await second.start(port: port)
        } throws: { error in
            "\(error)".contains("cannot listen on 127.0.0.1:\(port)")
        }
        await first.stop()
    }
}

private final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var port: Int?
    func set(_ value: Int) { lock.lock(); port = value; lock.unlock() }
    var value: Int? { lock.lock(); defer { lock.unlock() }; return port }
}
