// What `recjudge stats` reports: per task and dimension (and "every dimension passes"),
// human–human agreement, each judge version against the human consensus, and each
// annotator against the consensus and the judges. Plain values, built by `AgreementReport.build`.
import Stats
import Store

/// What to report and how.
public struct AgreementOptions: Sendable {
    /// Only this task (nil: every task of the session).
    public var task: String?
    /// Only the versions of this judge (nil: every judge with verdicts).
    public var judge: String?
    /// Only this annotator in the per-annotator section (the consensus still uses everyone).
    public var annotator: String?
    /// Also split every dimension by this.
    public var grouping: Grouping?
    public var consensus = HumanConsensus()
    /// Coverage of every interval.
    public var confidence = 0.95
    /// Bootstrap resamples for κ, α, AC1 and F1 (0: no bootstrap intervals).
    public var bootstrapReplicates = 1000
    /// Bootstrap only tables of at most this many items; beyond it those intervals are left
    /// out (proportions keep their Wilson intervals) so that large sets stay fast. At the
    /// limit, 1000 resamples cost about a second per task on one core.
    public var bootstrapMaxItems = 1000
    public var seed: UInt64 = 20_250_618
    /// A gap between two items longer than this is a break, not time spent on the item.
    public var idleSeconds = 600.0

    public init() {}

    /// The ways `--by` can split a dimension.
    public enum Grouping: String, Sendable, CaseIterable {
        /// One group per judge version: the items it gave a verdict on.
        case judgeVersion = "judge-version"
        /// One group per ISO week (UTC) of the latest human decision on the item.
        case week
    }
}

/// A judge version as the report names it.
public struct JudgeVersionInfo: Sendable, Equatable {
    public var id: Int64
    public var judge: String
    /// The 16-hex-digit version hash.
    public var version: String
    public var kind: String
    public var model: String?
    public var rubricVersion: Int
    /// When the version was first registered (seconds since 1970).
    public var createdAt: Double

    init(_ v: StoredJudgeVersion) {
        id = v.id; judge = v.judge; version = v.version; kind = v.kind; model = v.model
        rubricVersion = v.rubricVersion; createdAt = v.createdAt
    }
}

/// One label of a dimension with how often it was given.
public struct LabelCount: Sendable, Equatable {
    public var label: String
    public var passes: Bool
    /// Current annotator labels (every annotator counted).
    public var ratings: Int
    /// Items whose consensus is this label.
    public var consensus: Int
}

/// Counts of (consensus label, judge label) over the items both have, every label of the
/// dimension in rubric order (scikit-learn's `confusion_matrix(y_true, y_pred)` layout).
public struct LabelConfusion: Sendable, Equatable {
    public var labels: [String]
    /// `rows[i][j]`: items with consensus `labels[i]` and judge label `labels[j]`.
    public var rows: [[Int]]

    public init(labels: [String], rows: [[Int]]) { self.labels = labels; self.rows = rows }

    /// Items counted.
    public var total: Int { rows.reduce(0) { $0 + $1.reduce(0, +) } }
    /// Items on the diagonal.
    public var agreements: Int { rows.indices.reduce(0) { $0 + ($1 < rows[$1].count ? rows[$1][$1] : 0) } }
}

/// Two annotators on the items both labelled.
public struct PairAgreement: Sendable, Equatable {
    public var first: String
    public var second: String
    public var items: Int
    public var percentAgreement: Figure
    public var cohensKappa: Figure
}

/// Agreement among the annotators (leads' adjudications are not votes).
public struct HumanAgreement: Sendable, Equatable {
    public var annotators: [String]
    /// Items with at least two annotator labels.
    public var pairableItems: Int
    /// Mean share of agreeing rater pairs per item (Stats `percentAgreement`).
    public var percentAgreement: Figure
    /// Krippendorff's α, nominal: any number of annotators, missing labels allowed.
    public var krippendorffsAlpha: Figure
    /// Fleiss' κ: undefined unless every item has the same number of labels.
    public var fleissKappa: Figure
    public var gwetsAC1: Figure
    /// Every pair of annotators that shares an item.
    public var pairs: [PairAgreement]
}

