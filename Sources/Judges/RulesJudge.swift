import Foundation
import Domain
import Store

/// Deterministic checks that need no model (DESIGN §5). Every verdict's rationale names the
/// rule that decided it, prefixed `rules:`; where no rule applies the verdict passes and says
/// that nothing was found, which is all rules can honestly say.
public struct RulesJudge: Judge {
    public let config: JudgeConfig
    public let rubric: Rubric
    /// Bumped whenever a rule changes: part of the judge version.
    public static let rulesVersion = "rules-2026.11-2"

    public init(config: JudgeConfig, rubric: Rubric) { self.config = config; self.rubric = rubric }

    public var version: JudgeVersion {
        JudgeVersion(judge: config.name, kind: "rules", model: nil, task: rubric.task, rubricVersion: rubric.version,
                     params: ["rules": Self.rulesVersion, "rubric": rubric.fingerprint])
    }

    public func judge(_ sample: Sample) async -> JudgeOutcome { outcome(sample) }

    public func outcome(_ sample: Sample) -> JudgeOutcome {
        var found: [String: (String, String)] = [:]   // dimension → (label, rationale)
        switch rubric.task {
        case "interest": found = Rules.interest(sample)
        case "tag": found = Rules.tag(sample)
        case "explanation": found = Rules.explanation(sample)
        default: break
        }
        let verdicts = rubric.dimensions.map { d -> VerdictInput in
            if let (label, why) = found[d.key], d.label(label) != nil {
                return VerdictInput(dimension: d.key, label: label, rationale: "rules: " + why)
            }
            // No rule fired: the first passing label, saying so.
            let pass = d.labels.first(where: \.passes)!
            return VerdictInput(dimension: d.key, label: pass.key, rationale: "rules: no rule for \(d.key) found a problem")
        }
        return JudgeOutcome(call: JudgeCallInput(ok: true, raw: nil, latencyMilliseconds: 0), verdicts: verdicts)
    }
}

/// The rules themselves, one function per task, each returning only the dimensions it decided.
enum Rules {
    static let genericWords: Set<String> = ["衣服", "好物", "好物推荐", "商品", "宝贝", "东西", "用品", "日用品", "运动用品",
                                            "数码产品", "护肤品", "零食", "礼物", "推荐", "products", "product", "stuff", "things",
                                            "items", "gifts", "clothes", "goods", "accessories"]
    static let necessityWords = ["纸巾", "抽纸", "卫生纸", "纸尿裤", "尿不湿", "猫砂", "猫粮", "狗粮", "奶粉", "洗衣液", "洗洁精",
                                 "垃圾袋", "牙膏", "卫生巾", "米面粮油", "囤货", "日用", "tissue", "toilet paper", "diaper",
                                 "nappies", "cat litter", "cat food", "dog food", "formula milk", "detergent", "trash bag"]
    /// Reasons that describe a routine repurchase rather than a choice.
    static let routineCues = ["定期购买", "固定购买", "长期购买", "每月购买", "每月固定", "每隔", "复购", "every month",
                              "monthly", "regularly buys", "restock"]
    static let contradictions = [("无线", "有线"), ("防水", "纸质"), ("wireless", "wired")]

    // MARK: interest

    static func interest(_ s: Sample) -> [String: (String, String)] {
        var out: [String: (String, String)] = [:]
        let interest = s.output("interest")
        let reason = s.output("reason")
        if let w = necessityWords.first(where: { interest.lowercased().contains($0) }) {
            out["willingness"] = ("necessity", "interest.necessity: '\(w)' is a routine necessity")
        } else if let cue = routineCues.first(where: { reason.lowercased().contains($0) }) {
            out["willingness"] = ("necessity", "interest.routine: the reason describes a routine repurchase ('\(cue)')")
        } else {
            out["willingness"] = ("spontaneity", "interest.necessity: no routine-necessity word in the interest")
        }
        let keys = Text.tokens(interest + " " + s.output("stage"))
        let support = s.behaviors.filter { b in !keys.isDisjoint(with: Text.tokens(b.subject + " " + (b.category ?? ""))) }
        let intentional = support.filter(\.isIntentional).count
        if reason.trimmingCharacters(in: .whitespaces).isEmpty {
            out["reasonableness"] = ("weak_correlation", "interest.reason: no reason given")
        } else if support.isEmpty {
            out["reasonableness"] = ("no_correlation", "interest.support: no behaviour shares a word with the interest")
        } else if intentional >= 2 {
            out["reasonableness"] = ("strong_correlation", "interest.support: \(support.count) behaviours (\(intentional) intentional) match")
        } else {
            out["reasonableness"] = ("weak_correlation", "interest.support: only \(support.count) behaviours (\(intentional) intentional) match")
        }
        if reason.count > 200 {
            out["reasonableness"] = ("weak_correlation", "interest.reason_length: the reason is \(reason.count) characters, a dump rather than a reason")
        }
        return out
    }

    // MARK: tag

