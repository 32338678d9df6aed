// Agreement between two raters: percent agreement, Cohen's κ (weighted or not), Scott's π.

/// Disagreement weights for Cohen's κ over the scale's label positions i, j.
public enum KappaWeighting: Sendable, Equatable {
    /// w_ij = 0 when i = j, else 1 (plain κ).
    case unweighted
    /// w_ij = |i − j|.
    case linear
    /// w_ij = (i − j)².
    case quadratic

    func weight(_ i: Int, _ j: Int) -> Double {
        switch self {
        case .unweighted: return i == j ? 0 : 1
        case .linear: return Double(abs(i - j))
        case .quadratic: return Double((i - j) * (i - j))
        }
    }
}

extension Ratings {
    /// The share of items rated by both `first` and `second` on which their labels match:
    /// `p_o = Σ_k n_kk / n`.
    /// - Returns: undefined `.noPairedItems` when no item was rated by both.
    /// - Throws: `StatsError.unknownRater`.
    public func percentAgreement(between first: String, and second: String) throws -> Estimate {
        let table = try confusionMatrix(between: first, and: second)
        return .ratio(Double(table.agreements), Double(table.total), else: .noPairedItems)
    }

    /// Cohen's κ (Cohen 1960; weighted: Cohen 1968) over the items both raters labelled,
    /// as scikit-learn's `cohen_kappa_score(y1, y2, labels=scale.labels, weights=…)`:
    /// `κ = 1 − Σ_ij w_ij o_ij / Σ_ij w_ij e_ij`, o the observed table,
    /// `e_ij = r_i c_j / n` from its margins, w from `weighting` over label positions
    /// (so weighted κ depends on the full label order, unused labels included).
    /// - Returns: undefined `.noPairedItems` when no item was rated by both,
    ///   `.singleCategory` when Σ w·e = 0 (both raters used one and the same label).
    /// - Throws: `StatsError.unknownRater`.
    public func cohensKappa(between first: String, and second: String,
                            weighting: KappaWeighting = .unweighted) throws -> Estimate {
        let table = try confusionMatrix(between: first, and: second)
        let n = Double(table.total)
        guard n > 0 else { return .undefined(.noPairedItems) }
        let rows = table.rowTotals, columns = table.columnTotals, k = table.labels.count
        var observed = 0.0, expected = 0.0
        for i in 0..<k {
            for j in 0..<k {
                let w = weighting.weight(i, j)
                observed += w * Double(table.count(row: i, column: j))
                expected += w * Double(rows[i]) * Double(columns[j]) / n
            }
        }
        guard expected != 0 else { return .undefined(.singleCategory) }
        return .defined(1 - observed / expected)
    }

    /// Scott's π (Scott 1955) over the items both raters labelled:
    /// `π = (p_o − p_e) / (1 − p_e)`, `p_e = Σ_k ((r_k + c_k) / 2n)²` from the pooled
    /// label shares. Equals Fleiss' κ with two ratings per item (statsmodels `fleiss_kappa`).
    /// - Returns: undefined `.noPairedItems` when no item was rated by both,
    ///   `.singleCategory` when p_e = 1 (every label is the same).
    /// - Throws: `StatsError.unknownRater`.
    public func scottsPi(between first: String, and second: String) throws -> Estimate {
        let table = try confusionMatrix(between: first, and: second)
        let n = Double(table.total)
        guard n > 0 else { return .undefined(.noPairedItems) }
        let rows = table.rowTotals, columns = table.columnTotals
        let observed = Double(table.agreements) / n
        var expected = 0.0
        for k in 0..<table.labels.count {
            let share = Double(rows[k] + columns[k]) / (2 * n)
            expected += share * share
        }
        return .ratio(observed - expected, 1 - expected, else: .singleCategory)
    }
}
