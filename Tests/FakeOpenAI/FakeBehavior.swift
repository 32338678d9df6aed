import Foundation

/// How the fake server answers one chat-completions request.
public enum FakeBehavior: Sendable {
    /// 200 with `content` as the assistant message, finish_reason "stop".
    case answer(String)
    /// Like `answer`, after sleeping `seconds` (the handler is counted in flight meanwhile).
    case answerAfter(Double, String)
    /// An OpenAI-style error body with this status, and a `Retry-After` header if given.
    case status(Int, retryAfter: String?)
    /// 500 with an OpenAI-style error body.
    case serverError
    /// Sends 200 headers and the start of the body, then closes the connection mid-body.
    case dropConnection
    /// 200, `Content-Type: application/json`, but the body is cut off mid-object.
    case malformedJSON
    /// 200 with `content`, finish_reason "length" (the model hit max_tokens).
    case truncated(String)
    /// Anything else: this status, these headers, this body verbatim.
    case custom(status: Int, headers: [String: String], body: String)
}

/// One message as the fake server decoded it.
public struct FakeMessage: Sendable, Equatable {
    public var role: String
    public var content: String
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// A chat-completions request as the fake server received it. The body is decoded on first
/// use of a decoded field, so a server answering without looking costs little per request.
public struct FakeRequest: Sendable {
    /// 1-based arrival order at this server.
    public var index: Int
    /// Request headers, names lowercased.
    public var headers: [String: String]
    private let decoded: DecodedBody

    public var model: String? { decoded.request?.model }
    public var messages: [FakeMessage] {
        (decoded.request?.messages ?? []).map { FakeMessage(role: $0.role ?? "", content: $0.content?.value ?? "") }
    }
    /// `response_format.type` (`json_object`, `json_schema`), nil when absent.
    public var responseFormatType: String? { decoded.request?.response_format?.type }
    /// The raw body (UTF-8, invalid bytes replaced); decode it for fields not listed here.
    public var body: String { String(decoding: decoded.body, as: UTF8.self) }

    public var hasResponseFormat: Bool { responseFormatType != nil }
    public var authorization: String? { headers["authorization"] }
    /// The token of an `Authorization: Bearer …` header.
    public var bearerToken: String? {
        guard let value = authorization, value.lowercased().hasPrefix("bearer ") else { return nil }
        return String(value.dropFirst("bearer ".count))
    }

    /// A body that is not a JSON chat request gives nil model and no messages.
    init(index: Int, headers: [String: String], body: Data) {
        self.index = index
        self.headers = headers
        decoded = DecodedBody(body)
    }
}

/// A request body and, once asked for, its decoding.
private final class DecodedBody: @unchecked Sendable {
    let body: Data
    private let lock = NSLock()
    private var done = false
    private var value: WireRequest?

    init(_ body: Data) { self.body = body }

    var request: WireRequest? {
        lock.lock()
        defer { lock.unlock() }
        if !done {
            value = try? JSONDecoder().decode(WireRequest.self, from: body)
            done = true
        }
        return value
    }
}

/// The fields of a chat request the fake server looks at (names as on the wire).
private struct WireRequest: Decodable {
    struct Message: Decodable {
        var role: String?
        var content: Lenient?
    }
    struct Format: Decodable {
        var type: String?
    }
    /// A string, or nil when the field holds something else (e.g. content parts).
    struct Lenient: Decodable {
        var value: String?
        init(from decoder: any Decoder) throws {
            value = try? decoder.singleValueContainer().decode(String.self)
        }
    }
    var model: String?
    var messages: [Message]?
    var response_format: Format?
}
