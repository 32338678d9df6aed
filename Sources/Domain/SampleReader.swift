/// Turns one parsed JSON line into samples, checking every field against the session's
/// rubrics. A line is either one sample, or one user context with `outputs: [...]`.
public struct SampleReader: Sendable {
    public let rubrics: [String: Rubric]

    public init(rubrics: [Rubric]) {
        var r: [String: Rubric] = [:]
        for rubric in rubrics { r[rubric.task] = rubric }
        self.rubrics = r
    }

    static let knownTop: Set<String> = ["id", "task", "user", "item", "output", "generator"]

    /// Field-located problem; the caller adds file and line.
    public struct FieldError: Error, Sendable, Equatable {
        public var field: String
        public var message: String
    }

    public func samples(from value: JSONValue) throws(FieldError) -> [Sample] {
        guard case .object(let top) = value else { throw FieldError(field: "", message: "expected a JSON object, found \(value.kindName)") }
        guard let userValue = top["user"] else { throw FieldError(field: "user", message: "missing (every sample needs the user context)") }
        let user = try checkUser(userValue)
        if let outputs = top["outputs"] {
            guard case .array(let list) = outputs else { throw FieldError(field: "outputs", message: "expected an array, found \(outputs.kindName)") }
            guard !list.isEmpty else { throw FieldError(field: "outputs", message: "empty: nothing to import") }
            for k in ["id", "output"] where top[k] != nil {
                throw FieldError(field: k, message: "belongs inside each entry of 'outputs'")
            }
            var out: [Sample] = []
            out.reserveCapacity(list.count)
            for (i, entry) in list.enumerated() {
                guard case .object(var o) = entry else { throw FieldError(field: "outputs[\(i)]", message: "expected an object, found \(entry.kindName)") }
                // Line-level task, item and generator apply to every output that lacks its own.
                for k in ["task", "item", "generator"] where o[k] == nil { if let v = top[k] { o[k] = v } }
                do { out.append(try sample(o, user: user)) } catch { throw FieldError(field: "outputs[\(i)].\(error.field)", message: error.message) }
            }
            return out
        }
        return [try sample(top, user: user)]
    }

    private func sample(_ o: JSONObject, user: JSONObject) throws(FieldError) -> Sample {
        guard let taskValue = o["task"] else { throw FieldError(field: "task", message: "missing (one of: \(rubrics.keys.sorted().joined(separator: ", ")))") }
        guard case .string(let task) = taskValue else { throw FieldError(field: "task", message: "expected a string, found \(taskValue.kindName)") }
        guard let rubric = rubrics[task] else {
            throw FieldError(field: "task", message: "unknown task '\(task)' (this session has: \(rubrics.keys.sorted().joined(separator: ", ")))")
        }
        guard let outValue = o["output"] else { throw FieldError(field: "output", message: "missing") }
        guard case .object(let output) = outValue else { throw FieldError(field: "output", message: "expected an object, found \(outValue.kindName)") }
        for f in rubric.output.required {
            guard let v = output[f] else { throw FieldError(field: "output.\(f)", message: "missing (a \(task) output needs \(rubric.output.required.joined(separator: ", ")))") }
            guard case .string(let s) = v else { throw FieldError(field: "output.\(f)", message: "expected a string, found \(v.kindName)") }
            if s.allSatisfy(\.isWhitespace) { throw FieldError(field: "output.\(f)", message: "empty") }
        }
        for f in rubric.output.optional {
            if let v = output[f], v != .null, v.string == nil { throw FieldError(field: "output.\(f)", message: "expected a string, found \(v.kindName)") }
        }
        var item: JSONObject?
        if let iv = o["item"], iv != .null {
            guard case .object(let io) = iv else { throw FieldError(field: "item", message: "expected an object, found \(iv.kindName)") }
            for f in ["id", "title", "category", "profile"] {
                if let v = io[f], v.string == nil { throw FieldError(field: "item.\(f)", message: "expected a string, found \(v.kindName)") }
            }
            item = io
        }
        if rubric.needsItem {
            guard let item else { throw FieldError(field: "item", message: "missing (a \(task) sample is about one item)") }
            guard item["title"] != nil else { throw FieldError(field: "item.title", message: "missing") }
        }
        var model: String?
        var round: Int?
        if let gv = o["generator"], gv != .null {
            guard case .object(let g) = gv else { throw FieldError(field: "generator", message: "expected an object, found \(gv.kindName)") }
            if let m = g["model"] {
                guard case .string(let s) = m else { throw FieldError(field: "generator.model", message: "expected a string, found \(m.kindName)") }
                model = s
            }
            if let r = g["round"] {
                guard let n = r.int, n >= 0 else { throw FieldError(field: "generator.round", message: "expected a whole number ≥ 0") }
                round = n
            }
        }
        let extra = o.removing(Self.knownTop.union(["outputs"]))
        let id: String
        if let iv = o["id"] {
            guard case .string(let s) = iv else { throw FieldError(field: "id", message: "expected a string, found \(iv.kindName)") }
            guard !s.isEmpty, s.count <= 256 else { throw FieldError(field: "id", message: "must be 1 to 256 characters") }
            guard !s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw FieldError(field: "id", message: "contains a control character")
            }
            id = s
        } else {
            // A stable id from the content, so re-importing the same file gives the same ids.
            var s = Sample(id: "", task: task, user: user, item: item, output: output, generatorModel: model,
                           generatorRound: round, extra: extra)
            s.id = "\(s.userID)-\(task)-" + SHA256.hex(s.contextJSON + s.bodyJSON()).prefix(12)
            return s
        }
        return Sample(id: id, task: task, user: user, item: item, output: output, generatorModel: model,
                      generatorRound: round, extra: extra)
    }

    private func checkUser(_ v: JSONValue) throws(FieldError) -> JSONObject {
        guard case .object(let u) = v else { throw FieldError(field: "user", message: "expected an object, found \(v.kindName)") }
        guard let idv = u["id"] else { throw FieldError(field: "user.id", message: "missing") }
        guard case .string(let id) = idv else { throw FieldError(field: "user.id", message: "expected a string, found \(idv.kindName)") }
        guard !id.isEmpty else { throw FieldError(field: "user.id", message: "empty") }
        if let p = u["profile"], p != .null, p.object == nil { throw FieldError(field: "user.profile", message: "expected an object, found \(p.kindName)") }
        if let bv = u["behaviors"], bv != .null {
            guard case .array(let bs) = bv else { throw FieldError(field: "user.behaviors", message: "expected an array, found \(bv.kindName)") }
            for (i, b) in bs.enumerated() {
                let at = "user.behaviors[\(i)]"
                guard case .object(let bo) = b else { throw FieldError(field: at, message: "expected an object, found \(b.kindName)") }
                for f in ["time", "type"] {
                    guard let x = bo[f] else { throw FieldError(field: "\(at).\(f)", message: "missing") }
                    guard x.string != nil else { throw FieldError(field: "\(at).\(f)", message: "expected a string, found \(x.kindName)") }
                }
                for f in ["item", "category", "query"] {
                    if let x = bo[f], x != .null, x.string == nil { throw FieldError(field: "\(at).\(f)", message: "expected a string, found \(x.kindName)") }
                }
            }
        }
        if let iv = u["interests"], iv != .null {
            guard case .array(let list) = iv else { throw FieldError(field: "user.interests", message: "expected an array, found \(iv.kindName)") }
            for (i, x) in list.enumerated() where x.string == nil {
                throw FieldError(field: "user.interests[\(i)]", message: "expected a string, found \(x.kindName)")
            }
        }
        return u
    }
}
