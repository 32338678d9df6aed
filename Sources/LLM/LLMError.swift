import Foundation

/// Why a chat call failed. Every string it carries has the API key scrubbed, and
/// `description` scrubs once more with every key a client of this process was given.
public enum LLMError: Error, Sendable, CustomStringConvertible {
    /// The server answered with a non-2xx status. `body` is the first ~500 bytes.
    /// `retryAfter` is the `Retry-After` (or `retry-after-ms`) header in seconds from receipt.
    case http(status: Int, retryAfter: Double?, body: String)
    /// The connect or total timeout of the endpoint elapsed.
    case timeout(String)
    /// No usable answer arrived: refused, reset, dropped, DNS, TLS or proxy failure.
    case connection(String)
    /// A 2xx answer that is not a chat completion.
    case malformedResponse(String)
    /// The calling task was cancelled (or the client shut down) before the answer came.
    case cancelled

    /// True for failures worth another attempt: 408, 409, 429, 5xx, timeouts and connection errors.
    public var isRetryable: Bool {
        switch self {
        case .http(let status, _, _): status == 408 || status == 409 || status == 429 || (500...599).contains(status)
        case .timeout, .connection: true
        case .malformedResponse, .cancelled: false
        }
    }

    /// The server's requested wait in seconds, for `.http` errors that carried one.
    public var retryAfter: Double? {
        if case .http(_, let retryAfter, _) = self { return retryAfter }
        return nil
    }

    public var description: String {
        let text: String
        switch self {
        case .http(let status, let retryAfter, let body):
            let wait = retryAfter.map { String(format: " (retry after %.3g s)", $0) } ?? ""
            text = "HTTP \(status)\(wait): \(body)"
        case .timeout(let message): text = "timed out: \(message)"
        case .connection(let message): text = "connection failed: \(message)"
        case .malformedResponse(let message): text = "malformed response: \(message)"
        case .cancelled: text = "cancelled"
        }
        return Secrets.scrub(text)
    }
}

/// A request that cannot be sent as given (a non-finite temperature, a schema that is not
/// a JSON object). Retrying cannot help.
public struct LLMRequestError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "invalid chat request: \(Secrets.scrub(message))" }
}

/// An endpoint the client refuses to use (bad URL scheme, missing CA bundle, bad limits).
public struct LLMConfigurationError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "invalid LLM endpoint: \(Secrets.scrub(message))" }
}

/// The process-wide list of API keys that must never appear in text we produce.
///
/// `CurlChatClient` registers its key; `LLMError.description` scrubs all of them, so an error
/// built from server text cannot leak a key even if it reached another client's error.
public enum Secrets {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var secrets: Set<String> = []

    /// The text that replaces a secret.
    public static let mask = "[REDACTED]"

    /// Adds `secret` to the scrub list (empty strings are ignored).
    public static func register(_ secret: String) {
        guard !secret.isEmpty else { return }
        lock.lock(); defer { lock.unlock() }
        secrets.insert(secret)
    }

    /// `text` with every registered secret, and `extra` if given, replaced by `mask`.
    public static func scrub(_ text: String, also extra: String? = nil) -> String {
        lock.lock()
        var all = secrets
        lock.unlock()
        if let extra, !extra.isEmpty { all.insert(extra) }
        var out = text
        // Longest first, so a key that contains another key is removed whole.
        for secret in all.sorted(by: { $0.count > $1.count }) where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: mask)
        }
        return out
    }

    /// `bytes` decoded as UTF-8 (invalid sequences replaced), scrubbed of `key` and every
    /// registered secret, then cut to at most `limit` bytes on a character boundary with `…`.
    static func excerpt(_ bytes: some Collection<UInt8>, key: String?, limit: Int = 500) -> String {
        let text = scrub(String(decoding: bytes, as: UTF8.self), also: key)
        guard text.utf8.count > limit else { return text }
        var cut = text.utf8.index(text.utf8.startIndex, offsetBy: limit)
        while String.Index(cut, within: text) == nil && cut > text.startIndex { cut = text.utf8.index(before: cut) }
        return String(text[..<cut]) + "…"
    }
}
