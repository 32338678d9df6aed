// Items × raters → label, with missing ratings: the input of every statistic.

/// One rater's label for one item. Ids are opaque: items are keyed by sample and
/// dimension upstream, never by text.
public struct Rating: Sendable, Hashable {
    public var item: String
    public var rater: String
    public var label: String

    public init(item: String, rater: String, label: String) {
        self.item = item
        self.rater = rater
        self.label = label
    }
}

/// A table of labels, items × raters, any cell may be missing.
///
/// Labels are stored as integer codes (their position in `scale`) in one flat row-major
/// array, so statistics run in one pass without per-item allocations.
public struct Ratings: Sendable {
    /// The labels every rating is drawn from, in order.
    public let scale: LabelScale
    /// Rater ids: the columns of the table.
    public let raterIDs: [String]
    /// The number of rows.
    public let itemCount: Int
    /// Row-major codes, `itemCount × raterIDs.count`; `Ratings.missing` marks no rating.
    let codes: [Int32]
    /// Ids of the source items; a resample refers to them through `rowSources`.
    private let sourceItemIDs: [String]
    /// For a bootstrap resample, the source item of each row; nil when rows are the items.
    private let rowSources: [Int]?

    static let missing: Int32 = -1

    /// Ratings gathered from `(item, rater, label)` triples.
    ///
    /// Items keep the order of first appearance. Raters are the columns `raters` when given
    /// (so a rater with no rating still has a column), else in order of first appearance.
    /// - Throws: `StatsError.unknownLabel` for a label not on `scale`,
    ///   `StatsError.duplicateRating` when a rater rated an item twice,
    ///   `StatsError.unknownRater` for a rater missing from `raters`,
    ///   `StatsError.duplicateRater` when `raters` repeats an id.
    public init(_ ratings: some Sequence<Rating>, scale: LabelScale, raters: [String]? = nil) throws {
        var raterIndex: [String: Int] = [:]
        var raterIDs: [String] = []
        for rater in raters ?? [] {
            guard raterIndex.updateValue(raterIDs.count, forKey: rater) == nil else {
                throw StatsError.duplicateRater(rater)
            }
            raterIDs.append(rater)
        }
        var itemIndex: [String: Int] = [:]
        var itemIDs: [String] = []
        var cells: [(item: Int, rater: Int, code: Int32)] = []
        cells.reserveCapacity(ratings.underestimatedCount)
        for rating in ratings {
            guard let code = scale.code(of: rating.label) else {
                throw StatsError.unknownLabel(rating.label, item: rating.item, rater: rating.rater)
            }
            let rater: Int
            if let known = raterIndex[rating.rater] {
                rater = known
            } else {
                guard raters == nil else { throw StatsError.unknownRater(rating.rater) }
                rater = raterIDs.count
                raterIndex[rating.rater] = rater
                raterIDs.append(rating.rater)
            }
            let item: Int
            if let known = itemIndex[rating.item] {
                item = known
            } else {
                item = itemIDs.count
                itemIndex[rating.item] = item
                itemIDs.append(rating.item)
            }
            cells.append((item, rater, Int32(code)))
        }
        var codes = [Int32](repeating: Ratings.missing, count: itemIDs.count * raterIDs.count)
        for cell in cells {
            let slot = cell.item * raterIDs.count + cell.rater
            guard codes[slot] == Ratings.missing else {
                throw StatsError.duplicateRating(item: itemIDs[cell.item], rater: raterIDs[cell.rater])
            }
            codes[slot] = cell.code
        }
        self.init(unchecked: scale, itemIDs: itemIDs, raterIDs: raterIDs, codes: codes)
    }

    /// Ratings from codes already assigned: `codes[item * raterIDs.count + rater]` is the
    /// label's position in `scale`, or −1 for no rating.
    /// - Throws: `StatsError.invalidCodes` when the shape does not match or a code is off
    ///   the scale; `StatsError.duplicateRater` / `.invalidParameter` for repeated ids.
    public init(scale: LabelScale, itemIDs: [String], raterIDs: [String], codes: [Int32]) throws {
        guard codes.count == itemIDs.count * raterIDs.count else {
            throw StatsError.invalidCodes(
                "\(codes.count) codes for \(itemIDs.count) items × \(raterIDs.count) raters")
        }
        let top = Int32(scale.count)
        guard codes.allSatisfy({ $0 >= Ratings.missing && $0 < top }) else {
            throw StatsError.invalidCodes("a code is outside −1..<\(scale.count)")
        }
        var seenRaters = Set<String>()
        for rater in raterIDs where !seenRaters.insert(rater).inserted {
            throw StatsError.duplicateRater(rater)
        }
        guard Set(itemIDs).count == itemIDs.count else {
            throw StatsError.invalidParameter("item ids must be unique")
        }
        self.init(unchecked: scale, itemIDs: itemIDs, raterIDs: raterIDs, codes: codes)
    }