/// A judge version against the human consensus. Pass is the positive class and the
/// consensus is the ground truth, as RecGPT reports judge–human agreement.
public struct JudgeAgreement: Sendable, Equatable {
    public var judge: JudgeVersionInfo
    /// Verdict rows of this version on the dimension, and those that failed (no label).
    public var verdicts: Int
    /// nil for "every dimension passes", where a failure belongs to one dimension.
    public var failedVerdicts: Int?
    /// Items with a consensus, and those of them the judge labelled.
    public var referenceItems: Int
    public var comparedItems: Int
    public var coverage: Figure
    /// Pass/fail: (TP + TN) / compared.
    public var accuracy: Figure
    public var precision: Figure
    public var recall: Figure
    public var f1: Figure
    /// Cohen's κ on pass/fail.
    public var cohensKappa: Figure
    /// FN / (TP + FN): passes the judge failed.
    public var falseFailureRate: Figure
    /// TN / (TN + FP): failures the judge caught.
    public var specificity: Figure
    public var truePositives: Int
    public var falseNegatives: Int
    public var falsePositives: Int
    public var trueNegatives: Int
    /// Consensus label (rows) against judge label (columns), every label of the dimension.
    public var labelConfusion: LabelConfusion
    /// Exact-label accuracy and Cohen's κ (equal to the pass/fail ones on two-label dimensions).
    public var labelAccuracy: Figure
    public var labelKappa: Figure
}

/// Everything about one dimension, or "every dimension passes".
public struct DimensionAgreement: Sendable, Equatable {
    /// The dimension's key, or `AgreementReport.allDimensions` for "every dimension passes".
    public var dimension: String
    /// Whether this is "every dimension passes" (pass/fail per sample, derived from each
    /// dimension: fails as soon as one dimension fails, passes when every one passes).
    public var isAll: Bool
    /// Items with at least one human label (annotator or lead).
    public var items: Int
    /// Items with a consensus, by where it came from (`all` has none of these).
    public var consensusItems: Int
    public var consensusSources: [HumanConsensus.Source: Int]
    public var labels: [LabelCount]
    /// Share of consensus items that pass.
    public var passRate: Figure
    public var humans: HumanAgreement
    public var judges: [JudgeAgreement]
}

/// One annotator on one dimension.
public struct AnnotatorDimension: Sendable, Equatable {
    public var dimension: String
    /// Whether this is "every dimension passes".
    public var isAll: Bool
    public var labels: Int
    /// Against the consensus of the other annotators (and any adjudication): items where
    /// that exists, so an item nobody else labelled is not a free agreement.
    public var consensusItems: Int
    /// Of those, the items where the annotator's label equals that consensus.
    public var consensusAgreed: Int
    public var consensusAgreement: Figure
    public var consensusKappa: Figure
    public var judges: [AnnotatorJudge]
}

/// One annotator against one judge version on one dimension.
public struct AnnotatorJudge: Sendable, Equatable {
    public var version: String
    public var items: Int
    public var agreement: Figure
    public var kappa: Figure
}

/// One annotator's work and agreement in a task.
public struct AnnotatorAgreement: Sendable, Equatable {
    public var annotator: String
    /// Samples with at least one current label of theirs.
    public var items: Int
    /// Current labels (one per sample and dimension), and rows in the log (undos included).
    public var labels: Int
    public var decisions: Int
    /// Current labels by how they were made (accept, override, label, import, …).
    public var actions: [String: Int]
    /// Adjudications they made as a lead.
    public var adjudications: Int
    /// Seconds between finishing one item and the next, over the timed items (gaps longer
    /// than `idleSeconds` are breaks; items finished within 50 ms of the previous one were
    /// written in one batch, e.g. an import, and are not timed).
    public var timedItems: Int
    public var medianSecondsPerItem: Double?
    public var meanSecondsPerItem: Double?
    /// Pooled over dimensions: current labels equal to the others' consensus.
    public var consensusItems: Int
    public var consensusAgreement: Figure
    public var dimensions: [AnnotatorDimension]
}

/// A dimension split by `--by`.
public struct GroupAgreement: Sendable, Equatable {
    public var grouping: AgreementOptions.Grouping
    /// "2025-W25" or a judge version hash.
    public var key: String
    /// For weeks, the Monday that starts it ("2025-06-16"); for judge versions, the judge's name.
    public var detail: String
    public var dimensions: [DimensionAgreement]
}

/// Agreement in one task.
public struct TaskAgreement: Sendable, Equatable {
    public var task: String
    public var rubricVersion: Int
    public var samples: Int
    /// Dimensions in rubric order, then "every dimension passes".
    public var dimensions: [DimensionAgreement]
    public var annotators: [AnnotatorAgreement]
    public var groups: [GroupAgreement]
    /// Current labels the rubric no longer knows (a dimension or label renamed since): left out.
    public var ignoredLabels: Int
}

/// The whole report.
public struct AgreementReport: Sendable {
    /// The pseudo-dimension "the sample passes every dimension".
    public static let allDimensions = "all"

    public var session: String
    public var options: AgreementOptions
    public var tasks: [TaskAgreement]
}
