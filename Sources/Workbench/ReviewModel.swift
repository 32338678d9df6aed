// What the review screen shows, as plain values: the agreement figures (computed elsewhere,
// by the stats report), the reviewed samples with their reference labels, and the pure rules
// that turn them into conflict queues and confusion-matrix heat maps.
import Domain
import Store

/// One row of the agreement table: a dimension, or "every dimension passes". Undefined
/// statistics are nil and show as "—", never as 0.
public struct FigureRow: Sendable, Equatable {
    /// The dimension's key, or `ReviewFigures.allDimensions`.
    public var dimension: String
    public var isAll: Bool
    /// Items with a human label.
    public var items: Int
    /// Share of consensus items that pass.
    public var passRate: Double?
    /// Human–human percent agreement.
    public var humanPercent: Double?
    /// Cohen's κ for two annotators, Krippendorff's α (nominal) otherwise; see `humanKappaName`.
    public var humanKappa: Double?
    public var humanKappaName: String
    public var ac1: Double?
    /// The selected judge version against the human consensus (nil: no judge).
    public var judge: JudgeFigures?

    public init(dimension: String, isAll: Bool = false, items: Int, passRate: Double? = nil, humanPercent: Double? = nil,
                humanKappa: Double? = nil, humanKappaName: String = "κ", ac1: Double? = nil, judge: JudgeFigures? = nil) {
        self.dimension = dimension; self.isAll = isAll; self.items = items; self.passRate = passRate
        self.humanPercent = humanPercent; self.humanKappa = humanKappa; self.humanKappaName = humanKappaName
        self.ac1 = ac1; self.judge = judge
    }
}

/// A judge version against the consensus, pass as the positive class (as RecGPT reports).
public struct JudgeFigures: Sendable, Equatable {
    public var compared: Int
    public var accuracy: Double?
    public var precision: Double?
    public var recall: Double?
    public var f1: Double?
    public var kappa: Double?

    public init(compared: Int, accuracy: Double?, precision: Double?, recall: Double?, f1: Double?, kappa: Double?) {
        self.compared = compared; self.accuracy = accuracy; self.precision = precision; self.recall = recall
        self.f1 = f1; self.kappa = kappa
    }
}

/// One annotator on one row of the agreement table (the stats report's per-annotator
/// figures). Undefined figures are nil and show as "—".
public struct AnnotatorRow: Sendable, Equatable {
    public var annotator: String
    /// Their current labels on the row's dimension.
    public var labels: Int
    /// Against the consensus of the other annotators (or an adjudication), on the items where
    /// one exists: the share of equal labels and Cohen's κ.
    public var consensusAgreement: Double?
    public var consensusKappa: Double?
    /// Against the selected judge version, exact labels: the share equal and Cohen's κ
    /// (nil: no judge, or no item both labelled).
    public var judgeAgreement: Double?
    public var judgeKappa: Double?
    /// Median seconds between finishing one sample and the next, over the whole task (time
    /// is spent on a sample, not on one dimension of it); nil when nothing was timed.
    public var secondsPerItem: Double?

    public init(annotator: String, labels: Int, consensusAgreement: Double? = nil, consensusKappa: Double? = nil,
                judgeAgreement: Double? = nil, judgeKappa: Double? = nil, secondsPerItem: Double? = nil) {
        self.annotator = annotator; self.labels = labels; self.consensusAgreement = consensusAgreement
        self.consensusKappa = consensusKappa; self.judgeAgreement = judgeAgreement; self.judgeKappa = judgeKappa
        self.secondsPerItem = secondsPerItem
    }
}

/// One bar of the trend chart: a judge version or a week.
public struct TrendPoint: Sendable, Equatable {
    /// A version hash, or "2025-W25".
    public var key: String
    /// The judge's name, or the week's Monday.
    public var detail: String
    public var compared: Int
    public var accuracy: Double?
    public var kappa: Double?

    public init(key: String, detail: String, compared: Int, accuracy: Double?, kappa: Double?) {
        self.key = key; self.detail = detail; self.compared = compared; self.accuracy = accuracy; self.kappa = kappa
    }
}

