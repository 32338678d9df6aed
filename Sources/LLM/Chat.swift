// The vocabulary of an OpenAI-compatible chat-completions call, independent of transport.

/// Where and how to reach an OpenAI-compatible server.
///
/// `description` and reflection never show the API key, so an `Endpoint` is safe to log.
public struct Endpoint: Sendable {
    /// The API root, e.g. `http://127.0.0.1:8000/v1`; requests go to `{baseURL}/chat/completions`.
    public var baseURL: String
    /// The bearer token, already read from the environment by the caller; nil sends no
    /// `Authorization` header. Never printed, logged or put in an error.
    public var apiKey: String?
    /// Seconds allowed to establish the connection (TCP + TLS).
    public var connectTimeout: Double
    /// Seconds allowed for the whole transfer, from the moment it goes on the wire.
    public var requestTimeout: Double
    /// A PEM file of certificate authorities to trust instead of the system store.
    public var caBundle: String?
    /// Headers added to every request (e.g. an organisation id). They may not carry secrets
    /// other than `apiKey`, which is the only value scrubbed from errors.
    public var extraHeaders: [String: String]

    public init(baseURL: String, apiKey: String? = nil, connectTimeout: Double = 10,
                requestTimeout: Double = 120, caBundle: String? = nil,
                extraHeaders: [String: String] = [:]) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.caBundle = caBundle
        self.extraHeaders = extraHeaders
    }

    /// `{baseURL}/chat/completions`, with any trailing slashes of `baseURL` dropped.
    public var chatCompletionsURL: String {
        var base = Substring(baseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + "/chat/completions"
    }
}

extension Endpoint: CustomStringConvertible, CustomReflectable {
    public var description: String {
        "Endpoint(\(baseURL), key: \(apiKey == nil ? "none" : "set"), connect \(connectTimeout) s, "
            + "total \(requestTimeout) s\(caBundle.map { ", CA \($0)" } ?? ""))"
    }

    /// Mirrors without the key, so `dump(endpoint)` cannot leak it.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "baseURL": baseURL, "apiKey": apiKey == nil ? "none" : "<redacted>",
            "connectTimeout": connectTimeout, "requestTimeout": requestTimeout,
            "caBundle": caBundle as Any, "extraHeaders": Array(extraHeaders.keys).sorted(),
        ])
    }
}

/// One message of a conversation (`system`, `user`, `assistant`).
public struct ChatMessage: Sendable, Codable, Equatable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: "system", content: text) }
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: "user", content: text) }
}

/// The `response_format` of a request.
public enum ResponseFormat: Sendable {
    /// `{"type": "json_object"}`: any JSON object.
    case jsonObject
    /// `{"type": "json_schema", ...}`; `schema` is JSON text, sent verbatim so the order of
    /// its properties (which steers the model's output order) is kept.
    case jsonSchema(name: String, schema: String, strict: Bool)
}

/// One chat-completions call. Optional fields are omitted from the body when nil.
public struct ChatRequest: Sendable {
    public var model: String
    public var messages: [ChatMessage]
    public var temperature: Double?
    public var maxTokens: Int?
    public var responseFormat: ResponseFormat?
    public var seed: Int?

    public init(model: String, messages: [ChatMessage], temperature: Double? = nil,
                maxTokens: Int? = nil, responseFormat: ResponseFormat? = nil, seed: Int? = nil) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.responseFormat = responseFormat
        self.seed = seed
    }
}

/// A successful (2xx) answer.
public struct ChatCompletion: Sendable {
    /// `choices[0].message.content`; nil when the server sent null or no string.
    public var content: String?
    /// `choices[0].finish_reason`, e.g. `stop` or `length` (truncated).
    public var finishReason: String?
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// The response body as received (with the API key scrubbed, should a server echo it).
    public var rawBody: String
    /// Seconds from the request going on the wire to the last byte of the answer.
    public var latency: Double
    /// The HTTP status (2xx).
    public var status: Int

    public init(content: String?, finishReason: String?, promptTokens: Int?, completionTokens: Int?,
                rawBody: String, latency: Double, status: Int) {
        self.content = content
        self.finishReason = finishReason
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.rawBody = rawBody
        self.latency = latency
        self.status = status
    }
}

/// Anything that answers chat requests: the libcurl client, or a stub in tests.
public protocol ChatClient: Sendable {
    /// Sends one request. Throws `LLMError` for transport, HTTP and decoding failures
    /// (and `.cancelled` when the calling task is cancelled), or `LLMRequestError` when the
    /// request itself cannot be encoded.
    func complete(_ request: ChatRequest) async throws -> ChatCompletion
}
