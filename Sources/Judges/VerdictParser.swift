import Domain
import Store

/// Reads a judge model's reply into one verdict per dimension. Lenient about where the JSON
/// is (a fenced block, prose around the object) and about label case and separators
/// ("Weak relevance" is `weak_relevance`); strict about what it means: a missing dimension,
/// a label outside the rubric or an unreadable reply is a failed verdict with its reason.
public struct VerdictParser: Sendable {
    public let rubric: Rubric
    public init(rubric: Rubric) { self.rubric = rubric }

    public func parse(_ content: String?, finishReason: String?) -> [VerdictInput] {
        if finishReason == "length" {
            return failAll("the reply was cut off (finish_reason \"length\"): raise max_tokens")
        }
        guard let content, !content.allSatisfy(\.isWhitespace) else { return failAll("the reply was empty") }
        let keys = Set(rubric.dimensions.map { Self.normalise($0.key) })
        let mentionsADimension: (JSONObject) -> Bool = { o in o.keys.contains { keys.contains(Self.normalise($0)) } }
        guard let object = Self.findObject(in: content, preferring: mentionsADimension) ?? Self.findObject(in: content, preferring: { _ in true })
        else { return failAll("no JSON object found in the reply") }
        return rubric.dimensions.map { d in
            guard let v = object[d.key] ?? object.entries.first(where: { Self.normalise($0.0) == Self.normalise(d.key) })?.1 else {
                return VerdictInput(dimension: d.key, label: nil, failure: "the reply has no verdict for '\(d.key)'")
            }
            var labelText: String?
            var rationale = ""
            switch v {
            case .string(let s): labelText = s
            case .object(let o):
                labelText = o["label"]?.string
                rationale = o["rationale"]?.string ?? o["reason"]?.string ?? ""
            default: break
            }
            guard let labelText else {
                return VerdictInput(dimension: d.key, label: nil, rationale: rationale, failure: "the verdict for '\(d.key)' has no label")
            }
            guard let label = d.labels.first(where: { Self.normalise($0.key) == Self.normalise(labelText) }) else {
                return VerdictInput(dimension: d.key, label: nil, rationale: rationale,
                                    failure: "'\(labelText)' is not a label of \(d.key) (labels: \(d.labels.map(\.key).joined(separator: ", ")))")
            }
            return VerdictInput(dimension: d.key, label: label.key, rationale: rationale)
        }
    }

    func failAll(_ reason: String) -> [VerdictInput] {
        rubric.dimensions.map { VerdictInput(dimension: $0.key, label: nil, failure: reason) }
    }

    static func normalise(_ s: String) -> String {
        String(s.lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 }).trimmingCharacters(in: .whitespaces)
    }

    /// The first JSON object in the text that `wanted` accepts: the whole text, a fenced
    /// block, or a balanced `{…}` that parses.
    static func findObject(in text: String, preferring wanted: (JSONObject) -> Bool) -> JSONObject? {
        if case .object(let o)? = try? JSONParser.parse(text), wanted(o) { return o }
        if let fence = text.range(of: "```") {
            var body = text[fence.upperBound...]
            if let nl = body.firstIndex(of: "\n") { body = body[body.index(after: nl)...] }
            if let end = body.range(of: "```"), case .object(let o)? = try? JSONParser.parse(String(body[..<end.lowerBound])), wanted(o) { return o }
        }
        let chars = Array(text.utf8)
        var start = 0
        while let open = chars[start...].firstIndex(of: UInt8(ascii: "{")) {
            var depth = 0, inString = false, escaped = false
            for i in open..<chars.count {
                let c = chars[i]
                if inString {
                    if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                    continue
                }
                if c == UInt8(ascii: "\"") { inString = true }
                else if c == UInt8(ascii: "{") { depth += 1 }
                else if c == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 {
                        let slice = String(decoding: chars[open...i], as: UTF8.self)
                        if case .object(let o)? = try? JSONParser.parse(slice), wanted(o) { return o }
                        break
                    }
                }
            }
            start = open + 1
        }
        return nil
    }
}

import Foundation
