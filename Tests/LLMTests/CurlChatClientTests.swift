import FakeOpenAI
import Foundation
import LLM
import Testing

@Suite("CurlChatClient against the fake server over loopback")
struct CurlChatClientTests {
    @Test func goodAnswerCarriesContentTokensAndFinishReason() async throws {
        let content = #"{"relevance": "good", "rationale": "matches the trip"}"#
        try await withServer(script: [.answer(content)], apiKey: "sk-test-1234") { server, client in
            let completion = try await client.complete(sampleRequest())
            #expect(completion.content == content)
            #expect(completion.finishReason == "stop")
            #expect(completion.status == 200)
            #expect((completion.promptTokens ?? 0) > 0)
            #expect(completion.completionTokens == (content.count + 3) / 4)
            #expect(completion.latency > 0)
            #expect(completion.rawBody.contains(#""object":"chat.completion""#))

            let seen = try #require(server.recentRequests.last)
            #expect(server.requestCount == 1)
            #expect(seen.model == "judge-model")
            #expect(seen.messages.map(\.role) == ["system", "user"])
            #expect(seen.messages.last?.content == "Grade: waterproof boots, 'fits your trip'.")
            #expect(seen.responseFormatType == "json_object")
            #expect(seen.authorization == "Bearer sk-test-1234")
            #expect(seen.headers["content-type"] == "application/json")
            #expect(seen.headers["expect"] == nil)
        }
    }

    @Test func noKeySendsNoAuthorizationHeader() async throws {
        try await withServer(apiKey: nil) { server, client in
            _ = try await client.complete(sampleRequest())
            #expect(server.recentRequests.last?.authorization == nil)
        }
    }

    @Test func jsonSchemaIsSentVerbatimWithItsPropertyOrder() async throws {
        let schema = #"{"type":"object","properties":{"rationale":{"type":"string"},"label":{"enum":["good","bad"]}},"required":["rationale","label"]}"#
        var request = sampleRequest()
        request.responseFormat = .jsonSchema(name: "verdict", schema: schema, strict: true)
        try await withServer { server, client in
            _ = try await client.complete(request)
            let seen = try #require(server.recentRequests.last)
            #expect(seen.responseFormatType == "json_schema")
            #expect(seen.body.contains(#""name":"verdict","strict":true,"schema":"# + schema))
        }
    }

    @Test func largePromptsAreSentWithoutExpectContinue() async throws {
        let prompt = String(repeating: "户外防水登山鞋 hiking boots. ", count: 400)  // ~12 KB
        try await withServer { server, client in
            let completion = try await client.complete(sampleRequest(prompt))
            #expect(completion.status == 200)
            #expect(server.recentRequests.last?.messages.last?.content == prompt)
            #expect(server.recentRequests.last?.headers["expect"] == nil)
        }
    }

