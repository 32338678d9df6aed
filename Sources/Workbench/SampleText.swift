import Domain

/// The parts of a sample a person reads, as plain (unsanitised) text: the grid sanitises
/// every string it draws.
enum SampleText {
    /// A JSON value as a person reads it: strings bare, everything else as compact JSON.
    static func plain(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let a): return a.map(plain).joined(separator: ", ")
        case .object: return v.serialized()
        }
    }

    /// `u1029 · age 30 · female · 杭州`: the user id and short profile values. Long values
    /// (over 40 characters, such as a written summary) are left to `profileNotes`.
    static func profileLine(_ s: Sample) -> String {
        var parts = [s.userID]
        for (k, v) in s.profile.entries {
            let text = plain(v)
            guard text.count <= 40 else { continue }
            switch k {
            case "gender", "city", "location", "region": parts.append(text)
            default: parts.append("\(k) \(text)")
            }
        }
        return parts.joined(separator: " · ")
    }

    /// Profile values too long for the profile line (e.g. a generated summary), as `key: text`.
    static func profileNotes(_ s: Sample) -> [String] {
        s.profile.entries.compactMap { k, v in
            let text = plain(v)
            return text.count > 40 ? "\(k): \(text)" : nil
        }
    }

    static func interestsLine(_ s: Sample) -> String? {
        let i = s.interests
        return i.isEmpty ? nil : "interests " + i.joined(separator: " · ")
    }

    /// Behaviours newest first, as the timeline shows them.
    static func timeline(_ s: Sample) -> [Behavior] {
        let b = s.behaviors
        // Files give histories oldest first; show newest first without trusting that order.
        return b.enumerated().sorted { x, y in
            x.element.time != y.element.time ? x.element.time > y.element.time : x.offset > y.offset
        }.map(\.element)
    }

    /// A behaviour's type as a fixed-width tag: purchase → `buy`, favourite → `fav`, …
    static func typeTag(_ type: String) -> String {
        switch type {
        case "purchase": return "buy"
        case "favorite", "favourite": return "fav"
        case "cart": return "cart"
        case "search": return "srch"
        case "click": return "click"
        default: return String(type.prefix(5))
        }
    }

    /// The output's fields: the rubric's declared fields in order, then any others.
    static func outputFields(_ s: Sample, rubric: Rubric) -> [(String, String)] {
        var out: [(String, String)] = []
        var seen = Set<String>()
        for f in rubric.output.all {
            if let v = s.output[f] { out.append((f, plain(v))); seen.insert(f) }
        }
        for (k, v) in s.output.entries where !seen.contains(k) { out.append((k, plain(v))) }
        return out
    }

    /// The item (explanations are about one), `title` first.
    static func itemFields(_ s: Sample) -> [(String, String)] {
        guard let item = s.item else { return [] }
        var out: [(String, String)] = []
        if let t = item["title"] { out.append(("title", plain(t))) }
        for (k, v) in item.entries where k != "title" { out.append((k, plain(v))) }
        return out
    }

    /// `qwen3-14b-sft r3`, or "" when the sample names no generator.
    static func generator(_ s: Sample) -> String {
        var g = s.generatorModel ?? ""
        if let r = s.generatorRound { g += g.isEmpty ? "round \(r)" : " r\(r)" }
        return g
    }
}
