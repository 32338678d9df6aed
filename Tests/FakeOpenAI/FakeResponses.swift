import FlyingFox
import FlyingSocks
import Foundation

/// Realistic OpenAI response bodies for the fake server.
enum FakeResponses {
    static func response(for behavior: FakeBehavior, to request: FakeRequest) async -> HTTPResponse {
        switch behavior {
        case .answer(let content):
            return completion(content, finishReason: "stop", for: request)
        case .answerAfter(let seconds, let content):
            if seconds > 0 { try? await Task.sleep(nanoseconds: UInt64(min(seconds, 86_400) * 1e9)) }
            return completion(content, finishReason: "stop", for: request)
        case .truncated(let content):
            return completion(content, finishReason: "length", for: request)
        case .status(let status, let retryAfter):
            var response = error(status, type: errorType(for: status), message: "fake error \(status)")
            if let retryAfter { response.headers[HTTPHeader("Retry-After")] = retryAfter }
            return response
        case .serverError:
            return error(500, type: "server_error", message: "The server had an error while processing your request.")
        case .dropConnection:
            // Headers promising a body, a few bytes of it, then the connection closes: the
            // client sees a cut-off answer whatever the connection's history. (A connection
            // closed before any byte is re-sent by libcurl on its own when it was a reused
            // keep-alive one, so the caller would never see the failure.)
            let prefix = Array(#"{"id":"chatcmpl-dropped","#.utf8)
            let body = HTTPBodySequence(from: BrokenBody(prefix: prefix), count: prefix.count + 200)
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"], body: body)
        case .malformedJSON:
            return json(200, #"{"id":"chatcmpl-broken","object":"chat.completion","choices":[{"index":0,"message":{"role":"assi"#)
        case .custom(let status, let headers, let body):
            var response = HTTPResponse(statusCode: statusCode(status), body: Data(body.utf8))
            for (name, value) in headers { response.headers[HTTPHeader(name)] = value }
            return response
        }
    }

    static func completion(_ content: String, finishReason: String, for request: FakeRequest) -> HTTPResponse {
        let promptTokens = request.messages.reduce(3) { $0 + tokens($1.content) + 4 }
        let completionTokens = tokens(content)
        // Written by hand: JSONSerialization costs more than the rest of the request on Linux.
        let body = #"{"id":"chatcmpl-fake\#(request.index)","object":"chat.completion","#
            + #""created":\#(Int(Date().timeIntervalSince1970)),"model":\#(quoted(request.model ?? "fake-model")),"#
            + #""system_fingerprint":"fp_fake","choices":[{"index":0,"#
            + #""message":{"role":"assistant","content":\#(quoted(content))},"#
            + #""logprobs":null,"finish_reason":\#(quoted(finishReason))}],"#
            + #""usage":{"prompt_tokens":\#(promptTokens),"completion_tokens":\#(completionTokens),"#
            + #""total_tokens":\#(promptTokens + completionTokens)}}"#
        return json(200, body)
    }

    /// About four characters per token, like English text under the usual BPE vocabularies.
    static func tokens(_ text: String) -> Int {
        text.isEmpty ? 0 : max(1, (text.count + 3) / 4)
    }

    static func error(_ status: Int, type: String, message: String) -> HTTPResponse {
        json(status, #"{"error":{"message":\#(quoted(message)),"type":\#(quoted(type)),"param":null,"code":null}}"#)
    }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func json(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(statusCode: statusCode(status), headers: [.contentType: "application/json"], body: Data(text.utf8))
    }

    private static func errorType(for status: Int) -> String {
        switch status {
        case 401: "authentication_error"
        case 429: "rate_limit_error"
        case 500...: "server_error"
        default: "invalid_request_error"
        }
    }

    private static func statusCode(_ code: Int) -> HTTPStatusCode {
        let phrases = [200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                       408: "Request Timeout", 409: "Conflict", 429: "Too Many Requests",
                       500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
                       504: "Gateway Timeout"]
        return HTTPStatusCode(code, phrase: phrases[code] ?? "Status \(code)")
    }
}

/// A body that yields `prefix` and then fails, so the server closes the connection mid-body.
private struct BrokenBody: AsyncBufferedSequence {
    typealias Element = UInt8
    struct Dropped: Error {}
    let prefix: [UInt8]

    func makeAsyncIterator() -> Iterator { Iterator(pending: prefix) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var pending: [UInt8]?

        mutating func next() async throws -> UInt8? {
            guard var bytes = pending, !bytes.isEmpty else { throw Dropped() }
            let first = bytes.removeFirst()
            pending = bytes
            return first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            guard let bytes = pending, !bytes.isEmpty else { throw Dropped() }
            pending = nil
            return bytes
        }
    }
}