    @Test func truncatedAnswerReportsLength() async throws {
        try await withServer(script: [.truncated(#"{"relevance": "go"#)]) { _, client in
            let completion = try await client.complete(sampleRequest())
            #expect(completion.finishReason == "length")
            #expect(completion.content == #"{"relevance": "go"#)
        }
    }

    @Test func malformedJSONIsAMalformedResponseAndNotRetried() async throws {
        try await withServer(script: [.malformedJSON, .answer("never reached")]) { server, client in
            let error = await llmError { try await completeWithRetries(client, sampleRequest(), policy: RetryPolicy(baseDelay: 0.001)) }
            guard case .malformedResponse(let message)? = error else {
                Issue.record("expected malformedResponse, got \(String(describing: error))")
                return
            }
            #expect(message.contains("chatcmpl-broken"))
            #expect(error?.isRetryable == false)
            #expect(server.requestCount == 1)
        }
    }

    @Test func errorStatusCarriesRetryAfterAndATruncatedBody() async throws {
        try await withServer(script: [.status(429, retryAfter: "2")]) { _, client in
            let error = await llmError { try await client.complete(sampleRequest()) }
            guard case .http(let status, let retryAfter, let body)? = error else {
                Issue.record("expected an HTTP error, got \(String(describing: error))")
                return
            }
            #expect(status == 429)
            #expect(retryAfter == 2)
            #expect(body.contains("rate_limit_error"))
            #expect(error?.isRetryable == true)
        }
        let huge = String(repeating: "x", count: 5_000)
        try await withServer(script: [.custom(status: 400, headers: [:], body: huge)]) { _, client in
            let error = await llmError { try await client.complete(sampleRequest()) }
            guard case .http(400, nil, let body)? = error else {
                Issue.record("expected HTTP 400, got \(String(describing: error))")
                return
            }
            #expect(body.utf8.count <= 504)
            #expect(body.hasSuffix("…"))
            #expect(error?.isRetryable == false)
        }
    }

    @Test func droppedConnectionIsAConnectionError() async throws {
        try await withServer(script: [.dropConnection]) { server, client in
            let error = await llmError { try await client.complete(sampleRequest()) }
            guard case .connection? = error else {
                Issue.record("expected a connection error, got \(String(describing: error))")
                return
            }
            #expect(error?.isRetryable == true)
            #expect(server.requestCount == 1)
        }
    }

    @Test func dropOnAReusedConnectionStillSurfaces() async throws {
        try await withServer(script: [.answer("first"), .dropConnection, .answer("never")]) { server, client in
            let first = try await client.complete(sampleRequest())
            #expect(first.content == "first")
            let error = await llmError { try await client.complete(sampleRequest()) }
            guard case .connection(let message)? = error else {
                Issue.record("expected a connection error, got \(String(describing: error))")
                return
            }
            #expect(message.contains("curl error 18"))
            #expect(server.requestCount == 2)
        }
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        try await withServer { server, client in
            for i in 0..<10 { _ = try await client.complete(sampleRequest("request \(i)")) }
            #expect(server.requestCount == 10)
            #expect(server.connectionCount == 1)
        }
    }

    @Test func refusedConnectionIsAConnectionError() async throws {
        let server = FakeOpenAIServer()
        let port = try await server.start()
        await server.stop()  // nothing listens there now
        let client = try CurlChatClient(endpoint: Endpoint(baseURL: "http://127.0.0.1:\(port)/v1", connectTimeout: 2))
        defer { client.shutdown() }
        let error = await llmError { try await client.complete(sampleRequest()) }
        guard case .connection(let message)? = error else {
            Issue.record("expected a connection error, got \(String(describing: error))")
            return
        }
        #expect(message.contains("curl error 7"))
    }

    @Test func slowServerHitsTheRequestTimeout() async throws {
        try await withServer(script: [.answerAfter(5, "late")], requestTimeout: 0.3) { _, client in
            let error = await llmError { try await client.complete(sampleRequest()) }
            guard case .timeout(let message)? = error else {
                Issue.record("expected a timeout, got \(String(describing: error))")
                return
            }
            #expect(message.contains("total 0.3 s"))
            #expect(error?.isRetryable == true)
        }
    }

    @Test func thirtyTwoConcurrentRequestsOverlapOnTheServer() async throws {
        try await withServer(handler: { .answerAfter(0.3, "answer \($0.index)") }) { server, client in
            let contents = try await withThrowingTaskGroup(of: String?.self) { group in
                for i in 0..<32 {
                    group.addTask { try await client.complete(sampleRequest("request \(i)")).content }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(contents.count == 32)
            #expect(Set(contents.compactMap { $0 }).count == 32)
            #expect(server.requestCount == 32)
            #expect(server.maxInFlight > 1, "requests were serialised")
        }
    }

    @Test func maxConnectionsCapsRequestsOnTheWire() async throws {
        try await withServer(maxConnections: 3, handler: { _ in .answerAfter(0.05, "ok") }) { server, client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<12 { group.addTask { _ = try await client.complete(sampleRequest()) } }
                try await group.waitForAll()
            }
            #expect(server.requestCount == 12)
            #expect(server.maxInFlight <= 3)
        }
    }

    @Test func cancellingTheTaskEndsASlowRequest() async throws {
        try await withServer(handler: { _ in .answerAfter(30, "too late") }) { server, client in
            let task = Task { try await client.complete(sampleRequest()) }
            for _ in 0..<500 where server.inFlight == 0 { try await Task.sleep(nanoseconds: 10_000_000) }
            #expect(server.inFlight == 1)
            task.cancel()
            let error = await llmError { try await task.value }
            guard case .cancelled? = error else {
                Issue.record("expected cancelled, got \(String(describing: error))")
                return
            }
        }
    }

    @Test func cancellationsRacingCompletionsLeaveTheClientUsable() async throws {
        try await withServer(maxConnections: 8, handler: { .answerAfter(Double($0.index % 5) * 0.01, "ok") }) { _, client in
            let tasks = (0..<60).map { _ in Task { try await client.complete(sampleRequest()) } }
            for (i, task) in tasks.enumerated() where i % 2 == 0 {
                if i % 4 == 0 { try await Task.sleep(nanoseconds: 2_000_000) }
                task.cancel()
            }
            var finished = 0, cancelled = 0
            for task in tasks {
                switch await task.result {
                case .success: finished += 1
                case .failure(LLMError.cancelled): cancelled += 1
                case .failure(let error): Issue.record("unexpected \(error)")
                }
            }
            #expect(finished + cancelled == 60)
            #expect(finished >= 30)
            let after = try await client.complete(sampleRequest())
            #expect(after.content == "ok")
        }
    }

    @Test func shutdownEndsRequestsInFlight() async throws {
        try await withServer(handler: { _ in .answerAfter(30, "too late") }) { server, client in
            let task = Task { try await client.complete(sampleRequest()) }
            for _ in 0..<500 where server.inFlight == 0 { try await Task.sleep(nanoseconds: 10_000_000) }
            client.shutdown()
            let error = await llmError { try await task.value }
            guard case .cancelled? = error else {
                Issue.record("expected cancelled, got \(String(describing: error))")
                return
            }
        }
    }

    @Test func handlersMayReadTheServersCounters() async throws {
        try await withServer { server, client in
            server.setHandler { [server] request in .answer("\(request.index) of \(server.requestCount)") }
            server.enqueue(.answer("scripted"))
            let first = try await client.complete(sampleRequest())
            let second = try await client.complete(sampleRequest())
            #expect(first.content == "scripted")
            #expect(second.content == "2 of 2")
        }
    }

    @Test func shutDownClientRefusesWork() async throws {
        try await withServer { server, client in
            client.shutdown()
            let error = await llmError { try await client.complete(sampleRequest()) }
            guard case .cancelled? = error else {
                Issue.record("expected cancelled, got \(String(describing: error))")
                return
            }
            #expect(server.requestCount == 0)
        }
    }
}
