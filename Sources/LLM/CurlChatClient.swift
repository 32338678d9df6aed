import CCurl
import Foundation

/// A `ChatClient` on libcurl's multi interface.
///
/// Guarantees: `POST {baseURL}/chat/completions` with a JSON body; `Authorization: Bearer`
/// only when the endpoint has a key; connect and total timeouts; TLS verification against
/// the system store or `caBundle`; libcurl's usual proxy variables (`http_proxy`,
/// `https_proxy`, `no_proxy`) honoured; up to `maxConnections` transfers on the wire at once
/// (more wait their turn), over reused keep-alive connections, all driven by one thread.
/// The API key never appears in an error or description.
public final class CurlChatClient: ChatClient {
    public let endpoint: Endpoint
    private let engine: CurlEngine
    private let url: String
    private let headers: [String]

    /// Checks the endpoint and starts the client's I/O thread.
    /// Throws `LLMConfigurationError` for a URL that is not http(s), an unreadable CA bundle,
    /// non-positive timeouts or limits, or header names/values that could split a request.
    public init(endpoint: Endpoint, maxConnections: Int = 64) throws {
        try Self.validate(endpoint, maxConnections: maxConnections)
        if let key = endpoint.apiKey { Secrets.register(key) }
        self.endpoint = endpoint
        self.url = endpoint.chatCompletionsURL
        var headers = ["Content-Type: application/json", "Accept: application/json",
                       "Expect:"]  // no 100-continue round trip for bodies over 1 KB
        if let key = endpoint.apiKey, !key.isEmpty { headers.append("Authorization: Bearer \(key)") }
        for (name, value) in endpoint.extraHeaders.sorted(by: { $0.key < $1.key }) {
            headers.append("\(name): \(value)")
        }
        self.headers = headers
        self.engine = try CurlEngine(maxActive: maxConnections)
    }

    deinit {
        engine.shutdown()
    }

    /// Ends the I/O thread; requests in flight and later ones end with `LLMError.cancelled`.
    public func shutdown() {
        engine.shutdown()
    }

    public func complete(_ request: ChatRequest) async throws -> ChatCompletion {
        let payload = try Wire.body(for: request)
        if Task.isCancelled { throw LLMError.cancelled }
        let transfer = try CurlTransfer(url: url, payload: payload, headers: headers, endpoint: endpoint)
        let key = endpoint.apiKey
        switch await engine.perform(transfer) {
        case .cancelled:
            throw LLMError.cancelled
        case .failure(let code, let message, let bodyTooLarge):
            if bodyTooLarge {
                throw LLMError.malformedResponse("the answer is larger than \(CurlTransfer.maxBodyBytes >> 20) MiB")
            }
            let text = Secrets.scrub("\(message) (curl error \(code))", also: key)
            if code == CURLE_OPERATION_TIMEDOUT.rawValue {
                throw LLMError.timeout("\(text); limits: connect \(endpoint.connectTimeout) s, total \(endpoint.requestTimeout) s")
            }
            throw LLMError.connection(text)
        case .response(let status, let body, let retryAfter, let latency):
            guard (200...299).contains(status) else {
                throw LLMError.http(status: status, retryAfter: retryAfter, body: Secrets.excerpt(body, key: key))
            }
            return try Wire.completion(from: body, status: status, latency: latency, key: key)
        }
    }

    private static func validate(_ endpoint: Endpoint, maxConnections: Int) throws {
        let lower = endpoint.baseURL.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), endpoint.baseURL.count > 8 else {
            throw LLMConfigurationError("base URL must start with http:// or https:// (got '\(endpoint.baseURL)')")
        }
        guard !endpoint.baseURL.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw LLMConfigurationError("base URL must not contain spaces or line breaks")
        }
        for (name, value) in [("connect", endpoint.connectTimeout), ("request", endpoint.requestTimeout)] {
            guard value.isFinite, value > 0 else {
                throw LLMConfigurationError("the \(name) timeout must be a positive number of seconds (got \(value))")
            }
        }
        guard maxConnections >= 1 else {
            throw LLMConfigurationError("maxConnections must be at least 1 (got \(maxConnections))")
        }
        if let ca = endpoint.caBundle {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: ca, isDirectory: &isDirectory), !isDirectory.boolValue,
                  FileManager.default.isReadableFile(atPath: ca) else {
                throw LLMConfigurationError("CA bundle '\(ca)' does not exist or is not a readable file")
            }
        }
        if let key = endpoint.apiKey, key.contains(where: { $0.isNewline }) {
            throw LLMConfigurationError("the API key contains a line break")
        }
        for (name, value) in endpoint.extraHeaders {
            let badName = name.isEmpty || name.contains { $0 == ":" || $0.isWhitespace || $0.isNewline }
            guard !badName, !value.contains(where: { $0.isNewline }) else {
                throw LLMConfigurationError("extra header '\(name.filter { !$0.isNewline })' has an invalid name or value")
            }
        }
    }
}
