// The final label of one dimension of one sample: what an export trains on.
import Domain
import Store

/// Where a final label came from.
public enum LabelSource: String, Sendable, CaseIterable, Codable {
    /// A lead's adjudication.
    case adjudicated
    /// Every annotator (two or more) gave it.
    case unanimous
    /// Enough annotators gave it (the consensus's minimum agreement), not all.
    case majority
    /// The only annotator's label.
    case single
    /// A judge version trusted on this dimension (no human label decided it).
    case judge

    init(_ source: HumanConsensus.Source) {
        switch source {
        case .adjudicated: self = .adjudicated
        case .unanimous: self = .unanimous
        case .majority: self = .majority
        case .single: self = .single
        }
    }

    public var isHuman: Bool { self != .judge }

    /// The position in `allCases`.
    var position: Int {
        switch self {
        case .adjudicated: 0
        case .unanimous: 1
        case .majority: 2
        case .single: 3
        case .judge: 4
        }
    }
}

/// What a judge version's measured agreement with the humans is counted on.
public enum TrustMeasure: String, Sendable, CaseIterable {
    /// Pass/fail agreement with the human consensus: the accuracy `recjudge stats` reports (ACC).
    case passFail = "pass-fail"
    /// Exact label agreement with the human consensus.
    case label
}

/// What happens to a dimension the humans labelled without reaching a consensus (a tie, or
/// too little agreement) and that no lead adjudicated.
public enum ContestedPolicy: String, Sendable, CaseIterable {
    /// A trusted judge's label may decide it, as for a dimension no human labelled.
    case judge
    /// It gets no final label (and the row is left out).
    case drop
}

/// The rule that gives a dimension of a sample its final label, in this order:
/// 1. a lead's adjudication, when there is one (and `consensus.adjudicationDecides`);
/// 2. else the annotators' consensus under `consensus` (minimum agreement and annotators);
/// 3. else the label of a judge version trusted on that task and dimension: one whose
///    measured agreement with the human consensus (`trustOn`) is at least `trustJudge` over
///    at least `minHuman` samples (the most accurate trusted version with a verdict; ties go
///    to the newest). A dimension humans labelled but left contested reaches this step only
///    under `contested: .judge`;
/// 4. else none: a row that needs the dimension is left out.
public struct FinalLabelRule: Sendable, Equatable {
    public var consensus: HumanConsensus
    /// The least measured agreement for a judge version to decide; nil: judges never decide.
    public var trustJudge: Double?
    /// The fewest samples with both a human consensus and the version's verdict on the
    /// dimension that its agreement must be measured on.
    public var minHuman: Int
    public var trustOn: TrustMeasure
    /// Only versions of this judge may decide (nil: any judge of the task).
    public var judge: String?
    public var contested: ContestedPolicy

    public init(consensus: HumanConsensus = HumanConsensus(), trustJudge: Double? = nil, minHuman: Int = 50,
                trustOn: TrustMeasure = .passFail, judge: String? = nil, contested: ContestedPolicy = .judge) {
        self.consensus = consensus; self.trustJudge = trustJudge; self.minHuman = minHuman
        self.trustOn = trustOn; self.judge = judge; self.contested = contested
    }

    /// - Throws: `ExportError.invalidOption` for a trust threshold outside [0, 1], a negative
    ///   `minHuman`, or an invalid consensus.
    public func validate() throws {
        do { try consensus.validate() } catch let e as AgreementError { throw ExportError.invalidOption(e.description) }
        if let t = trustJudge, !(t >= 0 && t <= 1) {
            throw ExportError.invalidOption("--trust-judge is a share between 0 and 1, e.g. 0.9 (got \(t))")
        }
        if minHuman < 1 { throw ExportError.invalidOption("--min-human is at least 1 (got \(minHuman))") }
    }
}

/// One dimension's final label.
public struct FinalLabel: Sendable, Equatable {
    /// The label's position in the dimension's label list.
    public var label: Int
    public var source: LabelSource
    /// The judge version that decided it (source `.judge`), else nil.
    public var judgeVersionID: Int64?
}

/// How humans handled a sample, from their current decisions. When several apply, the first
/// in this list's reverse order wins: adjudicated, overridden, labelled, accepted, judge-only.
public enum DecisionState: String, Sendable, CaseIterable {
    /// No human label.
    case judgeOnly = "judge-only"
    /// Every human label took the judge's verdict.
    case accepted
    /// Humans labelled without seeing or taking a verdict (blind mode, imported labels).
    case labelled
    /// A human chose a label other than the judge's.
    case overridden
    /// A lead adjudicated a dimension.
    case adjudicated

