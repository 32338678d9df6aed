import Foundation
import Domain

/// Renders a rubric's judge prompt for a sample: the user context compressed to a budget
/// (intentional and newest behaviours first), the output, each dimension with its labels and
/// guideline, and the answer format.
public struct PromptRenderer: Sendable {
    public let rubric: Rubric
    /// Characters the behaviour history may take.
    public let contextBudget: Int

    /// The parts that do not depend on the sample, rendered once.
    let dimensionsText: String
    let responseFormatText: String
    /// The JSON schema of the answer (rendered once: every request of a json_schema judge sends it).
    public let schema: String
    let template: Template.Compiled
    private let contextValues = ContextValues()

    public init(rubric: Rubric, contextBudget: Int) {
        self.rubric = rubric
        self.contextBudget = contextBudget
        dimensionsText = Self.dimensions(rubric)
        responseFormatText = Self.responseFormat(rubric)
        schema = Self.schema(rubric)
        template = Template.Compiled(rubric.judge.prompt)
    }

    public func system() -> String { rubric.judge.system }

    public func prompt(for sample: Sample) -> String {
        template.render { value(of: $0, in: sample) }
    }

    /// The placeholders whose text depends on the user context alone.
    public static let contextFields: Set<String> = ["user", "user.id", "user.profile", "user.behaviors", "user.interests"]

    /// `prompt(for:)` of a sample whose stored user context is `contextID`: the placeholders
    /// that depend on the context alone are rendered once per context (the last few are kept,
    /// shared by every copy of this renderer and safe to use from several threads).
    public func prompt(for sample: Sample, contextID: Int64?) -> String {
        guard let contextID else { return prompt(for: sample) }
        return template.render { name in
            guard Self.contextFields.contains(name) else { return value(of: name, in: sample) }
            if let hit = contextValues.value(contextID, name) { return hit }
            let v = value(of: name, in: sample)
            if let v { contextValues.store(contextID, name, v) }
            return v
        }
    }

    func value(of name: String, in s: Sample) -> String? {
        switch name {
        case "sample.id": return s.id
        case "task": return s.task
        case "user": return JSONValue.object(s.user).serialized()
        case "user.id": return s.userID
        case "user.profile": return describe(s.profile)
        case "user.behaviors": return behaviors(s.behaviors)
        case "user.interests": return interests(s.interests)
        case "output": return JSONValue.object(s.output).serialized()
        case "item": return s.item.map { JSONValue.object($0).serialized() } ?? ""
        case "generator.model": return s.generatorModel ?? ""
        case "generator.round": return s.generatorRound.map(String.init) ?? ""
        case "dimensions": return dimensionsText
        case "response_format": return responseFormatText
        default:
            if name.hasPrefix("output.") { return s.output[String(name.dropFirst(7))]?.string ?? "" }
            if name.hasPrefix("item.") { return s.item?[String(name.dropFirst(5))]?.string ?? "" }
            return nil
        }
    }

    func describe(_ o: JSONObject) -> String {
        if o.isEmpty { return "(none given)" }
        return o.entries.map { k, v in "\(k): \(v.string ?? v.serialized())" }.joined(separator: "; ")
    }

    func interests(_ list: [String]) -> String { list.isEmpty ? "(none given)" : list.joined(separator: ", ") }