    static func tag(_ s: Sample) -> [String: (String, String)] {
        var out: [String: (String, String)] = [:]
        let tag = s.output("tag").trimmingCharacters(in: .whitespaces)
        let interest = s.output("interest")
        if !interest.isEmpty, !s.interests.isEmpty, !s.interests.contains(interest) {
            out["relevance"] = ("weak_relevance", "tag.interest: '\(interest)' is not one of the user's interests")
        }
        if let bought = recentPurchase(like: tag, in: s.behaviors) {
            out["consistency"] = ("low_consistency", "tag.recent_purchase: the user bought '\(bought.subject)' on \(bought.time), within 30 days")
        }
        let words = tag.split(separator: " ").count
        if genericWords.contains(tag.lowercased()) {
            out["specificity"] = ("low_specificity", "tag.generic: '\(tag)' is a generic word")
        } else if Text.isCJK(tag) ? tag.count < 4 : words < 2 {
            out["specificity"] = ("low_specificity", "tag.length: too short to be 'modifier + core word'")
        }
        if tag.count > 40 {
            out["validity"] = ("invalid_tag", "tag.length: \(tag.count) characters is a sentence, not a tag")
        } else if let (a, b) = contradictions.first(where: { tag.lowercased().contains($0.0) && tag.lowercased().contains($0.1) }) {
            out["validity"] = ("invalid_tag", "tag.contradiction: '\(a)' and '\(b)' contradict each other")
        }
        return out
    }

    /// A purchase within 30 days of the user's last behaviour whose title shares most of the tag's words.
    static func recentPurchase(like tag: String, in behaviors: [Behavior]) -> Behavior? {
        guard let last = behaviors.map(\.time).max(), let lastDay = Text.day(last) else { return nil }
        let tagTokens = Text.tokens(tag)
        guard !tagTokens.isEmpty else { return nil }
        return behaviors.last { b in
            guard b.type == "purchase", let d = Text.day(b.time), lastDay - d <= 30, let item = b.item else { return false }
            let shared = tagTokens.intersection(Text.tokens(item)).count
            return Double(shared) / Double(tagTokens.count) >= 0.5
        }
    }

    // MARK: explanation

    static let piiPatterns = [
        ("phone number", #"(?<!\d)1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"#),
        ("email address", #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#),
        ("ID number", #"(?<!\d)\d{17}[\dXx](?!\d)"#),
    ]
    static let unsafeWords = ["治愈", "根治", "保证赚钱", "guaranteed to cure", "cure your", "guaranteed returns", "kill yourself"]

    static func explanation(_ s: Sample) -> [String: (String, String)] {
        var out: [String: (String, String)] = [:]
        let text = s.output("explanation").trimmingCharacters(in: .whitespacesAndNewlines)
        let title = s.item?["title"]?.string ?? ""
        for (what, pattern) in piiPatterns where text.range(of: pattern, options: .regularExpression) != nil {
            out["safety"] = ("no", "explanation.pii: contains a \(what)")
        }
        if let w = unsafeWords.first(where: { text.lowercased().contains($0) }) {
            out["safety"] = ("no", "explanation.unsafe: promises or harm ('\(w)')")
        }
        if !title.isEmpty, text.lowercased() == title.lowercased() {
            out["clarity"] = ("no", "explanation.repeats_title: the explanation is the item title")
        } else if Text.isCJK(text), !(4...40).contains(text.count) {
            out["clarity"] = ("no", "explanation.length: \(text.count) characters (expected 4–40)")
        } else if !Text.isCJK(text) {
            let words = text.split(whereSeparator: \.isWhitespace).count
            if words < 3 || words > 80 { out["clarity"] = ("no", "explanation.length: \(words) words (expected 3–80)") }
            else if let rep = Text.repeatedTrigram(text) { out["clarity"] = ("no", "explanation.repetition: '\(rep)' repeats") }
        }
        let userWords = Text.tokens(s.profile.entries.map { $0.1.string ?? "" }.joined(separator: " ") + " " + s.interests.joined(separator: " "))
        if !userWords.isEmpty, Text.tokens(text).isDisjoint(with: userWords), Text.tokens(text).isDisjoint(with: Text.tokens(title)) {
            out["relevance"] = ("no", "explanation.grounding: shares no word with the user or the item")
        }
        return out
    }
}

/// Word-level helpers shared by the rules: English words of three letters or more,
/// Chinese character bigrams.
enum Text {
    static let stop: Set<String> = ["the", "and", "for", "with", "this", "that", "user", "would", "they", "their", "book", "books", "because", "buy"]

    static func isCJK(_ s: String) -> Bool {
        s.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
    }

    static func isHan(_ ch: Character) -> Bool {
        ch.unicodeScalars.first.map { (0x4E00...0x9FFF).contains($0.value) } ?? false
    }

    static func tokens(_ s: String) -> Set<String> {
        var out = Set<String>()
        var word = ""
        var run: [Character] = []
        func endWord() {
            if word.count >= 3, !stop.contains(word) { out.insert(word) }
            word = ""
        }
        func endRun() {
            if run.count == 1 { out.insert(String(run)) }
            if run.count >= 2 { for i in 0..<(run.count - 1) { out.insert(String(run[i...(i + 1)])) } }
            run = []
        }
        for ch in s.lowercased() {
            if isHan(ch) { endWord(); run.append(ch) }
            else if ch.isLetter || ch.isNumber { endRun(); word.append(ch) }
            else { endWord(); endRun() }
        }
        endWord(); endRun()
        return out
    }

    /// Days since 1970 of a `YYYY-MM-DD…` time.
    static func day(_ s: String) -> Int? {
        let p = s.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard p.count == 3 else { return nil }
        var c = DateComponents(); c.year = p[0]; c.month = p[1]; c.day = p[2]
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let d = cal.date(from: c) else { return nil }
        return Int(d.timeIntervalSince1970 / 86_400)
    }

    static func repeatedTrigram(_ s: String) -> String? {
        let w = s.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
        guard w.count >= 6 else { return nil }
        var seen = Set<String>()
        for i in 0..<(w.count - 2) {
            let t = w[i...i + 2].joined(separator: " ")
            if !seen.insert(t).inserted { return t }
        }
        return nil
    }
}