    /// Precedence when several apply: the higher wins.
    var rank: Int {
        switch self {
        case .judgeOnly: 0
        case .accepted: 1
        case .labelled: 2
        case .overridden: 3
        case .adjudicated: 4
        }
    }
}

/// Whether a sample passes on its final labels.
public enum SampleOutcome: Sendable, Equatable {
    /// Every dimension has a final label and every one passes.
    case pass
    /// Some dimension's final label fails (whether or not the others have one).
    case fail
    /// No final label fails, but some dimension has none.
    case undecided
}

/// A sample's final labels, one per rubric dimension, with how they were reached.
public struct SampleJudgement: Sendable, Equatable {
    /// The task's position among the selected rubrics.
    public var task: Int
    public var labels: [FinalLabel?]
    public var state: DecisionState
    public var outcome: SampleOutcome
    /// Dimensions humans labelled that have no consensus and no adjudication.
    public var contested: Int

    /// Every dimension has a final label.
    public var isComplete: Bool { labels.allSatisfy { $0 != nil } }
}

/// Text codes of a reader → positions in the selected rubrics (dimension, label). Codes are
/// small dense numbers, so arrays indexed by code replace string lookups on the hot path.
struct RubricCodes {
    let rubrics: [Rubric]
    private var taskOf: [Int16] = []
    private var dimensionOf: [[Int16]]
    private var labelOf: [[[Int16]]]

    init(rubrics: [Rubric]) {
        self.rubrics = rubrics
        dimensionOf = rubrics.map { _ in [] }
        labelOf = rubrics.map { $0.dimensions.map { _ in [] } }
    }

    /// The task position of a task code, −1 when it is not selected.
    mutating func task(_ code: Int32, _ reader: ExportReader) -> Int {
        Self.resolve(&taskOf, code) { rubrics.firstIndex { $0.task == reader.text(code) } }
    }

    /// The dimension position of a dimension code in task `t`, −1 when the rubric has none.
    mutating func dimension(_ t: Int, _ code: Int32, _ reader: ExportReader) -> Int {
        Self.resolve(&dimensionOf[t], code) { rubrics[t].dimensions.firstIndex { $0.key == reader.text(code) } }
    }

    /// The label position of a label code on dimension `d` of task `t`, −1 when not in the rubric.
    mutating func label(_ t: Int, _ d: Int, _ code: Int32, _ reader: ExportReader) -> Int {
        guard code >= 0 else { return -1 }
        return Self.resolve(&labelOf[t][d], code) { rubrics[t].dimensions[d].labels.firstIndex { $0.key == reader.text(code) } }
    }

    /// −2 marks "not resolved yet".
    private static func resolve(_ table: inout [Int16], _ code: Int32, _ find: () -> Int?) -> Int {
        let c = Int(code)
        guard c >= 0 else { return -1 }
        if c >= table.count { table.append(contentsOf: repeatElement(-2, count: c + 1 - table.count)) }
        if table[c] == -2 { table[c] = Int16(find() ?? -1) }
        return Int(table[c])
    }
}

/// Applies a `FinalLabelRule` to evidence read from the store. Keeps scratch space between
/// samples, so judging one allocates only its result.
struct FinalLabeler {
    let rule: FinalLabelRule
    var codes: RubricCodes
    /// Per task and dimension: the judge versions trusted to decide, most accurate first.
    let trusted: [[[Int64]]]
    /// After `humans`: per dimension of the sample's task, the human consensus (nil: none) and
    /// whether any human labelled it.
    private(set) var outcomes: [HumanConsensus.Outcome?] = []
    private(set) var labelled: [Bool] = []
    private var votes: [[Int]] = []
    private var adjudication: [Int] = []
    private var adjudicatedAt: [Double] = []
    /// Per task, whether each (dimension, label) passes, flat: `passes[t][passStart[t][d] + label]`
    /// read as one array of a task (a sample must not copy its rubric).
    private let passes: [[Bool]]
    private let passStart: [[Int]]

