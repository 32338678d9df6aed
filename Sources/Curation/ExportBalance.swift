// RecGPT's rebalancing of judge training data: minority classes reuse samples from earlier
// rounds, majority classes are down-sampled keeping the newest.
import Domain

/// One sample a rebalanced export may take.
struct BalanceCandidate {
    var pk: Int64
    var round: Int32
    /// The task's position among the selected rubrics.
    var task: Int16
    /// The class's position in `Rebalancer.classNames[task]`.
    var label: Int16
    /// In the selected rounds (else from an earlier round, a reuse candidate).
    var base: Bool
}

/// Collects candidates, then picks the rows of a rebalanced set (see `BalanceOptions`).
struct Rebalancer {
    let options: BalanceOptions
    let rubrics: [Rubric]
    /// Per task: the class names, pass then fail, or the dimension's labels in the rubric's order.
    let classNames: [[String]]
    private var candidates: [BalanceCandidate] = []

    init(options: BalanceOptions, rubrics: [Rubric]) {
        self.options = options
        self.rubrics = rubrics
        classNames = rubrics.map { rubric in
            switch options.by {
            case .outcome: return ["pass", "fail"]
            case .dimension(let key): return rubric.dimension(named: key)?.labels.map(\.key) ?? []
            }
        }
    }

    /// The class of a complete judgement: "pass"/"fail", or the final label on the dimension.
    func className(_ j: SampleJudgement) -> String {
        switch options.by {
        case .outcome:
            return j.outcome == .pass ? "pass" : "fail"
        case .dimension(let key):
            let rubric = rubrics[j.task]
            guard let d = rubric.dimensions.firstIndex(where: { $0.key == key }), let l = j.labels[d] else { return "" }
            return rubric.dimensions[d].labels[l.label].key
        }
    }

    mutating func add(pk: Int64, round: Int, judgement j: SampleJudgement, base: Bool) {
        let t = j.task
        guard let label = classNames[t].firstIndex(of: className(j)) else { return }
        candidates.append(BalanceCandidate(pk: pk, round: Int32(clamping: round), task: Int16(t), label: Int16(label), base: base))
    }

    /// The chosen sample keys (ascending) and, per task, the class counts before and after,
    /// what was reused and what was dropped, as the manifest shows them.
    mutating func choose() -> (pks: [Int64], report: JSONValue, dropped: Int) {
        var chosen: [Int64] = []
        var tasks = JSONObject()
        var droppedTotal = 0
        // Newest first: highest round, then latest import.
        candidates.sort { $0.round != $1.round ? $0.round > $1.round : $0.pk > $1.pk }
        for t in rubrics.indices {
            let k = classNames[t].count
            guard k > 0 else { continue }
            var base = [[Int64]](repeating: [], count: k), earlier = [[Int64]](repeating: [], count: k)
            for c in candidates where Int(c.task) == t {
                if c.base { base[Int(c.label)].append(c.pk) } else { earlier[Int(c.label)].append(c.pk) }
            }
            let largest = base.map(\.count).max() ?? 0
            let floorTarget = Int((Double(largest) / options.ratio).rounded(.up))
            var reused = [Int](repeating: 0, count: k)
            var taken = base
            if options.reuse {
                for c in 0..<k where taken[c].count < floorTarget {
                    let extra = earlier[c].prefix(floorTarget - taken[c].count)
                    reused[c] = extra.count
                    taken[c] += extra
                }
            }
            let smallest = taken.map(\.count).filter { $0 > 0 }.min() ?? 0
            let cap = Int((options.ratio * Double(smallest)).rounded(.down))
            var dropped = [Int](repeating: 0, count: k)
            for c in 0..<k where taken[c].count > cap {
                dropped[c] = taken[c].count - cap
                taken[c] = Array(taken[c].prefix(cap))  // newest first, so the newest stay
            }
            droppedTotal += dropped.reduce(0, +)
            for c in 0..<k { chosen += taken[c] }
            func counts(_ n: [Int]) -> JSONValue { .object(JSONObject(classNames[t].enumerated().map { ($1, .int(n[$0])) })) }
            tasks[rubrics[t].task] = .object(JSONObject([
                ("before", counts(base.map(\.count))), ("reused", counts(reused)), ("dropped", counts(dropped)),
                ("after", counts(taken.map(\.count))), ("earlier_available", counts(earlier.map(\.count))),
            ]))
        }
        candidates = []
        chosen.sort()
        let report = JSONValue.object(JSONObject([
            ("by", .string(options.by.name)), ("ratio", .double(options.ratio)), ("reuse", .bool(options.reuse)),
            ("rule", .string("per task: classes below ceil(largest / ratio) are topped up from earlier rounds (newest first); then classes above floor(ratio × smallest) keep their newest samples (highest round, then latest import)")),
            ("tasks", .object(tasks)),
        ]))
        return (chosen, report, droppedTotal)
    }
}
