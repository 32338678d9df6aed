// One pass over the table, grouped by how many ratings an item has.
//
// Every multi-rater statistic here (percent agreement, Fleiss' κ, Gwet's AC1,
// Krippendorff's α) is a sum over items of terms that depend only on the item's number of
// ratings m and on which categories its rating pairs fall in. Tallying integers per m in
// one pass keeps the hot loop allocation-free and exact; the few divisions by m happen
// afterwards, over at most raterCount groups.

struct Tallies {
    let categories: Int
    let maxRatings: Int
    /// `items[m]`: items with exactly m ratings, m in 0...maxRatings.
    var items: [Int]
    /// `values[m * categories + k]`: ratings of category k on items with m ratings.
    var values: [Int]
    /// `pairs[(m * categories + a) * categories + b]`: ordered pairs of two different
    /// ratings of one item with m ratings, the first in category a, the second in b.
    var pairs: [Int]

    init(_ ratings: Ratings) {
        let k = ratings.scale.count
        let width = ratings.raterCount
        categories = k
        maxRatings = width
        var items = [Int](repeating: 0, count: width + 1)
        var values = [Int](repeating: 0, count: (width + 1) * k)
        var pairs = [Int](repeating: 0, count: (width + 1) * k * k)
        ratings.withCodes { codes in
            items.withUnsafeMutableBufferPointer { items in
            values.withUnsafeMutableBufferPointer { values in
            pairs.withUnsafeMutableBufferPointer { pairs in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: max(width, 1)) { present in
                for row in 0..<ratings.itemCount {
                    var m = 0
                    for code in codes[row * width..<(row + 1) * width] where code != Ratings.missing {
                        present[m] = Int(code)
                        m += 1
                    }
                    items[m] += 1
                    guard m > 0 else { continue }
                    let valueBase = m * k
                    for i in 0..<m { values[valueBase + present[i]] += 1 }
                    guard m > 1 else { continue }
                    let pairBase = m * k * k
                    for i in 0..<m {
                        let rowBase = pairBase + present[i] * k
                        for j in 0..<m where j != i { pairs[rowBase + present[j]] += 1 }
                    }
                }
            }
            }
            }
            }
        }
        self.items = items
        self.values = values
        self.pairs = pairs
    }

    /// Items with at least one rating.
    var ratedItems: Int { items.dropFirst().reduce(0, +) }

    /// Items with at least two ratings.
    var pairableItems: Int { items.dropFirst(2).reduce(0, +) }

    /// Ordered pairs of equal ratings on items with m ratings: Σ_i Σ_k n_ik (n_ik − 1).
    func agreeingPairs(ratings m: Int) -> Int {
        (0..<categories).reduce(0) { $0 + pairs[(m * categories + $1) * categories + $1] }
    }

    /// Krippendorff's coincidence matrix, row-major k×k: o_ab = Σ_m pairs_m[a][b] / (m − 1).
    func coincidences() -> [Double] {
        var o = [Double](repeating: 0, count: categories * categories)
        guard maxRatings >= 2 else { return o }
        for m in 2...maxRatings where items[m] > 0 {
            let base = m * categories * categories
            let pairable = Double(m - 1)
            for cell in 0..<(categories * categories) {
                o[cell] += Double(pairs[base + cell]) / pairable
            }
        }
        return o
    }
}
