// Agreement among any number of raters: percent agreement, Fleiss' κ, Gwet's AC1.

extension Ratings {
    /// Pairwise percent agreement: the mean, over items with at least two ratings, of the
    /// share of the item's rater pairs that gave the same label,
    /// `p_a = (1/n₂) Σ_i Σ_k n_ik (n_ik − 1) / (m_i (m_i − 1))`,
    /// where n_ik counts item i's ratings in category k and m_i its ratings.
    /// With two raters this is the share of co-rated items on which they agree.
    /// Same as `pa` of irrCAC's `gwet()` and Fleiss' P̄ (Fleiss 1971; Gwet 2014, ch. 2).
    ///
    /// - Returns: undefined (`.noPairedItems`) when no item has two ratings.
    public func percentAgreement() -> Estimate {
        let tallies = Tallies(self)
        return tallies.percentAgreement()
    }

    /// Fleiss' κ (Fleiss 1971), as statsmodels' `fleiss_kappa(table, method="fleiss")`:
    /// `κ = (P̄ − P_e) / (1 − P_e)` with P̄ the percent agreement above,
    /// `p_k = Σ_i n_ik / (N m)` and `P_e = Σ_k p_k²`.
    ///
    /// Fleiss' κ assumes every item has the same number m of ratings (the raters may
    /// differ between items). Items with no rating are ignored; if the rated items do not
    /// all carry the same m, κ is refused rather than silently computed on a subset.
    /// - Returns: undefined `.unequalRatingCounts` when rated items differ in m,
    ///   `.noPairedItems` when m < 2 or nothing is rated, `.singleCategory` when P_e = 1.
    public func fleissKappa() -> Estimate {
        let tallies = Tallies(self)
        let counts = tallies.items.indices.dropFirst().filter { tallies.items[$0] > 0 }
        guard counts.count <= 1 else { return .undefined(.unequalRatingCounts) }
        guard let m = counts.first, m >= 2 else { return .undefined(.noPairedItems) }
        let n = Double(tallies.items[m])
        let k = tallies.categories
        let observed = Double(tallies.agreeingPairs(ratings: m)) / (Double(m * (m - 1)) * n)
        var expected = 0.0
        for category in 0..<k {
            let share = Double(tallies.values[m * k + category]) / (n * Double(m))
            expected += share * share
        }
        return .ratio(observed - expected, 1 - expected, else: .singleCategory)
    }

    /// Gwet's AC1 for nominal labels (Gwet 2008), as irrCAC's `CAC(…, categories=scale).gwet()`
    /// with identity weights, missing ratings allowed:
    /// `AC1 = (p_a − p_e) / (1 − p_e)`, p_a the percent agreement above,
    /// `π_k = (1/n) Σ_i n_ik / m_i` over the n items with at least one rating, and
    /// `p_e = Σ_k π_k (1 − π_k) / (q − 1)` with q the number of labels on the scale
    /// (unused labels count). Unlike κ, AC1 stays defined when one class dominates.
    /// - Returns: undefined `.noPairedItems` when no item has two ratings,
    ///   `.singleCategory` when the scale has fewer than two labels.
    public func gwetsAC1() -> Estimate {
        let tallies = Tallies(self)
        let q = tallies.categories
        guard q >= 2 else { return .undefined(.singleCategory) }
        guard case .defined(let agreement) = tallies.percentAgreement() else {
            return .undefined(.noPairedItems)
        }
        let n = Double(tallies.ratedItems)
        var chance = 0.0
        for category in 0..<q {
            var share = 0.0
            for m in 1...tallies.maxRatings where tallies.items[m] > 0 {
                share += Double(tallies.values[m * q + category]) / Double(m)
            }
            share /= n
            chance += share * (1 - share)
        }
        chance /= Double(q - 1)
        return .ratio(agreement - chance, 1 - chance, else: .singleCategory)
    }
}

extension Tallies {
    func percentAgreement() -> Estimate {
        let pairable = pairableItems
        guard pairable > 0 else { return .undefined(.noPairedItems) }
        var sum = 0.0
        for m in 2...maxRatings where items[m] > 0 {
            sum += Double(agreeingPairs(ratings: m)) / Double(m * (m - 1))
        }
        return .defined(sum / Double(pairable))
    }
}
