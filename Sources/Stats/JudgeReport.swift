// A judge against a reference (human) labelling, with one label as the positive class.

/// How a judge's labels compare with reference labels taken as ground truth.
///
/// Counts come from the items that carry a reference label. Of those, the *compared* items
/// also carry a judge label; every rate except `coverage` is over compared items only.
/// TP = reference positive and judge positive, FN = reference positive and judge not,
/// FP = reference not positive and judge positive, TN = neither ("not positive" includes
/// every other label of a multi-label scale).
public struct JudgeReport: Sendable, Equatable {
    /// The label treated as the positive class (e.g. "pass").
    public let positive: String
    /// Reference labels (rows) against judge labels (columns) over the compared items.
    public let confusion: ConfusionMatrix
    /// Items with a reference label.
    public let referenceItems: Int
    public let truePositives: Int
    public let falsePositives: Int
    public let falseNegatives: Int
    public let trueNegatives: Int

    /// Items with both a reference and a judge label.
    public var comparedItems: Int { confusion.total }

    /// Share of compared items where the judge's label equals the reference label, over
    /// every label of the scale (scikit-learn `accuracy_score`).
    /// Undefined (`.emptyDenominator`) when no item is compared.
    public var accuracy: Estimate {
        .ratio(Double(confusion.agreements), Double(comparedItems), else: .emptyDenominator)
    }

    /// TP / (TP + FP): of the items the judge passed, the share the reference passed
    /// (scikit-learn `precision_score(…, pos_label=positive)`, one-vs-rest).
    /// Undefined (`.emptyDenominator`) when the judge never gave the positive label.
    public var precision: Estimate {
        .ratio(Double(truePositives), Double(truePositives + falsePositives), else: .emptyDenominator)
    }

    /// TP / (TP + FN): of the items the reference passed, the share the judge passed.
    /// Undefined (`.emptyDenominator`) when the reference never gave the positive label.
    public var recall: Estimate {
        .ratio(Double(truePositives), Double(truePositives + falseNegatives), else: .emptyDenominator)
    }

    /// 2 TP / (2 TP + FP + FN), the harmonic mean of precision and recall (0 when TP = 0
    /// but some item was passed by either side, as scikit-learn `f1_score`).
    /// Undefined (`.emptyDenominator`) when neither side ever gave the positive label.
    public var f1: Estimate {
        .ratio(Double(2 * truePositives), Double(2 * truePositives + falsePositives + falseNegatives),
               else: .emptyDenominator)
    }

    /// Compared items / reference items: the share of reference-labelled items the judge
    /// labelled at all. Undefined (`.emptyDenominator`) when no item has a reference label.
    public var coverage: Estimate {
        .ratio(Double(comparedItems), Double(referenceItems), else: .emptyDenominator)
    }

    /// FN / (TP + FN): of the items the reference passed, the share the judge did not pass
    /// (a false failure). Equals 1 − recall. Undefined (`.emptyDenominator`) when the
    /// reference never gave the positive label.
    public var falseFailureRate: Estimate {
        .ratio(Double(falseNegatives), Double(truePositives + falseNegatives), else: .emptyDenominator)
    }

    /// TN / (TN + FP): of the items the reference did not pass, the share the judge did not
    /// pass either (how many true failures the judge catches). Undefined
    /// (`.emptyDenominator`) when the reference passed every compared item.
    public var specificity: Estimate {
        .ratio(Double(trueNegatives), Double(trueNegatives + falsePositives), else: .emptyDenominator)
    }
}

extension Ratings {
    /// The judge rater `judge` against the reference rater `reference` (for several humans,
    /// first add a consensus column with `addingConsensus(of:as:)`), `positive` the
    /// label counted as the positive class.
    /// - Throws: `StatsError.unknownRater`, or `StatsError.invalidParameter` when `positive`
    ///   is not on the scale.
    public func judgeReport(judge: String, reference: String, positive: String) throws -> JudgeReport {
        let referenceColumn = try raterIndex(of: reference)
        let judgeColumn = try raterIndex(of: judge)
        guard let p = scale.code(of: positive) else {
            throw StatsError.invalidParameter("positive label \"\(positive)\" is not on the scale")
        }
        let table = pairTable(referenceColumn, judgeColumn)
        let k = scale.count
        var tp = 0, fp = 0, fn = 0, tn = 0
        for r in 0..<k {
            for j in 0..<k {
                let count = table.count(row: r, column: j)
                switch (r == p, j == p) {
                case (true, true): tp += count
                case (false, true): fp += count
                case (true, false): fn += count
                case (false, false): tn += count
                }
            }
        }
        var referenceItems = 0
        for item in 0..<itemCount where codes[item * raterCount + referenceColumn] != Ratings.missing {
            referenceItems += 1
        }
        return JudgeReport(positive: positive, confusion: table, referenceItems: referenceItems,
                           truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn)
    }
}
