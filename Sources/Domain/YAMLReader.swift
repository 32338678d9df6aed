import Yams

/// Typed, located access to a composed YAML document. Every refusal names the file, the
/// line and the key path, and says what was expected.
struct YAMLNode {
    let node: Node
    let file: String
    let path: String

    static func load(_ text: String, file: String) throws -> YAMLNode {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw InputError(file: file, line: 1, message: "the file is empty")
            }
            return YAMLNode(node: node, file: file, path: "")
        } catch let e as InputError {
            throw e
        } catch let e as YamlError {
            throw InputError(yaml: e, file: file)
        } catch {
            throw InputError(file: file, line: nil, message: "not valid YAML: \(error)")
        }
    }

    var line: Int? { node.mark?.line }

    func error(_ message: String, field: String? = nil, line: Int? = nil) -> InputError {
        InputError(file: file, line: line ?? self.line, field: field ?? path, message: message)
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The mapping's entries, refusing keys not in `allowed` and duplicate keys.
    func mapping(allowed: Set<String>) throws -> [String: YAMLNode] {
        guard case .mapping(let m) = node else { throw error("expected a mapping (key: value lines)") }
        var out: [String: YAMLNode] = [:]
        for (k, v) in m {
            guard case .scalar(let ks) = k else { throw error("keys must be plain words") }
            let key = ks.string
            let at = k.mark?.line ?? line
            guard allowed.contains(key) else {
                throw error("unknown key '\(key)' (expected one of: \(allowed.sorted().joined(separator: ", ")))", field: child(key), line: at)
            }
            guard out[key] == nil else { throw error("duplicate key '\(key)'", field: child(key), line: at) }
            out[key] = YAMLNode(node: v, file: file, path: child(key))
        }
        return out
    }

    var isNull: Bool {
        if case .scalar(let s) = node, s.style == .plain || s.style == .any {
            return ["", "~", "null", "Null", "NULL"].contains(s.string)
        }
        return false
    }

    func string() throws -> String {
        guard case .scalar(let s) = node, !isNull else { throw error("expected text") }
        return s.string
    }

    /// A scalar that must stay text: an unquoted yes/no/on/off/true/false is refused, because
    /// YAML 1.1 tools read it as a boolean.
    func plainString() throws -> String {
        let s = try string()
        if case .scalar(let sc) = node, sc.style == .plain,
           ["yes", "no", "on", "off", "true", "false", "y", "n"].contains(s.lowercased()) {
            throw error("'\(s)' reads as a boolean in YAML: quote it, e.g. \"\(s)\"")
        }
        return s
    }

    func int() throws -> Int {
        guard case .scalar(let s) = node, let v = Int(s.string) else { throw error("expected a whole number") }
        return v
    }

    func double() throws -> Double {
        guard case .scalar(let s) = node, let v = Double(s.string) else { throw error("expected a number") }
        return v
    }

    func bool() throws -> Bool {
        guard case .scalar(let s) = node else { throw error("expected true or false") }
        switch s.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, found '\(s.string)'")
        }
    }

    func sequence() throws -> [YAMLNode] {
        guard case .sequence(let seq) = node else { throw error("expected a list") }
        return seq.enumerated().map { YAMLNode(node: $1, file: file, path: "\(path)[\($0)]") }
    }

    func strings() throws -> [String] { try sequence().map { try $0.string() } }

    /// Whether the scalar was written as a block (`|` or `>`), whose text starts on the next line.
    var isBlockScalar: Bool {
        if case .scalar(let s) = node { return s.style == .literal || s.style == .folded }
        return false
    }

    /// Converts any YAML subtree to JSON (for examples and free-form parameters).
    func json() -> JSONValue {
        switch node {
        case .scalar(let s):
            if isNull { return .null }
            if s.style == .plain {
                switch s.string.lowercased() {
                case "true": return .bool(true)
                case "false": return .bool(false)
                default:
                    if Double(s.string) != nil, (try? JSONParser.parse(s.string)) != nil { return .number(s.string) }
                }
            }
            return .string(s.string)
        case .sequence:
            return .array(((try? sequence()) ?? []).map { $0.json() })
        case .mapping(let m):
            var o = JSONObject()
            for (k, v) in m { o[k.scalar?.string ?? ""] = YAMLNode(node: v, file: file, path: path).json() }
            return .object(o)
        }
    }
}

extension InputError {
    /// What Yams refused in `file`, with the line it names.
    public init(yaml e: YamlError, file: String) {
        let line: Int?, problem: String
        switch e {
        case .scanner(_, let p, let m, _), .parser(_, let p, let m, _), .composer(_, let p, let m, _): (line, problem) = (m.line, p)
        case .reader(let p, _, _, _): (line, problem) = (nil, p)
        default: (line, problem) = (nil, "\(e)")
        }
        self.init(file: file, line: line, message: "not valid YAML: \(problem)")
    }
}
