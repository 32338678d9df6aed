/// A problem with an input file, located so that a person can fix it:
/// `samples.jsonl:57: output.tag: expected a string`.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var field: String?
    public var message: String

    public init(file: String, line: Int?, field: String? = nil, message: String) {
        self.file = file; self.line = line; self.field = field; self.message = message
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        s += ": "
        if let field, !field.isEmpty { s += "\(field): " }
        return s + message
    }
}

/// Several input problems found in one pass; the first `limit` are kept.
public struct InputErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [InputError]
    public var total: Int
    public init(_ errors: [InputError], total: Int? = nil) { self.errors = errors; self.total = total ?? errors.count }
    public var description: String {
        var lines = errors.map(\.description)
        if total > errors.count { lines.append("… and \(total - errors.count) more") }
        return lines.joined(separator: "\n")
    }
}