    /// The history as lines, chronological, keeping the behaviours that matter most within
    /// the budget: intentional ones (purchase, cart, favourite, search) first, then the newest.
    public func behaviors(_ all: [Behavior]) -> String {
        var out: [UInt8] = []
        appendBehaviors(BehaviorLines(all), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends what `behaviors` gives for these lines (UTF-8).
    func appendBehaviors(_ lines: BehaviorLines, to out: inout [UInt8]) {
        if lines.isEmpty { out.append(contentsOf: "(no behaviour history)".utf8); return }
        lines.appendChosen(budget: contextBudget, byTime: false, to: &out)
    }

    /// The placeholders `StoredContext` gives the text of.
    static let storedContextFields: Set<String> = ["user.profile", "user.behaviors", "user.interests"]

    /// Appends the text of one of `storedContextFields` (UTF-8).
    func appendValue(of name: String, in parts: StoredContext, to out: inout [UInt8]) {
        switch name {
        case "user.profile": out.append(contentsOf: describe(parts.profile).utf8)
        case "user.behaviors": appendBehaviors(parts.history, to: &out)
        default: out.append(contentsOf: interests(parts.interests).utf8)
        }
    }

    static func dimensions(_ rubric: Rubric) -> String {
        rubric.dimensions.map { d in
            let labels = d.labels.map { "\"\($0.key)\" (\($0.text), \($0.passes ? "pass" : "fail"))" }.joined(separator: ", ")
            return "- \(d.key): \(d.question)\n  labels: \(labels)\n  guideline: " +
                d.guideline.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: "\n  ")
        }.joined(separator: "\n")
    }

    static func responseFormat(_ rubric: Rubric) -> String {
        let example = rubric.dimensions.map { "\"\($0.key)\": {\"label\": \"\($0.labels[0].key)\", \"rationale\": \"...\"}" }
        return "Answer with one JSON object and nothing else, with one entry per dimension:\n{" + example.joined(separator: ", ") + "}"
    }

    /// The JSON schema of the answer, for servers that support `response_format` json_schema.
    static func schema(_ rubric: Rubric) -> String {
        var props = JSONObject()
        for d in rubric.dimensions {
            props[d.key] = .object(JSONObject([
                ("type", .string("object")),
                ("properties", .object(JSONObject([
                    ("label", .object(JSONObject([("type", .string("string")), ("enum", .array(d.labels.map { .string($0.key) }))]))),
                    ("rationale", .object(JSONObject([("type", .string("string"))]))),
                ]))),
                ("required", .array([.string("label"), .string("rationale")])),
                ("additionalProperties", .bool(false)),
            ]))
        }
        return JSONValue.object(JSONObject([
            ("type", .string("object")),
            ("properties", .object(props)),
            ("required", .array(rubric.dimensions.map { .string($0.key) })),
            ("additionalProperties", .bool(false)),
        ])).serialized()
    }
}

extension PromptRenderer {
    /// Writes a sample's judge messages as chat-message JSON, for one thread: byte for byte the
    /// JSON of `system()` and `prompt(for:contextID:)` (`{"role":"system","content":…},
    /// {"role":"user","content":…}`), but the template's own text, the dimensions and the answer
    /// format are escaped once, what depends on the user context alone once per context, and
    /// only the rest per sample.
    public final class MessageWriter {
        /// Text escaped once (a range of `constants`); the n-th placeholder of the user context;
        /// an output field (its place in `outputKeys`); another placeholder of the sample (its
        /// place in `sampleNames`). Plain numbers: a row copies no reference-counted value.
        private enum Piece { case constant(Range<Int>), context(Int), output(Int), sample(Int) }

        private let renderer: PromptRenderer
        /// Every text escaped once: the system message and the user message's opening first
        /// (`head`), then the template's own text, dimensions and answer format.
        private let constants: [UInt8]
        private let head: Range<Int>
        private let pieces: [Piece]
        private let contextNames: [String]
        private let outputNames: [String]
        /// The output fields' keys as the store writes them between quotes.
        private let outputKeys: [[UInt8]]
        private let sampleNames: [String]
        /// Whether every context placeholder can be read from the stored context (`StoredContext`).
        private let fromStoredContext: Bool
        /// The context last written and its placeholders, escaped (ranges of `contextText`).
        private var contextID: Int64?
        private var contextText: [UInt8] = []
        private var contextRanges: [Range<Int>] = []
        private var found: [Range<Int>?]
        private var text: [UInt8] = []
        private var stored: [UInt8] = []
        private var parts = StoredContext()

