// The statistics of one dimension table, all computed by the Stats module.
import Stats

/// Computes figures with the report's interval settings.
struct FigureMaker {
    let confidence: Double
    let replicates: Int
    let maxItems: Int
    let seed: UInt64

    /// The same settings without bootstrap intervals.
    var withoutBootstrap: FigureMaker { FigureMaker(confidence: confidence, replicates: 0, maxItems: 0, seed: seed) }

    func proportion(_ successes: Int, _ trials: Int, else reason: Undefined = .emptyDenominator) -> Figure {
        Figure.proportion(successes, of: trials, confidence: confidence, else: reason)
    }

    /// Whether a table of `items` gets bootstrap intervals.
    func bootstraps(_ items: Int) -> Bool { replicates > 0 && items > 0 && items <= maxItems }

    /// `statistic` on `ratings` with a percentile bootstrap interval when the table is small
    /// enough, else without an interval. `narrow` gives the columns the statistic needs (the
    /// resampling copies every column), and is only called when bootstrapping.
    func bootstrapped(_ ratings: Ratings, narrow: ((Ratings) throws -> Ratings)? = nil,
                      _ statistic: (Ratings) throws -> Estimate) throws -> Figure {
        let estimate = try statistic(ratings)
        guard bootstraps(ratings.itemCount), estimate.value != nil else { return Figure(estimate) }
        let table = try narrow?(ratings) ?? ratings
        return Figure(try Bootstrap.percentileInterval(of: table, replicates: replicates, confidence: confidence,
                                                       seed: seed, statistic: statistic))
    }
}

extension LabelConfusion {
    /// A Stats confusion matrix with the dimension's label names.
    init(_ m: ConfusionMatrix, labels: [String]) {
        self.init(labels: labels, rows: m.rows)
    }
}

extension DimensionTable {
    /// The dimension's figures. `passFail` is the same dimension on the pass/fail scale when
    /// it is not already binary (one passing and one failing label); `onlyJudge` restricts
    /// the judges reported to one.
    func agreement(passFail: DimensionTable?, onlyJudge: Int? = nil, annotatorLabels: [Int]? = nil,
                   figures f: FigureMaker) throws -> DimensionAgreement {
        let humans = try ratings.selecting(raters: annotatorIDs)
        let binary = passFail ?? self
        let positive = String(passFail == nil ? info.passes.firstIndex(of: true) ?? 0 : 0)

        // Label counts come from the Stats tables (a column against itself), not cell by cell.
        let consensusCounts = try counts?.consensus ?? labelCounts(consensusID)
        let binaryCounts = passFail == nil ? consensusCounts : try binary.counts?.consensus ?? binary.labelCounts(binary.consensusID)
        let passing = binary.info.passes.indices.reduce(0) { $0 + (binary.info.passes[$1] ? binaryCounts[$1] : 0) }
        let decided = binaryCounts.reduce(0, +)
        var sourceCounts = [Int](repeating: 0, count: HumanConsensus.Source.allCases.count)
        var items = 0
        for row in 0..<rowCount where human[row] {
            items += 1
            if sources[row] >= 0 { sourceCounts[Int(sources[row])] += 1 }
        }
        let labelled = try (annotatorLabels ?? self.annotatorLabels()).map { $0 > 0 }
        let ratingCounts = humans.labelCounts()
        let labels = info.labels.indices.map {
            LabelCount(label: info.labels[$0], passes: info.passes[$0], ratings: ratingCounts[$0], consensus: consensusCounts[$0])
        }
        var sourcesByName: [HumanConsensus.Source: Int] = [:]
        for (i, s) in HumanConsensus.Source.allCases.enumerated() where !info.isAll { sourcesByName[s] = sourceCounts[i] }

        let human = HumanAgreement(
            annotators: info.annotators.indices.filter { labelled[$0] }.map { info.annotators[$0] },
            pairableItems: humans.itemCount(withAtLeast: 2),
            percentAgreement: try f.bootstrapped(humans) { $0.percentAgreement() },
            krippendorffsAlpha: try f.bootstrapped(humans) { $0.krippendorffsAlpha(.nominal) },
            fleissKappa: Figure(humans.fleissKappa()),
            gwetsAC1: try f.bootstrapped(humans) { $0.gwetsAC1() },
            pairs: try pairs(figures: f))

        var judgeFigures: [JudgeAgreement] = []
        for j in info.judges.indices where onlyJudge == nil || onlyJudge == j {
            judgeFigures.append(try judgeAgreement(j, binary: binary, sameTable: passFail == nil, positive: positive,
                                                   figures: f))
        }
        return DimensionAgreement(
            dimension: info.name, isAll: info.isAll, items: items, consensusItems: consensusCounts.reduce(0, +),
            consensusSources: sourcesByName, labels: labels,
            passRate: f.proportion(passing, decided), humans: human, judges: judgeFigures)
    }

    /// Labels each annotator gave on this table.
    func annotatorLabels() throws -> [Int] {
        if let known = counts?.annotatorLabels { return known }
        return try info.annotators.indices.map { try labelCounts(id("a\($0)")).reduce(0, +) }
    }

