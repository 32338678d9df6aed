// Spearman's ρ and Kendall's τ-b between two raters on a numeric (ordered) scale.
//
// Labels come from a finite ordered scale, so both coefficients are computed from the k×k
// table of the two raters' labels: O(n + k²) instead of sorting n pairs. Scale values are
// strictly increasing, so ranking by label position is ranking by value.

extension Ratings {
    /// Spearman's ρ (Spearman 1904) over the items both raters labelled, as
    /// `scipy.stats.spearmanr(x, y)` on the scale's values: Pearson's r of the two rank
    /// vectors, tied values taking their average rank.
    /// - Returns: undefined `.noPairedItems` when fewer than two items were rated by both,
    ///   `.singleCategory` when either rater gave one label only (a constant has no rank order).
    /// - Throws: `StatsError.unknownRater`.
    public func spearmanRho(between first: String, and second: String) throws -> Estimate {
        let table = try confusionMatrix(between: first, and: second)
        guard table.total >= 2 else { return .undefined(.noPairedItems) }
        let n = Double(table.total)
        let mean = (n + 1) / 2
        let rows = table.rowTotals, columns = table.columnTotals, k = table.labels.count
        let rowRanks = averageRanks(rows), columnRanks = averageRanks(columns)
        var covariance = 0.0, rowVariance = 0.0, columnVariance = 0.0
        for i in 0..<k {
            rowVariance += Double(rows[i]) * (rowRanks[i] - mean) * (rowRanks[i] - mean)
            columnVariance += Double(columns[i]) * (columnRanks[i] - mean) * (columnRanks[i] - mean)
            for j in 0..<k where table.count(row: i, column: j) > 0 {
                covariance += Double(table.count(row: i, column: j)) * (rowRanks[i] - mean) * (columnRanks[j] - mean)
            }
        }
        guard rowVariance > 0, columnVariance > 0 else { return .undefined(.singleCategory) }
        return .defined(max(-1, min(1, covariance / (rowVariance.squareRoot() * columnVariance.squareRoot()))))
    }

    /// Kendall's τ-b (Kendall 1945) over the items both raters labelled, as
    /// `scipy.stats.kendalltau(x, y)` (variant "b"):
    /// `τ_b = (P − Q) / √((n₀ − n₁)(n₀ − n₂))`, P and Q the concordant and discordant pairs,
    /// n₀ = n(n−1)/2, n₁ and n₂ the pairs tied on the first and on the second rater.
    /// - Returns: undefined `.noPairedItems` when fewer than two items were rated by both,
    ///   `.singleCategory` when either rater gave one label only.
    /// - Throws: `StatsError.unknownRater`.
    public func kendallTauB(between first: String, and second: String) throws -> Estimate {
        let table = try confusionMatrix(between: first, and: second)
        let k = table.labels.count
        let n = table.total
        guard n >= 2 else { return .undefined(.noPairedItems) }
        // atLeast[i][j]: items whose first label is ≥ i and second label ≥ j (row/column k empty).
        let side = k + 1
        var atLeast = [Int](repeating: 0, count: side * side)
        for i in stride(from: k - 1, through: 0, by: -1) {
            for j in stride(from: k - 1, through: 0, by: -1) {
                atLeast[i * side + j] = table.count(row: i, column: j) + atLeast[(i + 1) * side + j]
                    + atLeast[i * side + j + 1] - atLeast[(i + 1) * side + j + 1]
            }
        }
        var concordant = 0, discordant = 0
        for i in 0..<k {
            for j in 0..<k {
                let count = table.count(row: i, column: j)
                guard count > 0 else { continue }
                concordant += count * atLeast[(i + 1) * side + j + 1]
                discordant += count * (atLeast[(i + 1) * side] - atLeast[(i + 1) * side + j])
            }
        }
        let pairs = n * (n - 1) / 2
        let firstTies = table.rowTotals.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
        let secondTies = table.columnTotals.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
        guard firstTies < pairs, secondTies < pairs else { return .undefined(.singleCategory) }
        let tau = Double(concordant - discordant)
            / (Double(pairs - firstTies).squareRoot() * Double(pairs - secondTies).squareRoot())
        return .defined(max(-1, min(1, tau)))
    }

    /// Average 1-based ranks of each label given the label counts in scale order.
    private func averageRanks(_ counts: [Int]) -> [Double] {
        var before = 0
        return counts.map { count in
            defer { before += count }
            return Double(before) + Double(count + 1) / 2
        }
    }
}