    init(rubrics: [Rubric], rule: FinalLabelRule, trust: JudgeTrust?) {
        self.rule = rule
        codes = RubricCodes(rubrics: rubrics)
        passes = rubrics.map { $0.dimensions.flatMap { $0.labels.map(\.passes) } }
        passStart = rubrics.map { r in
            var start = 0
            return r.dimensions.map { d in defer { start += d.labels.count }; return start }
        }
        // Copied (`map`), not shared: each reading thread has its own labeler, and arrays
        // shared between threads would have their reference counts touched from both.
        trusted = rubrics.indices.map { t in
            rubrics[t].dimensions.indices.map { d in (trust?.trustedVersions(task: t, dimension: d) ?? []).map { $0 } }
        }
    }

    /// Fills `outcomes` and `labelled` for a sample of task `t`; returns its decision state.
    mutating func humans(_ e: SampleEvidence, task t: Int, _ reader: ExportReader) -> DecisionState {
        let dimensions = passStart[t].count
        if votes.count < dimensions {
            votes += Array(repeating: [], count: dimensions - votes.count)
            adjudication += Array(repeating: -1, count: dimensions - adjudication.count)
            adjudicatedAt += Array(repeating: -.infinity, count: dimensions - adjudicatedAt.count)
        }
        for d in 0..<dimensions {
            votes[d].removeAll(keepingCapacity: true)
            adjudication[d] = -1
            adjudicatedAt[d] = -.infinity
        }
        var state = DecisionState.judgeOnly
        for decision in e.decisions where decision.label >= 0 {
            let d = codes.dimension(t, decision.dimension, reader)
            guard d >= 0 else { continue }
            let label = codes.label(t, d, decision.label, reader)
            guard label >= 0 else { continue }
            switch decision.role {
            case .lead:
                if DecisionState.adjudicated.rank > state.rank { state = .adjudicated }
                if decision.time >= adjudicatedAt[d] { adjudicatedAt[d] = decision.time; adjudication[d] = label }
            case .annotator:
                votes[d].append(label)
                let s: DecisionState
                switch decision.action {
                case .accept: s = .accepted
                case .override: s = .overridden
                default: s = decision.judgeLabel < 0 ? .labelled : decision.judgeLabel == decision.label ? .accepted : .overridden
                }
                if s.rank > state.rank { state = s }
            }
        }
        outcomes.removeAll(keepingCapacity: true)
        labelled.removeAll(keepingCapacity: true)
        for d in 0..<dimensions {
            let touched = !votes[d].isEmpty || adjudication[d] >= 0
            labelled.append(touched)
            // No vote and no adjudication never make a consensus: skip the call.
            outcomes.append(touched ? rule.consensus.outcome(votes: votes[d], adjudication: adjudication[d] >= 0 ? adjudication[d] : nil) : nil)
        }
        return state
    }

    /// The sample's final labels under the rule, or nil when its task is not selected.
    mutating func judge(_ e: SampleEvidence, _ reader: ExportReader) -> SampleJudgement? {
        let t = codes.task(e.task, reader)
        guard t >= 0 else { return nil }
        let state = humans(e, task: t, reader)
        let dimensions = passStart[t].count
        var labels: [FinalLabel?] = []
        labels.reserveCapacity(dimensions)
        var contested = 0
        for d in 0..<dimensions {
            if let o = outcomes[d] {
                labels.append(FinalLabel(label: o.label, source: LabelSource(o.source), judgeVersionID: nil))
                continue
            }
            if labelled[d] {
                contested += 1
                if rule.contested == .drop { labels.append(nil); continue }
            }
            labels.append(judgeLabel(e, task: t, dimension: d, reader))
        }
        var outcome = SampleOutcome.pass
        for (d, l) in labels.enumerated() {
            guard let l else { if outcome == .pass { outcome = .undecided }; continue }
            if !passes[t][passStart[t][d] + l.label] { outcome = .fail; break }
        }
        return SampleJudgement(task: t, labels: labels, state: state, outcome: outcome, contested: contested)
    }

    /// The label of the first trusted version (in preference order) with a valid verdict.
    private mutating func judgeLabel(_ e: SampleEvidence, task t: Int, dimension d: Int, _ reader: ExportReader) -> FinalLabel? {
        for version in trusted[t][d] {
            for v in e.verdicts where v.judgeVersionID == version && v.label >= 0 {
                guard codes.dimension(t, v.dimension, reader) == d else { continue }
                let label = codes.label(t, d, v.label, reader)
                if label >= 0 { return FinalLabel(label: label, source: .judge, judgeVersionID: version) }
            }
        }
        return nil
    }
}
