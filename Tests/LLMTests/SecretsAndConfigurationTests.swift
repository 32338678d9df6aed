import FakeOpenAI
import Foundation
import LLM
import Testing

@Suite("API key hygiene and endpoint validation")
struct SecretsAndConfigurationTests {
    @Test func keyEchoedByAServerIsScrubbedFromTheError() async throws {
        let key = "sk-live-echo-5f2c9a1b7d"
        let echo: FakeOpenAIServer.Handler = { request in
            .custom(status: 401, headers: ["Content-Type": "application/json"],
                    body: #"{"error": {"message": "Incorrect API key provided: \#(request.bearerToken ?? "none")"}}"#)
        }
        try await withServer(apiKey: key, handler: echo) { server, client in
            let error = try #require(await llmError { try await client.complete(sampleRequest()) })
            #expect(server.recentRequests.last?.bearerToken == key)
            guard case .http(401, _, let body) = error else {
                Issue.record("expected HTTP 401, got \(error)")
                return
            }
            #expect(!body.contains(key))
            #expect(body.contains(Secrets.mask))
            #expect(!error.description.contains(key))
            #expect(!"\(error)".contains(key))
            #expect(!String(reflecting: error).contains(key))
            #expect(!"\(client.endpoint)".contains(key))
            var dumped = ""
            dump(client.endpoint, to: &dumped)
            #expect(!dumped.contains(key))
        }
    }

    @Test func registeredKeysAreScrubbedFromAnyErrorDescription() throws {
        let key = "sk-other-client-0a9b8c7d6e"
        _ = try CurlChatClient(endpoint: Endpoint(baseURL: "http://127.0.0.1:9/v1", apiKey: key))
        let error = LLMError.connection("proxy said: bad credentials \(key)")
        #expect(!error.description.contains(key))
        #expect(error.description.contains(Secrets.mask))
    }

    @Test func missingCABundleIsRefusedUpFront() {
        let path = "/nonexistent/recjudge-ca-\(UUID().uuidString).pem"
        #expect {
            try CurlChatClient(endpoint: Endpoint(baseURL: "https://127.0.0.1:8443/v1", caBundle: path))
        } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("CA bundle")
        }
    }

    @Test func unusableCABundleFailsTheTransferWithCurlsReason() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-ca-\(UUID().uuidString).pem")
        try Data("this is not a certificate\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let server = FakeOpenAIServer()
        let port = try await server.start()
        let client = try CurlChatClient(endpoint: Endpoint(baseURL: "https://127.0.0.1:\(port)/v1", connectTimeout: 3,
                                                           requestTimeout: 5, caBundle: file.path))
        let error = await llmError { try await client.complete(sampleRequest()) }
        client.shutdown()
        await server.stop()
        guard case .connection(let message)? = error else {
            Issue.record("expected a connection error, got \(String(describing: error))")
            return
        }
        #expect(message.contains("curl error 77"), "curl should reject the CA file: \(message)")
        #expect(server.requestCount == 0)
    }

    @Test(arguments: ["ftp://127.0.0.1/v1", "127.0.0.1:8000/v1", "http://", "http://host/v1\r\nX: y"])
    func badBaseURLsAreRefused(url: String) {
        #expect(throws: LLMConfigurationError.self) { try CurlChatClient(endpoint: Endpoint(baseURL: url)) }
    }

    @Test func nonPositiveLimitsAreRefused() {
        #expect(throws: LLMConfigurationError.self) {
            try CurlChatClient(endpoint: Endpoint(baseURL: "http://127.0.0.1:1/v1", requestTimeout: 0))
        }
        #expect(throws: LLMConfigurationError.self) {
            try CurlChatClient(endpoint: Endpoint(baseURL: "http://127.0.0.1:1/v1", connectTimeout: .nan))
        }
        #expect(throws: LLMConfigurationError.self) {
            try CurlChatClient(endpoint: Endpoint(baseURL: "http://127.0.0.1:1/v1"), maxConnections: 0)
        }
        #expect(throws: LLMConfigurationError.self) {
            try CurlChatClient(endpoint: Endpoint(baseURL: "http://127.0.0.1:1/v1", extraHeaders: ["X-Org": "a\r\nInjected: 1"]))
        }
    }

    @Test func chatCompletionsURLJoinsWithoutDoubleSlashes() {
        #expect(Endpoint(baseURL: "http://h:1/v1/").chatCompletionsURL == "http://h:1/v1/chat/completions")
        #expect(Endpoint(baseURL: "http://h:1/v1").chatCompletionsURL == "http://h:1/v1/chat/completions")
    }

    @Test func requestsJSONCannotCarryAreRefusedBeforeSending() async throws {
        try await withServer { server, client in
            var request = sampleRequest()
            request.temperature = .infinity
            await #expect(throws: LLMRequestError.self) { try await client.complete(request) }
            request = sampleRequest()
            request.responseFormat = .jsonSchema(name: "verdict", schema: "[1, 2]", strict: true)
            await #expect(throws: LLMRequestError.self) { try await client.complete(request) }
            #expect(server.requestCount == 0)
        }
    }

    @Test func awkwardTextSurvivesTheRoundTrip() async throws {
        let text = "quote \" backslash \\ newline \n tab \t bell \u{07} nul \u{00} 中文 🥾 \u{2028}"
        try await withServer { server, client in
            _ = try await client.complete(ChatRequest(model: "m\"odel", messages: [.user(text)]))
            let seen = try #require(server.recentRequests.last)
            #expect(seen.model == "m\"odel")
            #expect(seen.messages == [FakeMessage(role: "user", content: text)])
            #expect(!seen.body.contains("temperature"))
            #expect(!seen.hasResponseFormat)
        }
    }
}