        public init(_ renderer: PromptRenderer) {
            self.renderer = renderer
            var constants = Array(#"{"role":"system","content":"#.utf8)
            JSONEscape.append(renderer.system(), to: &constants)
            constants.append(contentsOf: #"},{"role":"user","content":""#.utf8)
            head = 0..<constants.count
            var pieces: [Piece] = []
            var contextNames: [String] = [], outputNames: [String] = [], outputKeys: [[UInt8]] = [], sampleNames: [String] = []
            func constant(_ text: String) {
                var start = constants.count
                if case .constant(let before)? = pieces.last, before.upperBound == start { start = before.lowerBound; pieces.removeLast() }
                JSONEscape.appendContent(text, to: &constants)
                pieces.append(.constant(start..<constants.count))
            }
            for part in renderer.template.parts {
                switch part {
                case .text(let t): constant(t)
                case .field("dimensions"): constant(renderer.dimensionsText)
                case .field("response_format"): constant(renderer.responseFormatText)
                case .field(let f) where PromptRenderer.contextFields.contains(f):
                    pieces.append(.context(contextNames.count)); contextNames.append(f)
                case .field(let f) where f.hasPrefix("output."):
                    var key: [UInt8] = []
                    JSONEscape.appendContent(String(f.dropFirst(7)), to: &key)
                    pieces.append(.output(outputNames.count)); outputNames.append(f); outputKeys.append(key)
                case .field(let f): pieces.append(.sample(sampleNames.count)); sampleNames.append(f)
                }
            }
            (self.constants, self.pieces, self.contextNames) = (constants, pieces, contextNames)
            (self.outputNames, self.outputKeys, self.sampleNames) = (outputNames, outputKeys, sampleNames)
            found = Array(repeating: nil, count: outputKeys.count)
            fromStoredContext = contextNames.allSatisfy(PromptRenderer.storedContextFields.contains)
        }

        /// Appends the messages of the sample whose stored body is `body` and stored user
        /// context what `context` appends (see `JudgeMessageWriter`): output fields are read
        /// from the body, the context's placeholders from the stored context (once per
        /// context), the rest from `sample()`, asked for at most once, and only for what these
        /// readings do not take.
        public func append(contextID: Int64, body: UnsafeBufferPointer<UInt8>, context: (inout [UInt8]) throws -> Void,
                           sample: () throws -> Sample, to out: inout [UInt8]) throws {
            var decoded: Sample?
            func theSample() throws -> Sample {
                if let decoded { return decoded }
                let s = try sample()
                decoded = s
                return s
            }
            // A template without context placeholders needs neither the stored context nor the sample.
            if self.contextID != contextID && !contextNames.isEmpty {
                contextText.removeAll(keepingCapacity: true)
                contextRanges.removeAll(keepingCapacity: true)
                if try !appendStoredContext(context) {
                    let s = try theSample()
                    for name in contextNames {
                        let start = contextText.count
                        JSONEscape.appendContent(renderer.value(of: name, in: s) ?? "", to: &contextText)
                        contextRanges.append(start..<contextText.count)
                    }
                }
                self.contextID = contextID
            }
            let fromBody = !outputKeys.isEmpty && found.withUnsafeMutableBufferPointer {
                StoredBody.outputMembers(body, keys: outputKeys, into: $0)
            }
            try constants.withUnsafeBufferPointer { k in
                try contextText.withUnsafeBufferPointer { c in
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: k[head]))
                    for piece in pieces {
                        switch piece {
                        case .constant(let r): out.append(contentsOf: UnsafeBufferPointer(rebasing: k[r]))
                        case .context(let n): out.append(contentsOf: UnsafeBufferPointer(rebasing: c[contextRanges[n]]))
                        case .output(let n):
                            if fromBody, appendOutput(found[n], of: body, to: &out) { continue }
                            JSONEscape.appendContent(renderer.value(of: outputNames[n], in: try theSample()) ?? "", to: &out)
                        case .sample(let n):
                            JSONEscape.appendContent(renderer.value(of: sampleNames[n], in: try theSample()) ?? "", to: &out)
                        }
                    }
                }
            }
            out.append(contentsOf: #""}"#.utf8)
        }

        /// Fills `contextText` and `contextRanges` from the stored context; false (and nothing
        /// filled) when a placeholder needs the sample or the context does not read.
        private func appendStoredContext(_ context: (inout [UInt8]) throws -> Void) throws -> Bool {
            guard fromStoredContext else { return false }
            stored.removeAll(keepingCapacity: true)
            try context(&stored)
            guard stored.withUnsafeBufferPointer({ parts.read($0) }) else { return false }
            for name in contextNames {
                text.removeAll(keepingCapacity: true)
                renderer.appendValue(of: name, in: parts, to: &text)
                let start = contextText.count
                text.withUnsafeBufferPointer { JSONEscape.appendContent(utf8: $0, to: &contextText) }
                contextRanges.append(start..<contextText.count)
            }
            return true
        }

        /// Appends, escaped, what `value(of: "output.…")` gives for the member at `range`: its
        /// text when it is a string, else nothing. False when it cannot (the caller decodes).
        private func appendOutput(_ range: Range<Int>?, of body: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
            guard let range else { return true }
            guard body[range.lowerBound] == UInt8(ascii: "\"") else { return true }
            text.removeAll(keepingCapacity: true)
            do throws(JSONSyntaxError) {
                try JSONParser.appendString(UnsafeBufferPointer(rebasing: body[range]), to: &text)
            } catch { return false }
            text.withUnsafeBufferPointer { JSONEscape.appendContent(utf8: $0, to: &out) }
            return true
        }
    }
}

/// Rendered context placeholders of the last few user contexts, behind a lock.
private final class ContextValues: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(context: Int64, values: [String: String])] = []

    func value(_ context: Int64, _ name: String) -> String? {
        lock.lock(); defer { lock.unlock() }
        return entries.first { $0.context == context }?.values[name]
    }

    func store(_ context: Int64, _ name: String, _ value: String) {
        lock.lock(); defer { lock.unlock() }
        if let i = entries.firstIndex(where: { $0.context == context }) {
            entries[i].values[name] = value
        } else {
            if entries.count >= 8 { entries.removeFirst() }
            entries.append((context, [name: value]))
        }
    }
}
