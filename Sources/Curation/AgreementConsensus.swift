// The human reference label of one item on one dimension: what judges are measured against
// and what export takes as final.
import Domain

/// How the current labels of several annotators (and a lead's adjudication) become one
/// reference label.
///
/// The rule, per item and dimension:
/// 1. A lead's adjudication, when there is one and `adjudicationDecides`, is the label.
/// 2. Otherwise the annotators' current labels (withdrawn answers don't count) vote. With
///    fewer than `minimumAnnotators` labels there is no consensus. The label with the most
///    votes wins when no other label has as many and its share of the votes is at least
///    `minimumAgreement`; otherwise (a tie, or too little agreement) there is no consensus.
///
/// With the defaults (0.5, 1) a lone annotator's label counts, two annotators must agree,
/// and three need two votes out of three; `minimumAgreement: 1` asks for unanimity.
public struct HumanConsensus: Sendable, Equatable {
    /// The share of the votes (0 < share ≤ 1) the winning label needs.
    public var minimumAgreement: Double
    /// The fewest annotator labels an item needs before it has a consensus.
    public var minimumAnnotators: Int
    /// Whether a lead's adjudication is the label regardless of the votes.
    public var adjudicationDecides: Bool

    public init(minimumAgreement: Double = 0.5, minimumAnnotators: Int = 1, adjudicationDecides: Bool = true) {
        self.minimumAgreement = minimumAgreement
        self.minimumAnnotators = minimumAnnotators
        self.adjudicationDecides = adjudicationDecides
    }

    /// Where a consensus label came from.
    public enum Source: String, Sendable, CaseIterable {
        /// A lead's adjudication.
        case adjudicated
        /// Every annotator (two or more) gave it.
        case unanimous
        /// Enough annotators gave it, not all.
        case majority
        /// The only annotator's label.
        case single
    }

    /// The consensus of one item.
    public struct Outcome: Sendable, Equatable {
        /// The label's position in the dimension's label list.
        public var label: Int
        public var source: Source
        /// Annotator votes for `label` (0 when adjudicated with no annotator agreeing).
        public var votes: Int
        /// Annotator labels on the item.
        public var annotators: Int
    }

    /// - Throws: `AgreementError.invalidOption` when `minimumAgreement` is not in (0, 1] or
    ///   `minimumAnnotators` is below 1.
    public func validate() throws {
        guard minimumAgreement > 0, minimumAgreement <= 1 else {
            throw AgreementError.invalidOption("the minimum agreement is a share above 0 and at most 1 (got \(minimumAgreement))")
        }
        guard minimumAnnotators >= 1 else {
            throw AgreementError.invalidOption("the minimum number of annotators is at least 1 (got \(minimumAnnotators))")
        }
    }

    /// The consensus of `votes` (label positions, negative ones ignored as missing) and an
    /// optional adjudicated label position; nil when there is none.
    public func outcome(votes: some Sequence<Int>, adjudication: Int? = nil) -> Outcome? {
        // One vote per annotator, so few distinct labels: counted in a small buffer on the
        // stack (a dictionary beyond eight distinct labels), not hashed.
        withUnsafeTemporaryAllocation(of: (label: Int, count: Int).self, capacity: 8) { slots in
            var used = 0, annotators = 0
            var overflow: [Int: Int]?
            for vote in votes where vote >= 0 {
                annotators += 1
                if overflow != nil { overflow?[vote, default: 0] += 1; continue }
                if let i = (0..<used).first(where: { slots[$0].label == vote }) {
                    slots[i].count += 1
                } else if used < slots.count {
                    slots.initializeElement(at: used, to: (vote, 1))
                    used += 1
                } else {
                    var all: [Int: Int] = [vote: 1]
                    for i in 0..<used { all[slots[i].label] = slots[i].count }
                    overflow = all
                }
            }
            func forEachCount(_ body: (_ label: Int, _ count: Int) -> Void) {
                if let overflow { for (label, count) in overflow { body(label, count) } }
                else { for i in 0..<used { body(slots[i].label, slots[i].count) } }
            }
            if let adjudication, adjudication >= 0, adjudicationDecides {
                var votes = 0
                forEachCount { label, count in if label == adjudication { votes = count } }
                return Outcome(label: adjudication, source: .adjudicated, votes: votes, annotators: annotators)
            }
            var best = -1, bestCount = 0, leaders = 0
            forEachCount { label, count in
                if count > bestCount { best = label; bestCount = count; leaders = 1 } else if count == bestCount { leaders += 1 }
            }
            return decide(best: leaders == 1 ? best : -1, bestCount: bestCount, tied: leaders > 1, annotators: annotators)
        }
    }

