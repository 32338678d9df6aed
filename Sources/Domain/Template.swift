/// `{{ field }}` placeholders in judge and generation prompts.
public enum Template {
    public struct Placeholder: Sendable, Equatable {
        public var name: String
        /// Lines before the placeholder within the template text.
        public var lineOffset: Int
    }

    /// Every `{{ name }}` in the text, in order.
    public static func placeholders(in text: String) -> [Placeholder] {
        var out: [Placeholder] = []
        var line = 0
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            line += rest[rest.startIndex..<open.lowerBound].filter { $0 == "\n" }.count
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let name = trimmed(rest[open.upperBound..<close.lowerBound])
            out.append(Placeholder(name: name, lineOffset: line))
            line += rest[open.upperBound..<close.lowerBound].filter { $0 == "\n" }.count
            rest = rest[close.upperBound...]
        }
        return out
    }

    /// A template split once into literal text and placeholders, for rendering many times.
    public struct Compiled: Sendable {
        public enum Part: Sendable { case text(String), field(String) }
        public let parts: [Part]

        public init(_ text: String) {
            var parts: [Part] = []
            var rest = Substring(text)
            while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
                if open.lowerBound > rest.startIndex { parts.append(.text(String(rest[rest.startIndex..<open.lowerBound]))) }
                parts.append(.field(trimmed(rest[open.upperBound..<close.lowerBound])))
                rest = rest[close.upperBound...]
            }
            if !rest.isEmpty { parts.append(.text(String(rest))) }
            self.parts = parts
        }

        /// Each placeholder replaced by `value(name)`; a name without a value renders empty.
        public func render(_ value: (String) -> String?) -> String {
            var out = ""
            for p in parts {
                switch p {
                case .text(let t): out += t
                case .field(let f): out += value(f) ?? ""
                }
            }
            return out
        }
    }

    /// Replaces each placeholder by `value(name)`; a name without a value renders empty.
    public static func render(_ text: String, _ value: (String) -> String?) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            out += rest[rest.startIndex..<open.lowerBound]
            let name = trimmed(rest[open.upperBound..<close.lowerBound])
            out += value(name) ?? ""
            rest = rest[close.upperBound...]
        }
        out += rest
        return out
    }
}

private func trimmed(_ s: Substring) -> String {
    String(s.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
}

/// The fields a rubric's templates may name.
public struct TemplateFields: Sendable {
    public var known: [String]

    public init(outputFields: [String], hasItem: Bool) {
        var k = ["sample.id", "task", "user", "user.id", "user.profile", "user.behaviors", "user.interests",
                 "output", "generator.model", "generator.round", "dimensions", "response_format"]
        k += outputFields.map { "output.\($0)" }
        if hasItem { k += ["item", "item.id", "item.title", "item.category", "item.profile"] }
        known = k
    }

    public func knows(_ name: String) -> Bool { known.contains(name) }
}
