// How far each judge version may be trusted to decide a dimension without humans.
import Domain
import Store

/// Each judge version's measured agreement with the human consensus, per task and dimension.
public struct JudgeTrust: Sendable {
    /// One (task, dimension, judge version).
    public struct Entry: Sendable, Equatable {
        public var task: String
        public var dimension: String
        public var judge: String
        /// The version hash.
        public var version: String
        public var versionID: Int64
        public var kind: String
        public var model: String?
        public var rubricVersion: Int
        /// Samples with both a human consensus and a valid verdict of this version on the dimension.
        public var compared: Int
        /// Of those, the samples where the verdict agrees (on pass/fail or on the label, per the rule).
        public var agreed: Int
        /// `agreed / compared`; nil when `compared` is 0.
        public var agreement: Double? { compared == 0 ? nil : Double(agreed) / Double(compared) }
        /// Whether the version may decide the dimension: `compared ≥ minHuman` and `agreement ≥ trustJudge`.
        public var trusted: Bool
        /// Whether agreement was measured (only when judges may decide: `trustJudge` set).
        public var measured: Bool
    }

    public var entries: [Entry]
    /// Per task and dimension position: the entries trusted to decide, most accurate first
    /// (ties: the newest version first).
    private let trustedByPosition: [[[Int64]]]

    /// The judge versions trusted on a dimension, in the order they are asked.
    func trustedVersions(task: Int, dimension: Int) -> [Int64] {
        guard trustedByPosition.indices.contains(task), trustedByPosition[task].indices.contains(dimension) else { return [] }
        return trustedByPosition[task][dimension]
    }

    init(entries: [Entry], positions: [(task: Int, dimension: Int)], rubrics: [Rubric]) {
        self.entries = entries
        var table = rubrics.map { $0.dimensions.map { _ in [(id: Int64, agreement: Double)]() } }
        for (i, e) in entries.enumerated() where e.trusted {
            let p = positions[i]
            table[p.task][p.dimension].append((e.versionID, e.agreement ?? 0))
        }
        trustedByPosition = table.map { dims in
            dims.map { versions in
                versions.sorted { $0.agreement != $1.agreement ? $0.agreement > $1.agreement : $0.id > $1.id }.map(\.id)
            }
        }
    }

    /// Lists every version of the selected tasks' judges (only `rule.judge`'s when set) and,
    /// when `rule.trustJudge` is set, measures each over every sample of those tasks, in one
    /// streaming pass over the snapshot `reader` reads:
    /// for each (task, dimension, version), the samples where the human consensus under
    /// `rule.consensus` and a valid verdict both exist, and how many agree on `rule.trustOn`.
    /// Agreement on pass/fail is the accuracy `recjudge stats` reports for the same consensus.
    static func measure(reader: ExportReader, rubrics: [Rubric], rule: FinalLabelRule) throws -> JudgeTrust {
        var count = try TrustCount(reader: reader, rubrics: rubrics, rule: rule,
                                   sparse: TrustCount.isSparse(decisionsThrough: reader.decisionsThrough(), keys: reader.sampleKeys()))
        if count.measures {
            var labeler = FinalLabeler(rubrics: rubrics, rule: rule, trust: nil)
            count.add(try count.count(reader, range: nil, &labeler))
        }
        return count.finish()
    }
}

/// `JudgeTrust.measure` in parts: the versions are listed once, samples are counted by chunks
/// of keys (on any thread, each with its own reader and labeler), the parts are added up, and
/// `finish` decides which versions are trusted.
struct TrustCount: Sendable {
    let rubrics: [Rubric]
    let rule: FinalLabelRule
    private(set) var entries: [JudgeTrust.Entry] = []
    private var positions: [(task: Int, dimension: Int)] = []
    /// Per task position: version id → the entry of its first dimension.
    private var slot: [[Int64: Int]]
    /// Whether few samples have human decisions (then only those are read; when many do, one
    /// plain pass over every table is cheaper than looking them up).
    let sparse: Bool

    init(reader: ExportReader, rubrics: [Rubric], rule: FinalLabelRule, sparse: Bool) throws {
        self.rubrics = rubrics; self.rule = rule; self.sparse = sparse
        let versions = try reader.judgeVersions().filter { v in
            rubrics.contains { $0.task == v.task } && (rule.judge == nil || rule.judge == v.judge)
        }
        slot = rubrics.map { _ in [:] }
        for v in versions {
            guard let t = rubrics.firstIndex(where: { $0.task == v.task }) else { continue }
            slot[t][v.id] = entries.count
            for (d, dim) in rubrics[t].dimensions.enumerated() {
                entries.append(JudgeTrust.Entry(
                    task: v.task, dimension: dim.key, judge: v.judge, version: v.version, versionID: v.id,
                    kind: v.kind, model: v.model, rubricVersion: v.rubricVersion, compared: 0, agreed: 0,
                    trusted: false, measured: rule.trustJudge != nil))
                positions.append((t, d))
            }
        }
    }

    /// Whether fewer decision rows than samples: decision ids and sample keys are row ids of
    /// tables nothing is deleted from, so the newest id and the key span stand for the counts.
    static func isSparse(decisionsThrough: Int64, keys: ClosedRange<Int64>) -> Bool {
        decisionsThrough < Int64(keys.count)
    }

    /// Whether samples must be counted at all (judges may decide, and there are versions).
    var measures: Bool { !entries.isEmpty && rule.trustJudge != nil }

    /// Per entry, (compared, agreed) over the samples with keys in `range` (all when nil).
    func count(_ reader: ExportReader, range: ClosedRange<Int64>?, _ labeler: inout FinalLabeler) throws -> [(compared: Int, agreed: Int)] {
        var counts = Array(repeating: (compared: 0, agreed: 0), count: entries.count)
        try reader.forEachSample(EvidenceScan(tasks: rubrics.map(\.task), onlyHumanLabelled: sparse, pkRange: range)) { e in
            guard !e.verdicts.isEmpty, !e.decisions.isEmpty else { return }
            let t = labeler.codes.task(e.task, reader)
            guard t >= 0 else { return }
            _ = labeler.humans(e, task: t, reader)
            let humans = labeler.outcomes
            let dimensions = rubrics[t].dimensions
            for v in e.verdicts where v.label >= 0 {
                guard let base = slot[t][v.judgeVersionID] else { continue }
                let d = labeler.codes.dimension(t, v.dimension, reader)
                guard d >= 0, let human = humans[d] else { continue }
                let label = labeler.codes.label(t, d, v.label, reader)
                guard label >= 0 else { continue }
                counts[base + d].compared += 1
                let agrees = rule.trustOn == .label
                    ? label == human.label
                    : dimensions[d].labels[label].passes == dimensions[d].labels[human.label].passes
                if agrees { counts[base + d].agreed += 1 }
            }
        }
        return counts
    }

    mutating func add(_ counts: [(compared: Int, agreed: Int)]) {
        for (i, c) in counts.enumerated() {
            entries[i].compared += c.compared
            entries[i].agreed += c.agreed
        }
    }

    /// The trust the counts make: a version is trusted on a dimension when it was compared on at
    /// least `minHuman` samples and agreed on at least `trustJudge` of them.
    func finish() -> JudgeTrust {
        var entries = entries
        if let threshold = rule.trustJudge {
            for i in entries.indices {
                entries[i].trusted = entries[i].compared >= rule.minHuman && (entries[i].agreement ?? 0) >= threshold - 1e-12
            }
        }
        return JudgeTrust(entries: entries, positions: positions, rubrics: rubrics)
    }
}
