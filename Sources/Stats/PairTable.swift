// Two raters' labels on the items both rated: the k×k table behind every pairwise statistic.

/// Counts of (first label, second label) over the items both raters labelled,
/// in scale order. For a judge, rows are the reference and columns the judge
/// (scikit-learn's `confusion_matrix(y_true, y_pred, labels=scale)` layout).
public struct ConfusionMatrix: Sendable, Equatable {
    /// Row and column labels, in scale order (unused labels included).
    public let labels: [String]
    /// Row-major counts, `labels.count × labels.count`.
    public let counts: [Int]

    /// The number of items labelled `row` by the first rater and `column` by the second.
    public func count(row: Int, column: Int) -> Int { counts[row * labels.count + column] }

    /// The counts as rows.
    public var rows: [[Int]] {
        let k = labels.count
        return (0..<k).map { Array(counts[$0 * k..<($0 + 1) * k]) }
    }

    /// Items counted in the table.
    public var total: Int { counts.reduce(0, +) }

    /// Row totals (first rater's label counts).
    var rowTotals: [Int] { rows.map { $0.reduce(0, +) } }

    /// Column totals (second rater's label counts).
    var columnTotals: [Int] {
        let k = labels.count
        return (0..<k).map { column in (0..<k).reduce(0) { $0 + counts[$1 * k + column] } }
    }

    /// Sum of the diagonal: items on which both gave the same label.
    var agreements: Int { (0..<labels.count).reduce(0) { $0 + counts[$1 * labels.count + $1] } }
}

extension Ratings {
    /// The table of `first`'s label (rows) against `second`'s (columns) over the items
    /// both labelled.
    /// - Throws: `StatsError.unknownRater`.
    public func confusionMatrix(between first: String, and second: String) throws -> ConfusionMatrix {
        pairTable(try raterIndex(of: first), try raterIndex(of: second))
    }

    func pairTable(_ first: Int, _ second: Int) -> ConfusionMatrix {
        let k = scale.count
        let width = raterCount
        var counts = [Int](repeating: 0, count: k * k)
        withCodes { codes in
            counts.withUnsafeMutableBufferPointer { counts in
                for row in 0..<itemCount {
                    let a = codes[row * width + first]
                    let b = codes[row * width + second]
                    if a != Ratings.missing && b != Ratings.missing { counts[Int(a) * k + Int(b)] += 1 }
                }
            }
        }
        return ConfusionMatrix(labels: scale.labels, counts: counts)
    }
}