    /// How many items carry each label in column `id` (the diagonal of the column against itself).
    func labelCounts(_ id: String) throws -> [Int] {
        let m = try ratings.confusionMatrix(between: id, and: id)
        return m.labels.indices.map { m.count(row: $0, column: $0) }
    }

    /// Every pair of annotators that shares an item.
    private func pairs(figures f: FigureMaker) throws -> [PairAgreement] {
        let a = info.annotators.count
        guard a >= 2 else { return [] }
        var out: [PairAgreement] = []
        for i in 0..<a {
            for k in (i + 1)..<a {
                let (x, y) = (id("a\(i)"), id("a\(k)"))
                let m = try ratings.confusionMatrix(between: x, and: y)
                guard m.total > 0 else { continue }
                out.append(PairAgreement(
                    first: info.annotators[i], second: info.annotators[k], items: m.total,
                    percentAgreement: f.proportion(agreements(m), m.total, else: .noPairedItems),
                    cohensKappa: try f.bootstrapped(ratings, narrow: { try $0.selecting(raters: [x, y]) }) {
                        try $0.cohensKappa(between: x, and: y)
                    }))
            }
        }
        return out
    }

    private func judgeAgreement(_ j: Int, binary: DimensionTable, sameTable: Bool, positive: String,
                                figures f: FigureMaker) throws -> JudgeAgreement {
        let id = binary.judgeID(j), c = binary.consensusID
        let report = try binary.ratings.judgeReport(judge: id, reference: c, positive: positive)
        let tp = report.truePositives, fp = report.falsePositives, fn = report.falseNegatives, tn = report.trueNegatives
        let pair = { (r: Ratings) in try r.selecting(raters: [c, id]) }
        let kappa = try f.bootstrapped(binary.ratings, narrow: pair) { try $0.cohensKappa(between: c, and: id) }
        // On a binary dimension (one table) the exact-label figures are the pass/fail ones.
        let labelMatrix = sameTable ? report.confusion : try ratings.confusionMatrix(between: consensusID, and: judgeID(j))
        let labelConfusion = LabelConfusion(labelMatrix, labels: info.labels)
        let counts = info.judgeCounts.indices.contains(j) ? info.judgeCounts[j] : (verdicts: 0, failed: nil)
        return JudgeAgreement(
            judge: info.judges[j], verdicts: counts.verdicts, failedVerdicts: counts.failed,
            referenceItems: report.referenceItems, comparedItems: report.comparedItems,
            coverage: f.proportion(report.comparedItems, report.referenceItems),
            accuracy: f.proportion(tp + tn, report.comparedItems, else: .noPairedItems),
            precision: f.proportion(tp, tp + fp),
            recall: f.proportion(tp, tp + fn),
            f1: try f.bootstrapped(binary.ratings, narrow: pair) {
                try $0.judgeReport(judge: id, reference: c, positive: positive).f1
            },
            cohensKappa: kappa,
            falseFailureRate: f.proportion(fn, tp + fn),
            specificity: f.proportion(tn, tn + fp),
            truePositives: tp, falseNegatives: fn, falsePositives: fp, trueNegatives: tn,
            labelConfusion: labelConfusion,
            labelAccuracy: f.proportion(labelConfusion.agreements, labelConfusion.total, else: .noPairedItems),
            labelKappa: sameTable ? Figure(kappa.estimate)
                : Figure(try ratings.cohensKappa(between: consensusID, and: judgeID(j))))
    }

    /// Each annotator on this dimension: against the others' consensus and each judge.
    func annotatorFigures(annotatorLabels: [Int]? = nil, figures f: FigureMaker) throws -> [AnnotatorDimension] {
        let counts = try annotatorLabels ?? self.annotatorLabels()
        return try info.annotators.indices.map { i in
            let a = id("a\(i)"), loo = looID(i)
            let labels = counts[i]
            let m = try ratings.confusionMatrix(between: a, and: loo)
            let judges = try info.judges.indices.map { j in
                let jm = try ratings.confusionMatrix(between: a, and: judgeID(j))
                return AnnotatorJudge(version: info.judges[j].version, items: jm.total,
                                      agreement: f.proportion(agreements(jm), jm.total, else: .noPairedItems),
                                      kappa: Figure(try ratings.cohensKappa(between: a, and: judgeID(j))))
            }
            return AnnotatorDimension(
                dimension: info.name, isAll: info.isAll, labels: labels, consensusItems: m.total, consensusAgreed: agreements(m),
                consensusAgreement: f.proportion(agreements(m), m.total, else: .noPairedItems),
                consensusKappa: Figure(try ratings.cohensKappa(between: a, and: loo)), judges: judges)
        }
    }
}

/// Sum of the diagonal of a confusion matrix: items on which both sides agree.
func agreements(_ m: ConfusionMatrix) -> Int {
    m.labels.indices.reduce(0) { $0 + m.count(row: $1, column: $1) }
}
