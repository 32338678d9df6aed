import FakeOpenAI
import Foundation
import LLM
import Testing

@Suite("Retries: policy arithmetic and completeWithRetries against the fake server")
struct RetryTests {
    private let rateLimited = LLMError.http(status: 429, retryAfter: nil, body: "")

    @Test func backoffDoublesUpToTheCapWithoutJitter() {
        let policy = RetryPolicy(baseDelay: 0.5, maxDelay: 3, jitter: 0)
        var random = SeededGenerator(state: 1)
        let delays = (1...6).map { policy.delay(attempt: $0, error: rateLimited, random: &random) }
        #expect(delays == [0.5, 1, 2, 3, 3, 3])
    }

    @Test func fullJitterStaysUnderTheCeilingAndIsReproducible() {
        let policy = RetryPolicy(baseDelay: 1, maxDelay: 30, jitter: 1)
        var first = SeededGenerator(state: 42), second = SeededGenerator(state: 42)
        let a = (1...5).map { policy.delay(attempt: $0, error: rateLimited, random: &first) }
        let b = (1...5).map { policy.delay(attempt: $0, error: rateLimited, random: &second) }
        #expect(a == b)
        for (i, delay) in a.enumerated() {
            #expect(delay >= 0 && delay <= pow(2, Double(i)))
        }
        #expect(Set(a).count > 1)
    }

    @Test func equalJitterKeepsAtLeastHalfTheBackoff() {
        let policy = RetryPolicy(baseDelay: 2, maxDelay: 30, jitter: 0.5)
        var random = SeededGenerator(state: 7)
        for _ in 0..<200 {
            let delay = policy.delay(attempt: 2, error: rateLimited, random: &random)
            #expect(delay >= 2 && delay <= 4)
        }
    }

    @Test func retryAfterOverridesBackoffAndIsCapped() {
        let policy = RetryPolicy(baseDelay: 0.5, maxDelay: 1, jitter: 1, maxRetryAfter: 60)
        var random = SeededGenerator(state: 3)
        let asked = LLMError.http(status: 429, retryAfter: 7, body: "")
        #expect(policy.delay(attempt: 1, error: asked, random: &random) == 7)
        let tooLong = LLMError.http(status: 503, retryAfter: 3_600, body: "")
        #expect(policy.delay(attempt: 1, error: tooLong, random: &random) == 60)
    }

    @Test func retryAfterParsesSecondsAndHTTPDates() throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2015-10-21T07:27:00Z"))
        #expect(RetryPolicy.parseRetryAfter("120", now: now) == 120)
        #expect(RetryPolicy.parseRetryAfter(" 1.5 ", now: now) == 1.5)
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == 60)
        #expect(RetryPolicy.parseRetryAfter("Wednesday, 21-Oct-15 07:28:30 GMT", now: now) == 90)
        #expect(RetryPolicy.parseRetryAfter("Wed Oct 21 07:29:00 2015", now: now) == 120)
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == 0)
        #expect(RetryPolicy.parseRetryAfter("-5", now: now) == nil)
        #expect(RetryPolicy.parseRetryAfter("soon", now: now) == nil)
    }

    @Test func rateLimitWithRetryAfterIsRetriedAfterTheRequestedWait() async throws {
        try await withServer(script: [.status(429, retryAfter: "0"), .answer("fine")]) { server, client in
            let log = RetryLog()
            let policy = RetryPolicy(baseDelay: 5, jitter: 0)  // backoff alone would wait 5 s
            let completion = try await completeWithRetries(client, sampleRequest(), policy: policy, onRetry: log.record)
            #expect(completion.content == "fine")
            #expect(server.requestCount == 2)
            let retries = log.all
            #expect(retries.count == 1)
            #expect(retries.first?.attempt == 1)
            #expect(retries.first?.error.retryAfter == 0)
            #expect(retries.first?.delay == 0)
        }
    }

    @Test func serverErrorThenSuccess() async throws {
        try await withServer(script: [.serverError, .answer("recovered")]) { server, client in
            let log = RetryLog()
            let completion = try await completeWithRetries(client, sampleRequest(), policy: RetryPolicy(baseDelay: 0.001),
                                                           onRetry: log.record)
            #expect(completion.content == "recovered")
            #expect(server.requestCount == 2)
            guard case .http(500, _, _)? = log.all.first?.error else {
                Issue.record("expected a 500 to be retried, got \(log.all)")
                return
            }
        }
    }

    @Test func droppedConnectionIsRetried() async throws {
        try await withServer(script: [.dropConnection, .answer("second try")]) { server, client in
            let log = RetryLog()
            let completion = try await completeWithRetries(client, sampleRequest(), policy: RetryPolicy(baseDelay: 0.001),
                                                           onRetry: log.record)
            #expect(completion.content == "second try")
            #expect(server.requestCount == 2)
            guard case .connection? = log.all.first?.error else {
                Issue.record("expected a connection error to be retried, got \(log.all)")
                return
            }
        }
    }

    @Test func attemptsRunOutWithTheLastError() async throws {
        try await withServer(handler: { _ in .serverError }) { server, client in
            let error = await llmError {
                try await completeWithRetries(client, sampleRequest(), policy: RetryPolicy(maxAttempts: 3, baseDelay: 0.001))
            }
            guard case .http(500, _, _)? = error else {
                Issue.record("expected the last 500, got \(String(describing: error))")
                return
            }
            #expect(server.requestCount == 3)
        }
    }

    @Test func clientErrorsAreNotRetried() async throws {
        try await withServer(script: [.status(400, retryAfter: nil), .answer("never")]) { server, client in
            let error = await llmError { try await completeWithRetries(client, sampleRequest(), policy: RetryPolicy(baseDelay: 0.001)) }
            guard case .http(400, _, _)? = error else {
                Issue.record("expected HTTP 400, got \(String(describing: error))")
                return
            }
            #expect(server.requestCount == 1)
        }
    }

    @Test func cancellingDuringBackoffEndsWithCancelled() async throws {
        try await withServer(script: [.status(503, retryAfter: "60")]) { server, client in
            let task = Task { try await completeWithRetries(client, sampleRequest(), policy: RetryPolicy()) }
            for _ in 0..<500 where server.requestCount == 0 { try await Task.sleep(nanoseconds: 10_000_000) }
            task.cancel()
            let error = await llmError { try await task.value }
            guard case .cancelled? = error else {
                Issue.record("expected cancelled, got \(String(describing: error))")
                return
            }
            #expect(server.requestCount == 1)
        }
    }
}
