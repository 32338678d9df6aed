import Foundation

extension Rubric {
    /// Reads and checks a rubric file. Refuses unknown keys, duplicate dimensions or labels,
    /// a dimension without a passing (or without a failing) label, hotkey clashes within a
    /// dimension, examples naming unknown labels, and judge templates naming fields that do
    /// not exist, each with the file, line and what to fix.
    public static func load(path: String) throws -> Rubric {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw InputError(file: path, line: nil, message: "cannot read the rubric: \(error.localizedDescription)")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws -> Rubric {
        let root = try YAMLNode.load(text, file: file)
        let top = try root.mapping(allowed: ["task", "title", "version", "pass", "output", "needs_item", "dimensions", "judge"])
        func required(_ key: String) throws -> YAMLNode {
            guard let n = top[key] else { throw root.error("missing key '\(key)'", field: key) }
            return n
        }
        let task = try required("task").string()
        guard task.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) != nil else {
            throw try required("task").error("task must be a lower-case word such as 'tag'")
        }
        let version = try required("version").int()
        if let p = top["pass"], try p.string() != "all" {
            throw p.error("only 'pass: all' is supported (a sample passes when every dimension passes)")
        }
        let output = try parseOutput(try required("output"))
        var dimensions: [Dimension] = []
        for dnode in try required("dimensions").sequence() {
            let d = try parseDimension(dnode, output: output)
            if dimensions.contains(where: { $0.key == d.key }) {
                throw dnode.error("duplicate dimension '\(d.key)'")
            }
            dimensions.append(d)
        }
        guard !dimensions.isEmpty else { throw try required("dimensions").error("a rubric needs at least one dimension") }
        let needsItem = try top["needs_item"]?.bool() ?? false
        let jnode = try required("judge")
        let j = try jnode.mapping(allowed: ["system", "prompt"])
        guard let sys = j["system"], let prompt = j["prompt"] else {
            throw jnode.error("the judge needs both 'system' and 'prompt'")
        }
        let template = JudgeTemplate(system: try sys.string(), prompt: try prompt.string())
        let fields = TemplateFields(outputFields: output.all, hasItem: needsItem)
        for node in [sys, prompt] {
            let s = try node.string()
            if let bad = Template.placeholders(in: s).first(where: { !fields.knows($0.name) }) {
                let line = (node.line ?? 0) + (node.isBlockScalar ? 1 : 0) + bad.lineOffset
                throw node.error("{{\(bad.name)}} names a field that does not exist; known fields: \(fields.known.joined(separator: ", "))", line: line)
            }
        }
        return Rubric(task: task, title: try top["title"]?.string() ?? task, version: version, needsItem: needsItem,
                      output: output, dimensions: dimensions, judge: template, file: file)
    }

    private static func parseOutput(_ node: YAMLNode) throws -> OutputShape {
        let m = try node.mapping(allowed: ["required", "optional"])
        let req = try m["required"]?.strings() ?? []
        let opt = try m["optional"]?.strings() ?? []
        guard !req.isEmpty else { throw node.error("name at least one required output field") }
        if let dup = Set(req).intersection(opt).first { throw node.error("'\(dup)' is both required and optional") }
        return OutputShape(required: req, optional: opt)
    }

    private static func parseDimension(_ node: YAMLNode, output: OutputShape) throws -> Dimension {
        let m = try node.mapping(allowed: ["key", "question", "labels", "guideline", "examples"])
        guard let keyNode = m["key"] else { throw node.error("a dimension needs a 'key'") }
        let key = try keyNode.string()
        guard let qNode = m["question"] else { throw node.error("dimension '\(key)' needs a 'question'") }
        guard let lNode = m["labels"] else { throw node.error("dimension '\(key)' needs 'labels'") }
        var labels: [RubricLabel] = []
        for ln in try lNode.sequence() {
            let lm = try ln.mapping(allowed: ["key", "text", "pass", "hotkey"])
            guard let k = lm["key"], let p = lm["pass"], let h = lm["hotkey"] else {
                throw ln.error("a label needs 'key', 'pass' and 'hotkey'")
            }
            let lkey = try k.plainString()
            guard !labels.contains(where: { $0.key == lkey }) else { throw k.error("duplicate label '\(lkey)' in dimension '\(key)'") }
            let hk = try h.plainString()
            guard hk.count == 1, let hc = hk.first, !hc.isWhitespace else {
                throw h.error("a hotkey is one character, e.g. hotkey: \"1\"")
            }
            if let other = labels.first(where: { $0.hotkey == hc }) {
                throw h.error("hotkey '\(hc)' is used by both '\(other.key)' and '\(lkey)' in dimension '\(key)'")
            }
            labels.append(RubricLabel(key: lkey, text: try lm["text"]?.string() ?? lkey, passes: try p.bool(), hotkey: hc))
        }
        guard labels.contains(where: \.passes) else { throw lNode.error("dimension '\(key)' has no passing label (set pass: true on one)") }
        guard labels.contains(where: { !$0.passes }) else { throw lNode.error("dimension '\(key)' has no failing label (set pass: false on one)") }
        var examples: [RubricExample] = []
        for en in try m["examples"]?.sequence() ?? [] {
            let em = try en.mapping(allowed: ["label", "output", "note"])
            guard let l = em["label"] else { throw en.error("an example needs a 'label'") }
            let lk = try l.plainString()
            guard labels.contains(where: { $0.key == lk }) else {
                throw l.error("example label '\(lk)' is not a label of '\(key)' (labels: \(labels.map(\.key).joined(separator: ", ")))")
            }
            examples.append(RubricExample(label: lk, output: em["output"]?.json() ?? .null, note: try em["note"]?.string() ?? ""))
        }
        return Dimension(key: key, question: try qNode.string(), labels: labels,
                         guideline: try m["guideline"]?.string() ?? "", examples: examples)
    }
}