/// The figures of one task for one judge version, and the trends across versions and weeks.
public struct ReviewFigures: Sendable, Equatable {
    public static let allDimensions = "all"
    /// Dimensions in rubric order, then "every dimension passes".
    public var rows: [FigureRow]
    /// Dimension → judge versions, oldest first.
    public var byVersion: [String: [TrendPoint]]
    /// Dimension → weeks (of the latest human decision), oldest first, for the selected version.
    public var byWeek: [String: [TrendPoint]]
    /// Dimension (or `allDimensions`) → each annotator with labels on it, in the report's order.
    public var annotators: [String: [AnnotatorRow]]

    public init(rows: [FigureRow], byVersion: [String: [TrendPoint]] = [:], byWeek: [String: [TrendPoint]] = [:],
                annotators: [String: [AnnotatorRow]] = [:]) {
        self.rows = rows; self.byVersion = byVersion; self.byWeek = byWeek; self.annotators = annotators
    }
}

/// A reviewed sample and its human reference labels.
public struct ReviewItem: Sendable, Equatable {
    public var review: SampleReview
    /// Dimension → the reference label (the consensus rule of the stats: an adjudication, or
    /// the annotators' vote); missing where there is none (a tie, too little agreement).
    public var reference: [String: String]

    public init(review: SampleReview, reference: [String: String]) {
        self.review = review; self.reference = reference
    }

    public var samplePK: Int64 { review.samplePK }
    public var sampleID: String { review.sampleID }

    /// The judge's label on a dimension (nil: no verdict, or it failed).
    public func judge(_ dimension: String) -> String? { review.verdicts[dimension]?.label }

    /// Where a sample stands on one dimension.
    ///
    /// - `conflict`: the annotators gave different labels, or one of them differs from the
    ///   judge's label (a failed or missing verdict is no disagreement).
    /// - `unanimous`: two or more annotators gave the same label and the judge (if it has a
    ///   label) gave it too. These settle themselves: the consensus decides them, nothing is
    ///   written.
    /// - `open`: one annotator, no disagreement: waits for more annotators.
    /// - `unlabelled`: no annotator label.
    public func status(_ dimension: String) -> ItemStatus {
        let labels = Array((review.labels[dimension] ?? [:]).values)
        guard let first = labels.first else { return .unlabelled }
        let distinct = Set(labels)
        if distinct.count > 1 { return .conflict }
        if let j = judge(dimension), j != first { return .conflict }
        return labels.count >= 2 ? .unanimous : .open
    }

    /// Whether a lead adjudicated the dimension.
    public func adjudicated(_ dimension: String) -> Bool { review.adjudications[dimension] != nil }
}

public enum ItemStatus: Sendable, Equatable {
    case conflict, unanimous, open, unlabelled
}

/// What the screen reads for one judge version.
public struct ReviewData: Sendable, Equatable {
    public var figures: ReviewFigures
    /// Samples with a human label, in sample order.
    public var items: [ReviewItem]

    public init(figures: ReviewFigures, items: [ReviewItem]) {
        self.figures = figures; self.items = items
    }
}

/// The samples behind a table row or a heat-map cell.
public struct ReviewQueue: Sendable, Equatable {
    public var title: String
    /// The dimension the queue is about (nil: every dimension).
    public var dimension: String?
    public var samplePKs: [Int64]
    /// Unanimous samples left out because they settle themselves.
    public var settledHidden: Int

    public init(title: String, dimension: String?, samplePKs: [Int64], settledHidden: Int = 0) {
        self.title = title; self.dimension = dimension; self.samplePKs = samplePKs; self.settledHidden = settledHidden
    }
}

/// Reference (rows) against judge (columns) over the reviewed samples, with an extra "—" row
/// for samples without a reference and an extra "—" column for samples without a judge label.
public struct HeatMap: Sendable, Equatable {
    public static let none = "—"
    public var rows: [String]
    public var columns: [String]
    /// `rows.count × columns.count`.
    public var counts: [[Int]]
    /// The samples behind each cell, in sample order.
    public var samples: [[[Int64]]]

    public var maximum: Int { counts.flatMap { $0 }.max() ?? 0 }
    public var total: Int { counts.flatMap { $0 }.reduce(0, +) }
}

/// The pure rules of review: conflicts, settling, heat maps.
public enum ReviewRules {
    /// Labels of the "every dimension passes" row.
    public static let pass = "pass", fail = "fail"

    /// Whether a sample belongs in a conflict queue: a conflict on `dimension` (any dimension
    /// when nil); with `settle` off, also a unanimous sample (all of its labelled dimensions
    /// unanimous, for nil).
    public static func inConflictQueue(_ item: ReviewItem, dimension: String?, dimensions: [String], settle: Bool) -> Bool {
        let dims = dimension.map { [$0] } ?? dimensions
        let statuses = dims.map { item.status($0) }
        if statuses.contains(.conflict) { return true }
        return !settle && isSettled(item, dimension: dimension, dimensions: dimensions)
    }

