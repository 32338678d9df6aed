// RecGPT-style generation prompts: what each generator is asked, built from the user context
// alone. The generator SFT and preference exports train on them; `generate` may reuse them.
import Domain

/// The prompt a generator LLM gets for one task, and the answer a sample's output makes of it.
///
/// Per task, after the RecGPT report: `interest` (LLM_UI) mines one interest from the profile
/// and behaviour history; `tag` (LLM_IT) predicts one "modifier + core word" product tag for
/// one of the user's interests; `explanation` (LLM_RE) writes one short phrase for one item
/// and one interest. Any other task gets a generic prompt naming its rubric's output fields.
///
/// Guarantees: the text holds nothing that identifies a sample, a user or a generator (no
/// sample, user or item ids, no model names, no profile fields that name or reach a person:
/// see `withheldProfileKeys`), and nothing from judges or annotators. Equal inputs give equal
/// text, so a prompt's text identifies the context it was built from.
public struct GenerationPrompt: Sendable {
    public var rubric: Rubric { storage.rubric }
    /// Characters the behaviour history may take in one prompt.
    public var contextBudget: Int { storage.contextBudget }

    /// Held by reference: exports use a prompt per row, and copying a rubric's arrays and
    /// strings each time cost more than the row.
    private final class Storage: Sendable {
        let rubric: Rubric
        let contextBudget: Int
        let style: Style
        let outputFieldsJSON: [[UInt8]]
        /// The same keys as the store writes them between quotes (see `StoredBody.outputMembers`).
        let outputKeys: [[UInt8]]
        /// The answer's JSON shape shown in the prompt: `{"tag": "...", ...}`.
        let answerShape: String

        init(rubric: Rubric, contextBudget: Int) {
            self.rubric = rubric
            self.contextBudget = max(0, contextBudget)
            switch rubric.task {
            case "interest": style = .interest
            case "tag": style = .tag
            case "explanation": style = .explanation
            default: style = .generic
            }
            answerShape = "{" + rubric.output.all.map { "\"\($0)\": \"...\"" }.joined(separator: ", ") + "}"
            outputFieldsJSON = rubric.output.all.map { Array(JSONValue.string($0).serialized().utf8) + [UInt8(ascii: ":")] }
            outputKeys = outputFieldsJSON.map { Array($0[1..<($0.count - 2)]) }
        }
    }
    private let storage: Storage

    /// Profile keys never written into a prompt (compared lower-cased; keys ending in `_id`
    /// are withheld too).
    public static let withheldProfileKeys: Set<String> = [
        "id", "uid", "user_id", "name", "real_name", "nickname", "phone", "mobile", "tel", "email", "address",
        "id_card", "idcard", "ip", "device", "device_id", "password", "token", "key", "api_key", "secret",
    ]

    /// Each output field of the rubric as a JSON key and colon (`"tag":`).
    var outputFieldsJSON: [[UInt8]] { storage.outputFieldsJSON }

    public init(rubric: Rubric, contextBudget: Int = 4000) {
        storage = Storage(rubric: rubric, contextBudget: contextBudget)
    }

    enum Style: Sendable { case interest, tag, explanation, generic }

    var style: Style { storage.style }

    /// Whether the user message depends on the user context only (not on the output or the
    /// item), so that samples sharing a context share it. Not for other tasks: their prompt
    /// names the sample's item whenever it has one.
    public var dependsOnContextOnly: Bool { style == .interest || style == .tag }

    /// The system message.
    public var system: String {
        switch style {
        case .interest:
            return """
            You are the user-interest miner of an e-commerce recommender. From a user's profile and \
            behaviour history you name interests the user has chosen to pursue (hobbies, life stages, \
            tastes), not routine needs. Each interest is a short phrase, with the stage the user is at \
            and a reason grounded in the behaviours. You answer with JSON only.
            """
        case .tag:
            return """
            You are the tag predictor of an e-commerce recommender. Given a user's interests, profile and \
            behaviour history you write product tags to retrieve items with. A tag is "modifier + core \
            word", names a product that exists, is specific rather than a broad category, fits the \
            interest and the user, and is not something the user has just bought. You answer with JSON only.
            """
        case .explanation:
            return """
            You are the explanation writer of an e-commerce recommender. For one recommended item and one \
            of the user's interests you write one short phrase shown next to the item: why this user would \
            want it, true to the item and to the user, clear, safe, and free of personal data. You answer \
            with the phrase only.
            """
        case .generic:
            return """
            You generate "\(rubric.task)" outputs for an e-commerce recommender from a user's context. \
            You answer with JSON only.
            """
        }
    }