    /// The consensus of labels given as text; nil when there is none.
    public func outcome(labels: [String?], adjudication: String? = nil) -> (label: String, source: Source)? {
        var names: [String] = []
        var positions: [Int] = []
        func position(_ label: String) -> Int {
            if let i = names.firstIndex(of: label) { return i }
            names.append(label)
            return names.count - 1
        }
        for label in labels { positions.append(label.map(position) ?? -1) }
        let adjudicated = adjudication.map(position)
        guard let o = outcome(votes: positions, adjudication: adjudicated) else { return nil }
        return (names[o.label], o.source)
    }

    /// The rule's last step, shared with the fast path that counts votes in place.
    func decide(best: Int, bestCount: Int, tied: Bool, annotators: Int) -> Outcome? {
        guard annotators >= minimumAnnotators, annotators > 0, best >= 0, !tied else { return nil }
        guard Double(bestCount) >= minimumAgreement * Double(annotators) - 1e-9 else { return nil }
        let source: Source = annotators == 1 ? .single : bestCount == annotators ? .unanimous : .majority
        return Outcome(label: best, source: source, votes: bestCount, annotators: annotators)
    }

    /// The consensus from vote counts per label position (`counts[label]`, summing to
    /// `annotators`) and an adjudicated label position (−1 none): the rule without a pass over
    /// the votes, so that leaving one annotator out is a decrement.
    func outcome(counts: [Int], annotators: Int, adjudication: Int) -> Outcome? {
        counts.withUnsafeBufferPointer { outcome(counts: $0, annotators: annotators, adjudication: adjudication) }
    }

    func outcome(counts: UnsafeBufferPointer<Int>, annotators: Int, adjudication: Int) -> Outcome? {
        if adjudication >= 0, adjudicationDecides {
            return Outcome(label: adjudication, source: .adjudicated,
                           votes: counts.indices.contains(adjudication) ? counts[adjudication] : 0, annotators: annotators)
        }
        var best = -1, bestCount = 0, tied = false
        for label in 0..<counts.count where counts[label] > 0 {
            let count = counts[label]
            if count > bestCount { best = label; bestCount = count; tied = false } else if count == bestCount { tied = true }
        }
        return decide(best: best, bestCount: bestCount, tied: tied, annotators: annotators)
    }

    /// The consensus of a row of label codes (−1 missing), skipping column `skip` (−1 skips
    /// none), with `adjudication` (−1 none). `counts` is scratch space of at least the
    /// scale's size, all zero on entry and on return.
    func outcome(row: UnsafeBufferPointer<Int32>, skip: Int, adjudication: Int32,
                 counts: UnsafeMutableBufferPointer<Int>) -> Outcome? {
        var annotators = 0
        var best = -1, bestCount = 0, tied = false
        for (column, code) in row.enumerated() where code >= 0 && column != skip {
            annotators += 1
            let label = Int(code)
            counts[label] += 1
            let count = counts[label]
            if count > bestCount {
                best = label; bestCount = count; tied = false
            } else if count == bestCount && label != best {
                tied = true
            }
        }
        for (column, code) in row.enumerated() where code >= 0 && column != skip { counts[Int(code)] = 0 }
        if adjudication >= 0, adjudicationDecides {
            var votes = 0
            for (column, code) in row.enumerated() where code == adjudication && column != skip { votes += 1 }
            return Outcome(label: Int(adjudication), source: .adjudicated, votes: votes, annotators: annotators)
        }
        return decide(best: best, bestCount: bestCount, tied: tied, annotators: annotators)
    }
}

/// A refused option or a store the report cannot read. Descriptions may quote names from
/// the data: sanitise them before they reach a terminal.
public enum AgreementError: Error, Equatable, CustomStringConvertible {
    case invalidOption(String)
    case unknownTask(String, known: [String])
    case unknownJudge(String, known: [String])
    case unknownAnnotator(String, known: [String])

    public var description: String {
        switch self {
        case .invalidOption(let reason): return reason
        case .unknownTask(let task, let known): return UnknownName.task(task, known: known)
        case .unknownJudge(let judge, let known): return UnknownName.judge(judge, known: known)
        case .unknownAnnotator(let annotator, let known):
            return "no decisions by annotator '\(annotator)' (annotators: \(known.isEmpty ? "none yet" : known.joined(separator: ", ")))"
        }
    }
}