    /// Whether a sample settles itself: unanimous on `dimension`, or (nil) on every dimension
    /// that has an annotator label, with no conflict anywhere.
    public static func isSettled(_ item: ReviewItem, dimension: String?, dimensions: [String]) -> Bool {
        let dims = dimension.map { [$0] } ?? dimensions
        let statuses = dims.map { item.status($0) }.filter { $0 != .unlabelled }
        return !statuses.isEmpty && statuses.allSatisfy { $0 == .unanimous }
    }

    /// The conflict queue of a dimension (nil: any dimension).
    public static func conflicts(_ items: [ReviewItem], dimension: String?, dimensions: [String], settle: Bool) -> ReviewQueue {
        let pks = items.filter { inConflictQueue($0, dimension: dimension, dimensions: dimensions, settle: settle) }.map(\.samplePK)
        return ReviewQueue(title: "conflicts · \(dimension ?? "any dimension")", dimension: dimension, samplePKs: pks)
    }

    /// The reference label of a sample on a row: the dimension's, or pass/fail over every
    /// dimension (fail as soon as one fails, pass when every one passes, else none).
    static func rowLabel(_ labels: (String) -> String?, row: String?, rubric: Rubric) -> String? {
        if let row { return labels(row) }
        var all = true
        for d in rubric.dimensions {
            guard let l = labels(d.key) else { all = false; continue }
            if d.label(l)?.passes == false { return fail }
        }
        return all && !rubric.dimensions.isEmpty ? pass : nil
    }

    /// The heat map of a dimension (nil: every dimension passes).
    public static func heatMap(_ items: [ReviewItem], dimension: String?, rubric: Rubric) -> HeatMap {
        let base = dimension.flatMap { rubric.dimension(named: $0) }.map { $0.labels.map(\.key) } ?? [pass, fail]
        let labels = base + [HeatMap.none]
        var counts = labels.map { _ in labels.map { _ in 0 } }
        var samples = labels.map { _ in labels.map { _ in [Int64]() } }
        for item in items {
            let r = rowLabel({ item.reference[$0] }, row: dimension, rubric: rubric)
            let c = rowLabel({ item.judge($0) }, row: dimension, rubric: rubric)
            // Samples with no human label on the dimension are not reviewed on it.
            if let d = dimension, item.review.labels[d] == nil, item.review.adjudications[d] == nil { continue }
            let ri = r.flatMap { labels.firstIndex(of: $0) } ?? labels.count - 1
            let ci = c.flatMap { labels.firstIndex(of: $0) } ?? labels.count - 1
            counts[ri][ci] += 1
            samples[ri][ci].append(item.samplePK)
        }
        return HeatMap(rows: labels, columns: labels, counts: counts, samples: samples)
    }

    /// The samples behind one heat-map cell, without those that settle themselves when `settle`.
    public static func cell(_ map: HeatMap, row: Int, column: Int, items: [ReviewItem], dimension: String?,
                            dimensions: [String], settle: Bool) -> ReviewQueue {
        guard map.rows.indices.contains(row), map.columns.indices.contains(column) else {
            return ReviewQueue(title: "", dimension: dimension, samplePKs: [])
        }
        let behind = map.samples[row][column]
        var kept = behind
        if settle {
            let byPK = Dictionary(items.map { ($0.samplePK, $0) }, uniquingKeysWith: { a, _ in a })
            kept = behind.filter { pk in byPK[pk].map { !isSettled($0, dimension: dimension, dimensions: dimensions) } ?? true }
        }
        return ReviewQueue(title: cellTitle(map, row: row, column: column, dimension: dimension),
                           dimension: dimension, samplePKs: kept, settledHidden: behind.count - kept.count)
    }

    /// A cell's name, short enough for a header: `relevance: yes × judge weak_relevance`
    /// (the human reference label first).
    public static func cellTitle(_ map: HeatMap, row: Int, column: Int, dimension: String?) -> String {
        guard map.rows.indices.contains(row), map.columns.indices.contains(column) else { return dimension ?? "all dimensions" }
        return "\(dimension ?? "all dimensions"): \(map.rows[row]) × judge \(map.columns[column])"
    }
}