    init(unchecked scale: LabelScale, itemIDs: [String], raterIDs: [String], codes: [Int32],
         rowSources: [Int]? = nil) {
        self.scale = scale
        self.sourceItemIDs = itemIDs
        self.rowSources = rowSources
        self.itemCount = rowSources?.count ?? itemIDs.count
        self.raterIDs = raterIDs
        self.codes = codes
    }

    /// Item ids, one per row, in the order items first appeared. A bootstrap resample
    /// repeats ids (and builds this array on each call: prefer `itemID(_:)` there).
    public var itemIDs: [String] {
        guard let rowSources else { return sourceItemIDs }
        return rowSources.map { sourceItemIDs[$0] }
    }

    /// The id of row `item`, nil when out of range.
    public func itemID(_ item: Int) -> String? {
        guard item >= 0, item < itemCount else { return nil }
        return sourceItemIDs[rowSources?[item] ?? item]
    }

    public var raterCount: Int { raterIDs.count }

    /// The column of `rater`.
    /// - Throws: `StatsError.unknownRater`.
    public func raterIndex(of rater: String) throws -> Int {
        guard let index = raterIDs.firstIndex(of: rater) else { throw StatsError.unknownRater(rater) }
        return index
    }

    /// The label code at (item, rater) positions, nil when missing or out of range.
    public func code(item: Int, rater: Int) -> Int? {
        guard item >= 0, item < itemCount, raterIDs.indices.contains(rater) else { return nil }
        let code = codes[item * raterIDs.count + rater]
        return code == Ratings.missing ? nil : Int(code)
    }

    /// The label at (item, rater) positions, nil when missing or out of range.
    public func label(item: Int, rater: Int) -> String? {
        code(item: item, rater: rater).map { scale.labels[$0] }
    }

    /// How many ratings carry each label, in scale order (prevalence = count / total).
    public func labelCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: scale.count)
        for code in codes where code != Ratings.missing { counts[Int(code)] += 1 }
        return counts
    }

    /// The number of items with at least `minimum` ratings.
    public func itemCount(withAtLeast minimum: Int) -> Int {
        let width = raterIDs.count
        guard width > 0 else { return minimum <= 0 ? itemCount : 0 }
        var total = 0
        for item in 0..<itemCount {
            var present = 0
            for slot in item * width..<(item + 1) * width where codes[slot] != Ratings.missing { present += 1 }
            if present >= minimum { total += 1 }
        }
        return total
    }

    /// The same items with only the columns of `raters`, in that order.
    /// - Throws: `StatsError.unknownRater`, `StatsError.duplicateRater`.
    public func selecting(raters: [String]) throws -> Ratings {
        var seen = Set<String>()
        for rater in raters where !seen.insert(rater).inserted { throw StatsError.duplicateRater(rater) }
        let columns = try raters.map { try raterIndex(of: $0) }
        let width = raterIDs.count
        var selected = [Int32]()
        selected.reserveCapacity(itemCount * columns.count)
        for item in 0..<itemCount {
            for column in columns { selected.append(codes[item * width + column]) }
        }
        return withColumns(raters, codes: selected)
    }

    /// A bootstrap resample: row i repeated `multiplicity[i]` times, rows kept in order
    /// (every statistic here is a sum over items, so row order does not matter, and the
    /// sequential copy is several times faster than gathering rows at random).
    /// Item ids are not copied, only referred to.
    func resampled(multiplicity: [UInt32]) -> Ratings {
        let width = raterIDs.count
        let rowCount = multiplicity.reduce(0) { $0 + Int($1) }
        var sources = [Int](repeating: 0, count: rowCount)
        var rows = [Int32](repeating: Ratings.missing, count: rowCount * width)
        codes.withUnsafeBufferPointer { codes in
            sources.withUnsafeMutableBufferPointer { sources in
                rows.withUnsafeMutableBufferPointer { rows in
                    var row = 0
                    for (item, count) in multiplicity.enumerated() where count > 0 {
                        let source = codes[item * width..<(item + 1) * width]
                        for _ in 0..<count {
                            sources[row] = rowSources?[item] ?? item
                            for (column, code) in source.enumerated() { rows[row * width + column] = code }
                            row += 1
                        }
                    }
                }
            }
        }
        return Ratings(unchecked: scale, itemIDs: sourceItemIDs, raterIDs: raterIDs, codes: rows,
                       rowSources: sources)
    }

    /// The same rows (and item ids) with other columns.
    func withColumns(_ raterIDs: [String], codes: [Int32]) -> Ratings {
        Ratings(unchecked: scale, itemIDs: sourceItemIDs, raterIDs: raterIDs, codes: codes,
                rowSources: rowSources)
    }

    /// Calls `body` with the flat code array (row-major, −1 missing).
    func withCodes<R>(_ body: (UnsafeBufferPointer<Int32>) throws -> R) rethrows -> R {
        try codes.withUnsafeBufferPointer(body)
    }
}
