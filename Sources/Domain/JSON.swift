/// A JSON value as read from a data file. Numbers keep their literal text so that
/// re-serialising a sample never changes it; object keys keep their file order.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var object: JSONObject? { if case .object(let o) = self { return o }; return nil }
    public var array: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var int: Int? { if case .number(let n) = self { return Int(n) }; return nil }
    public var double: Double? { if case .number(let n) = self { return Double(n) }; return nil }

    /// The kind's name as used in error messages ("a string", "an object").
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Follows a dotted path such as `user.profile.city`; nil when any step is missing.
    public subscript(path path: String) -> JSONValue? {
        var current: JSONValue? = self
        for part in path.split(separator: ".") {
            guard case .object(let o)? = current else { return nil }
            current = o[String(part)]
        }
        return current
    }
}

/// An ordered JSON object. Lookups are linear: the objects of a sample are small.
public struct JSONObject: Sendable, Equatable {
    public private(set) var keys: [String] = []
    public private(set) var values: [JSONValue] = []

    public init() {}
    public init(_ pairs: [(String, JSONValue)]) { for (k, v) in pairs { self[k] = v } }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }
    public var entries: Zip2Sequence<[String], [JSONValue]> { zip(keys, values) }

    public subscript(key: String) -> JSONValue? {
        get { keys.firstIndex(of: key).map { values[$0] } }
        set {
            if let i = keys.firstIndex(of: key) {
                if let newValue { values[i] = newValue } else { keys.remove(at: i); values.remove(at: i) }
            } else if let newValue {
                keys.append(key); values.append(newValue)
            }
        }
    }

    /// Appends without checking for an existing key (the parser checks duplicates itself).
    mutating func appendUnchecked(_ key: String, _ value: JSONValue) { keys.append(key); values.append(value) }

    /// A copy without the given keys.
    public func removing(_ drop: Set<String>) -> JSONObject {
        var o = JSONObject()
        for (k, v) in entries where !drop.contains(k) { o.appendUnchecked(k, v) }
        return o
    }
}

// MARK: - Serialisation

extension JSONValue {
    /// Compact JSON text. With `canonical`, object keys are sorted (Swift `String` order), which
    /// makes the text a stable identity for content hashing.
    public func serialized(canonical: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out, canonical: canonical)
        return String(decoding: out, as: UTF8.self)
    }

    public func write(into out: inout [UInt8], canonical: Bool) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): JSONValue.writeString(s, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                v.write(into: &out, canonical: canonical)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            func member(_ n: Int, _ i: Int) {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeString(o.keys[i], into: &out)
                out.append(UInt8(ascii: ":"))
                o.values[i].write(into: &out, canonical: canonical)
            }
            let keys = o.keys
            if canonical, !zip(keys, keys.dropFirst()).allSatisfy({ $0 < $1 }) {
                for (n, i) in keys.indices.sorted(by: { keys[$0] < keys[$1] }).enumerated() { member(n, i) }
            } else {
                for i in keys.indices { member(i, i) }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        JSONEscape.append(s, to: &out)
    }
}
