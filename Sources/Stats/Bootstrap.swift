// Percentile bootstrap confidence intervals over items, deterministic given a seed.

/// A statistic with its percentile bootstrap interval.
public struct BootstrapInterval: Sendable, Equatable {
    /// The statistic on the full data.
    public let estimate: Estimate
    /// Lower and upper percentile bounds over the defined replicates; undefined (with the
    /// full-data reason) when no replicate was defined.
    public let lower: Estimate
    public let upper: Estimate
    /// Nominal coverage, e.g. 0.95.
    public let confidence: Double
    /// Resamples drawn.
    public let replicates: Int
    /// Resamples on which the statistic was undefined; they are left out of the bounds.
    public let undefinedReplicates: Int
}

public enum Bootstrap {
    /// The percentile bootstrap (Efron & Tibshirani 1993, ch. 13) of `statistic`:
    /// `replicates` times, draw `itemCount` items with replacement (SplitMix64 seeded with
    /// `seed`, so the result is identical on every platform), recompute the statistic on
    /// the resample (rows in item order: `statistic` must not depend on row order), and
    /// take the (1−confidence)/2 and (1+confidence)/2 quantiles of the defined values,
    /// interpolated linearly between order statistics (numpy's default `percentile`).
    ///
    /// - Throws: `StatsError.invalidParameter` when `replicates < 1` or `confidence` is not
    ///   in (0, 1); rethrows errors of `statistic`.
    public static func percentileInterval(
        of ratings: Ratings, replicates: Int = 1000, confidence: Double = 0.95, seed: UInt64,
        statistic: (Ratings) throws -> Estimate
    ) throws -> BootstrapInterval {
        guard replicates >= 1 else { throw StatsError.invalidParameter("replicates must be at least 1") }
        guard confidence > 0, confidence < 1 else {
            throw StatsError.invalidParameter("confidence must be between 0 and 1")
        }
        let estimate = try statistic(ratings)
        var generator = SplitMix64(seed: seed)
        var values: [Double] = []
        values.reserveCapacity(replicates)
        let n = ratings.itemCount
        var multiplicity = [UInt32](repeating: 0, count: n)
        for _ in 0..<replicates {
            for slot in multiplicity.indices { multiplicity[slot] = 0 }
            for _ in 0..<n { multiplicity[generator.index(below: n)] += 1 }
            if let value = try statistic(ratings.resampled(multiplicity: multiplicity)).value {
                values.append(value)
            }
        }
        values.sort()
        let tail = (1 - confidence) / 2
        let none = Estimate.undefined(estimate.undefinedReason ?? .noPairedItems)
        return BootstrapInterval(
            estimate: estimate,
            lower: quantile(values, tail).map(Estimate.defined) ?? none,
            upper: quantile(values, 1 - tail).map(Estimate.defined) ?? none,
            confidence: confidence, replicates: replicates,
            undefinedReplicates: replicates - values.count)
    }

    /// The p-quantile of sorted values, linear between order statistics: h = (n − 1) p.
    static func quantile(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let h = Double(sorted.count - 1) * p
        let low = Int(h.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (h - Double(low)) * (sorted[high] - sorted[low])
    }
}