    /// The user message for a sample: its context, rendered for the task.
    public func user(for sample: Sample) -> String {
        var out: [UInt8] = []
        appendUser(profile: profile(sample.profile), history: BehaviorLines(sample.behaviors), interests: sample.interests,
                   interest: sample.output["interest"]?.string, item: sample.item, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `user(for:)` of a sample whose stored user context (the JSON the store keeps) is
    /// `context`, appended as UTF-8 to `out`, read with `parts` (see `StoredContext`, kept by the
    /// caller between calls). Only for prompts that depend on the context alone; false (and
    /// `out` as it was) for the others and for a context `StoredContext` does not take: the
    /// caller then decodes the sample.
    public func appendUser(fromContext context: UnsafeBufferPointer<UInt8>, parts: inout StoredContext,
                           to out: inout [UInt8]) -> Bool {
        guard dependsOnContextOnly, parts.read(context) else { return false }
        appendUser(profile: profile(parts.profile), history: parts.history, interests: parts.interests,
                   interest: nil, item: nil, to: &out)
        return true
    }

    /// The user message from its parts; `interest` and `item` are read only for the tasks that
    /// show them (explanation, other tasks).
    private func appendUser(profile: String, history: BehaviorLines, interests: [String], interest: String?, item: JSONObject?,
                            to out: inout [UInt8]) {
        out.append(contentsOf: "User profile: ".utf8); out.append(contentsOf: profile.utf8)
        func part(_ text: String) { out.append(contentsOf: "\n\n".utf8); out.append(contentsOf: text.utf8) }
        func historyPart(budget: Int) {
            part("Behaviour history (oldest first):\n")
            if history.isEmpty { out.append(contentsOf: "(no behaviour history)".utf8) } else {
                history.appendChosen(budget: budget, byTime: true, to: &out)
            }
        }
        switch style {
        case .interest:
            historyPart(budget: contextBudget)
            part("Name one interest this user shows. Answer with JSON: " + storage.answerShape)
        case .tag:
            historyPart(budget: contextBudget)
            part("Interests: " + self.interests(interests))
            part("Write one product tag for one of these interests. Answer with JSON: " + storage.answerShape)
        case .explanation:
            historyPart(budget: contextBudget / 2)
            let interest = interest ?? ""
            part(interest.isEmpty ? "Interests: " + self.interests(interests) : "Interest: " + interest)
            part("Item: " + self.item(item))
            part("Write the explanation shown next to this item: one short phrase.")
        case .generic:
            historyPart(budget: contextBudget)
            if !interests.isEmpty { part("Interests: " + self.interests(interests)) }
            if rubric.needsItem || item != nil { part("Item: " + self.item(item)) }
            part("Answer with JSON: " + storage.answerShape)
        }
    }

    /// The assistant message a sample's output makes: the explanation's text, or for other
    /// tasks a JSON object of the rubric's output fields the sample has, in the rubric's order.
    public func target(for sample: Sample) -> String {
        if style == .explanation { return sample.output("explanation") }
        var o = JSONObject()
        for field in rubric.output.all { if let v = sample.output[field] { o[field] = v } }
        return JSONValue.object(o).serialized()
    }

    /// `target(for:)` of a stored sample, read straight from its body JSON as the store keeps
    /// it (compact, canonical): the output fields' value texts are copied, not decoded and
    /// written again. Nil for the explanation task (whose target is a text) and for a body that
    /// is not an object with an object `output`; the caller then decodes the sample.
    public func target(fromBody body: UnsafeBufferPointer<UInt8>) -> String? {
        var out: [UInt8] = []
        return appendTarget(fromBody: body, to: &out) ? String(decoding: out, as: UTF8.self) : nil
    }

    /// Appends what `target(fromBody:)` returns as UTF-8 to `out`; false (and `out` as it was)
    /// when that is nil.
    func appendTarget(fromBody body: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        guard style != .explanation else { return false }
        let fields = outputFieldsJSON
        return withUnsafeTemporaryAllocation(of: Range<Int>?.self, capacity: fields.count) { found -> Bool in
            found.initialize(repeating: nil)
            guard StoredBody.outputMembers(body, keys: storage.outputKeys, into: found) else { return false }
            out.append(UInt8(ascii: "{"))
            var first = true
            for f in fields.indices {
                guard let v = found[f] else { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                out.append(contentsOf: fields[f])
                out.append(contentsOf: UnsafeBufferPointer(rebasing: body[v]))
            }
            out.append(UInt8(ascii: "}"))
            return true
        }
    }

    private func profile(_ o: JSONObject) -> String {
        let kept = o.entries.filter { k, _ in
            let key = k.lowercased()
            return !Self.withheldProfileKeys.contains(key) && !key.hasSuffix("_id")
        }
        if kept.isEmpty { return "(none given)" }
        return kept.map { k, v in "\(k): \(v.string ?? v.serialized())" }.joined(separator: "; ")
    }

    private func interests(_ list: [String]) -> String { list.isEmpty ? "(none given)" : list.joined(separator: ", ") }

    private func item(_ o: JSONObject?) -> String {
        guard let o else { return "(none given)" }
        let kept = o.entries.filter { k, _ in k != "id" && !k.lowercased().hasSuffix("_id") }
        if kept.isEmpty { return "(none given)" }
        return kept.map { k, v in "\(k): \(v.string ?? v.serialized())" }.joined(separator: "; ")
    }
}
