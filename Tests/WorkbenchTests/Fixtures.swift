import Foundation
import Domain
import Store
import TerminalKit
import TestSupport
@testable import Workbench

/// Rubrics and samples shared by the workbench tests: RecGPT-shaped tag samples in Chinese.
enum Fixtures {
    static func rubric(_ task: String) -> Rubric {
        let path = repoRoot.appendingPathComponent("rubrics/\(task).yaml").path
        do { return try Rubric.load(path: path) } catch { fatalError("test rubric \(path): \(error)") }
    }

    static let tag = rubric("tag")

    static let user: JSONObject = {
        var u = JSONObject()
        u["id"] = .string("u1029")
        u["profile"] = .object(JSONObject([("age", .number("30")), ("gender", .string("female")), ("city", .string("杭州"))]))
        let behaviours: [(String, String, String, String?)] = [
            ("2025-06-10", "click", "婴儿遮阳帽 夏季薄款", "母婴"),
            ("2025-06-12", "cart", "儿童防晒衣 冰丝", "母婴"),
            ("2025-06-15", "favorite", "宝宝凉鞋 软底", "母婴"),
            ("2025-06-18", "purchase", "婴儿遮阳帽", "母婴"),
            ("2025-06-19", "search", "儿童防晒衣", nil),
            ("2025-06-20", "click", "小白鞋女百搭透气", "服饰"),
            ("2025-06-21", "purchase", "防晒冰袖女开车", "服饰"),
            ("2025-06-22", "click", "亲子装夏季母女装", "服饰"),
        ]
        u["behaviors"] = .array(behaviours.map { t, type, subject, cat in
            var b = JSONObject([("time", .string(t)), ("type", .string(type))])
            if type == "search" { b["query"] = .string(subject) } else { b["item"] = .string(subject) }
            if let cat { b["category"] = .string(cat) }
            return .object(b)
        })
        u["interests"] = .array([.string("亲子育儿"), .string("时尚穿搭")])
        return u
    }()

    static func sample(_ n: Int, tag: String = "儿童防紫外线冰丝防晒衣", reason: String = "近期购买遮阳帽并搜索防晒衣") -> Sample {
        Sample(id: "u1029-tag-\(n < 10 ? "0" : "")\(n)", task: "tag", user: user,
               output: JSONObject([("tag", .string(tag)), ("interest", .string("亲子育儿")), ("reason", .string(reason))]),
               generatorModel: "qwen3-14b-sft", generatorRound: 3)
    }

    /// The judge's verdicts: relevance yes, consistency low, specificity yes, validity yes.
    static let verdicts: [String: ShownVerdict] = [
        "relevance": ShownVerdict(label: "yes", rationale: "rules: the tag's interest 亲子育儿 is one of the user's interests"),
        "consistency": ShownVerdict(label: "low_consistency", rationale: "rules: tag.purchased: 婴儿遮阳帽 was bought on 2025-06-18, in the last 30 days"),
        "specificity": ShownVerdict(label: "yes", rationale: "rules: no rule for specificity found a problem"),
        "validity": ShownVerdict(label: "yes", rationale: "rules: no rule for validity found a problem"),
    ]

    static func loaded(_ pk: Int64, sample: Sample? = nil, verdicts: [String: ShownVerdict] = verdicts,
                       labels: [String: String] = [:], done: Bool = false) -> SampleForLabelling {
        let s = sample ?? Self.sample(Int(pk))
        return SampleForLabelling(stored: StoredSample(s, pk: pk, source: "test.jsonl:\(pk)", contentHash: "h\(pk)"),
                                  verdicts: verdicts, labels: labels, comments: [], held: true, done: done)
    }

    static let judge = JudgeShown(id: 1, judge: "rules", version: "3fa2b1c04d5e6f70")

    static func setup(blind: Bool = false, judge: JudgeShown? = Fixtures.judge, keymap: Keymap = Keymap()) -> LabelSetup {
        LabelSetup(session: "demo", task: "tag", annotator: "alice", rubric: tag, blind: blind, judge: judge,
                   keymap: keymap, claimBatch: 5, claimAhead: 1)
    }
}

/// Runs `update` and answers its effects from memory, the way the runtime answers them from
/// the store: a queue of samples to claim, a decision log, and what each sample holds.
struct Driver {
    var state: LabelState
    var base: [Int64: SampleForLabelling]
    var pool: [Int64]
    var log: [DecisionInput] = []
    var effects: [LabelEffect] = []
    /// Records fail while this is set (with this message).
    var failWrites: String?

    init(setup: LabelSetup = Fixtures.setup(), samples: [SampleForLabelling]) {
        state = LabelState(setup: setup)
        base = Dictionary(uniqueKeysWithValues: samples.map { ($0.stored.pk, $0) })
        pool = samples.map(\.stored.pk)
        state.viewport = Viewport(width: 80, height: 24)
    }

    static func opened(setup: LabelSetup = Fixtures.setup(), count: Int = 3) -> Driver {
        var d = Driver(setup: setup, samples: (1...count).map { Fixtures.loaded(Int64($0)) })
        d.resolve(.openQueue)
        return d
    }

    mutating func send(_ action: LabelAction) {
        let (s, effs) = update(state, action)
        state = s
        effects += effs
        for e in effs { resolve(e) }
    }

    /// Sends keys by their keymap names (`a`, `2`, `space`, `ctrl-c`, …).
    mutating func press(_ names: String...) {
        for n in names {
            guard let k = try? Key(name: n) else { fatalError("bad key name \(n)") }
            send(.key(k))
        }
    }

    /// Types text into whatever field is open, one character per key (as a paste arrives).
    mutating func type(_ text: String) {
        for c in text { send(.key(.char(c))) }
    }

    /// The annotator's current labels on a sample according to the log.
    func labels(_ pk: Int64) -> [String: String] {
        var out: [String: String?] = [:]
        for d in log where d.samplePK == pk { out[d.dimension] = .some(d.label) }
        return out.compactMapValues { $0 }
    }

    mutating func resolve(_ e: LabelEffect) {
        switch e {
        case .openQueue:
            let got = Array(pool.prefix(state.setup.claimBatch))
            pool.removeFirst(got.count)
            send(.queueOpened(claimed: got, done: [], exhausted: pool.isEmpty))
        case .claim(let n, _):
            let got = Array(pool.prefix(n))
            pool.removeFirst(got.count)
            send(.claimed(Claim(samplePKs: got, takenOver: 0, exhausted: pool.isEmpty)))
        case .load(let pk):
            guard var s = base[pk] else { return send(.loadFailed(samplePK: pk, message: "missing")) }
            s.labels = labels(pk)
            s.done = state.setup.dimensions.allSatisfy { s.labels[$0] != nil }
            send(.loaded(s))
        case .record(let request, let pk, let decisions):
            if let failWrites { return send(.recordFailed(request: request, message: failWrites)) }
            log += decisions
            let done = state.setup.dimensions.allSatisfy { labels(pk)[$0] != nil }
            send(.recorded(request: request, samplePK: pk, done: done))
        case .comment(let pk, let dim, let text):
            send(.commented(samplePK: pk, comment: OwnComment(dimension: dim, text: text, createdAt: 0)))
        case .prefetch, .applyFilter, .search, .renewLeases, .redraw, .suspend:
            break
        }
    }
}
