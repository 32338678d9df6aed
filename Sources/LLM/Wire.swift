import Foundation
import Domain

// The JSON of /chat/completions: the request body is written by hand so the caller's
// schema text goes out verbatim (property order steers structured output); the answer
// is decoded leniently with Codable.

enum Wire {
    /// The request body as UTF-8 JSON. Throws `LLMRequestError` for values JSON cannot
    /// carry (non-finite temperature) or a schema that is not a JSON object.
    static func body(for request: ChatRequest) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + request.messages.reduce(0) { $0 + $1.content.utf8.count + 32 })
        out.append(contentsOf: #"{"model":"#.utf8)
        appendString(request.model, to: &out)
        out.append(contentsOf: #","messages":["#.utf8)
        for (i, message) in request.messages.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"role":"#.utf8)
            appendString(message.role, to: &out)
            out.append(contentsOf: #","content":"#.utf8)
            appendString(message.content, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        if let temperature = request.temperature {
            guard temperature.isFinite else { throw LLMRequestError("temperature must be a finite number") }
            out.append(contentsOf: #","temperature":\#(temperature)"#.utf8)
        }
        if let maxTokens = request.maxTokens {
            out.append(contentsOf: #","max_tokens":\#(maxTokens)"#.utf8)
        }
        if let seed = request.seed {
            out.append(contentsOf: #","seed":\#(seed)"#.utf8)
        }
        switch request.responseFormat {
        case nil: break
        case .jsonObject:
            out.append(contentsOf: #","response_format":{"type":"json_object"}"#.utf8)
        case .jsonSchema(let name, let schema, let strict):
            let parsed = try? JSONSerialization.jsonObject(with: Data(schema.utf8))
            guard parsed is [String: Any] else {
                throw LLMRequestError("the JSON schema '\(name)' is not a JSON object")
            }
            out.append(contentsOf: #","response_format":{"type":"json_schema","json_schema":{"name":"#.utf8)
            appendString(name, to: &out)
            out.append(contentsOf: #","strict":\#(strict),"schema":"#.utf8)
            out.append(contentsOf: schema.utf8)
            out.append(contentsOf: "}}".utf8)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Appends `text` as a JSON string literal (RFC 8259 escaping; non-ASCII stays UTF-8).
    static func appendString(_ text: String, to out: inout [UInt8]) {
        JSONEscape.append(text, to: &out)
    }

    /// Decodes a 2xx body into a completion. Throws `LLMError.malformedResponse` when it is
    /// not JSON or has no `choices[0]`; an `error` object in a 2xx body is reported as such.
    static func completion(from body: [UInt8], status: Int, latency: Double, key: String?) throws -> ChatCompletion {
        let decoded: Response
        do {
            decoded = try JSONDecoder().decode(Response.self, from: Data(body))
        } catch {
            throw LLMError.malformedResponse("body is not a chat completion (\(body.count) bytes): "
                + Secrets.excerpt(body, key: key, limit: 200))
        }
        guard let choice = decoded.choices?.first else {
            if let message = decoded.error?.message {
                throw LLMError.malformedResponse("status \(status) with an error object: "
                    + Secrets.excerpt(Array(message.utf8), key: key, limit: 300))
            }
            throw LLMError.malformedResponse("no choices in the answer: " + Secrets.excerpt(body, key: key, limit: 200))
        }
        return ChatCompletion(
            content: choice.message?.content?.text,
            finishReason: choice.finish_reason,
            promptTokens: decoded.usage?.prompt_tokens,
            completionTokens: decoded.usage?.completion_tokens,
            rawBody: Secrets.scrub(String(decoding: body, as: UTF8.self), also: key),
            latency: latency,
            status: status)
    }

    // Field names mirror the wire.
    struct Response: Decodable {
        var choices: [Choice]?
        var usage: Usage?
        var error: ErrorObject?
    }
    struct Choice: Decodable {
        var message: Message?
        var finish_reason: String?
    }
    struct Message: Decodable {
        var content: Lenient<String>?
    }
    struct Usage: Decodable {
        var prompt_tokens: Int?
        var completion_tokens: Int?
    }
    struct ErrorObject: Decodable {
        var message: String?
    }

    /// A value that decodes to nil text instead of failing when the server sent another type
    /// (e.g. content parts as an array).
    struct Lenient<T: Decodable>: Decodable {
        var text: T?
        init(from decoder: any Decoder) throws {
            text = try? decoder.singleValueContainer().decode(T.self)
        }
    }
}
