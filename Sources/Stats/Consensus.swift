// One label per item from several raters: the reference a judge is compared with.

/// How several ratings of one item become one label.
public enum ConsensusRule: Sendable, Equatable {
    /// The label given by more than half of the item's ratings (missing ratings don't count).
    case majority
    /// The label given most often, when no other label is given as often.
    case plurality
}

extension Ratings {
    /// These ratings plus a column `id` holding, per item, the consensus of `raters`
    /// under `rule`; the cell is missing when the item has no such label (no ratings, or a tie).
    /// - Throws: `StatsError.unknownRater` for an unknown rater, `StatsError.duplicateRater`
    ///   when `id` is already a column.
    public func addingConsensus(of raters: [String], as id: String,
                                rule: ConsensusRule = .majority) throws -> Ratings {
        guard !raterIDs.contains(id) else { throw StatsError.duplicateRater(id) }
        let columns = try raters.map { try raterIndex(of: $0) }
        let width = raterCount
        var counts = [Int](repeating: 0, count: scale.count)
        var merged = [Int32]()
        merged.reserveCapacity(itemCount * (width + 1))
        for item in 0..<itemCount {
            let row = item * width
            var present = 0
            for column in columns where codes[row + column] != Ratings.missing {
                counts[Int(codes[row + column])] += 1
                present += 1
            }
            var best = Ratings.missing
            var bestCount = 0
            var tied = false
            for column in columns where codes[row + column] != Ratings.missing {
                let code = codes[row + column]
                let count = counts[Int(code)]
                if count > bestCount {
                    best = code; bestCount = count; tied = false
                } else if count == bestCount && code != best {
                    tied = true
                }
            }
            for column in columns where codes[row + column] != Ratings.missing {
                counts[Int(codes[row + column])] = 0
            }
            let accepted: Bool
            switch rule {
            case .majority: accepted = 2 * bestCount > present
            case .plurality: accepted = bestCount > 0 && !tied
            }
            merged.append(contentsOf: codes[row..<row + width])
            merged.append(accepted ? best : Ratings.missing)
        }
        return withColumns(raterIDs + [id], codes: merged)
    }
}
