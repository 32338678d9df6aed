// Krippendorff's α from the coincidence matrix, built in one pass.

/// Level of measurement for Krippendorff's α: which distance δ² separates two labels.
public enum MeasurementLevel: String, Sendable, Equatable, CaseIterable {
    /// δ²_ck = 0 if c = k, else 1.
    case nominal
    /// δ²_ck = (Σ_{g between c and k} n_g − (n_c + n_k)/2)², n_g the pairable values of
    /// label g, over the scale order (unused labels have n_g = 0).
    case ordinal
    /// δ²_ck = (v_c − v_k)², v the scale's numeric values.
    case interval
}

extension Ratings {
    /// Krippendorff's α (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"),
    /// as the `krippendorff` Python package's
    /// `alpha(reliability_data, value_domain=scale, level_of_measurement=level)`.
    ///
    /// Missing ratings are allowed; items with fewer than two ratings contribute nothing.
    /// `o_ck = Σ_u (number of c–k pairs in unit u) / (m_u − 1)` (pairs of different raters),
    /// `n_c = Σ_k o_ck`, `n = Σ_c n_c`,
    /// `α = 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck`.
    /// - Returns: undefined `.noPairedItems` when no item has two ratings,
    ///   `.singleCategory` when the expected disagreement is 0 (all pairable values share
    ///   one label, or the scale has fewer than two labels).
    public func krippendorffsAlpha(_ level: MeasurementLevel = .nominal) -> Estimate {
        let tallies = Tallies(self)
        guard tallies.pairableItems > 0 else { return .undefined(.noPairedItems) }
        let k = tallies.categories
        let o = tallies.coincidences()
        var marginals = [Double](repeating: 0, count: k)
        for c in 0..<k { for j in 0..<k { marginals[c] += o[c * k + j] } }
        let n = marginals.reduce(0, +)
        let delta = distances(level, marginals: marginals)
        var observed = 0.0, expected = 0.0
        for c in 0..<k {
            for j in 0..<k where c != j {
                observed += o[c * k + j] * delta[c * k + j]
                expected += marginals[c] * marginals[j] * delta[c * k + j]
            }
        }
        expected /= n - 1
        guard expected != 0 else { return .undefined(.singleCategory) }
        return .defined(1 - observed / expected)
    }

    /// δ² for every pair of labels, row-major k×k.
    private func distances(_ level: MeasurementLevel, marginals: [Double]) -> [Double] {
        let k = scale.count
        var delta = [Double](repeating: 0, count: k * k)
        for c in 0..<k {
            for j in 0..<k where c != j {
                switch level {
                case .nominal:
                    delta[c * k + j] = 1
                case .ordinal:
                    let between = marginals[min(c, j)...max(c, j)].reduce(0, +)
                    let d = between - (marginals[c] + marginals[j]) / 2
                    delta[c * k + j] = d * d
                case .interval:
                    let d = scale.values[c] - scale.values[j]
                    delta[c * k + j] = d * d
                }
            }
        }
        return delta
    }
}
