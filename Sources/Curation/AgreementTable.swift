// One dimension (or "every dimension passes") as items × raters for the Stats module:
// annotators, the consensus, each annotator's leave-one-out consensus, judges.
import Stats

/// What a dimension is, without its data.
struct DimensionInfo {
    let name: String
    let isAll: Bool
    /// Label names in rubric order; the tables hold their positions.
    let labels: [String]
    let passes: [Bool]
    let annotators: [String]
    let judges: [JudgeVersionInfo]
    /// Per judge: verdict rows and failed verdicts (nil where a failure is not one dimension's).
    let judgeCounts: [(verdicts: Int, failed: Int?)]

    /// Column layout: annotators, the consensus, leave-one-out consensus per annotator, judges.
    var width: Int { 2 * annotators.count + 1 + judges.count }
    var consensusColumn: Int { annotators.count }
    func looColumn(_ i: Int) -> Int { annotators.count + 1 + i }
    func judgeColumn(_ j: Int) -> Int { 2 * annotators.count + 1 + j }
    static func localIDs(annotators: Int, judges: Int) -> [String] {
        (0..<annotators).map { "a\($0)" } + ["c"] + (0..<annotators).map { "l\($0)" } + (0..<judges).map { "j\($0)" }
    }

    /// The positional scale the tables use: "0", "1", … (statistics depend only on positions
    /// and the number of labels, so dimensions with as many labels can share one table).
    static func scale(_ count: Int) -> LabelScale {
        (try? LabelScale((0..<count).map(String.init))) ?? { preconditionFailure("positions are distinct") }()
    }
}

/// A dimension's columns for every task row, before any table is built.
struct PreparedDimension {
    let info: DimensionInfo
    /// Per annotator, per judge: label positions, −1 none.
    let annotatorCodes: [[Int32]]
    let judgeCodes: [[Int32]]
    /// The consensus per row, where it came from (`HumanConsensus.Source` position, −1 none
    /// or derived), and per annotator the consensus of the others (only where they labelled).
    private(set) var consensus: [Int32]
    private(set) var sources: [Int8]
    private(set) var leaveOneOut: [[Int32]]
    /// The latest human decision per row (seconds since 1970).
    let times: [Double]
    /// Per row: whether a human labelled it (an annotator, or an adjudication that made a consensus).
    private(set) var human: [Bool]
    var humanCount: Int { human.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// Items per consensus label, and labels per annotator, over every row.
    var counts: TableCounts {
        var consensusCounts = [Int](repeating: 0, count: info.labels.count)
        for c in consensus where c >= 0 && Int(c) < consensusCounts.count { consensusCounts[Int(c)] += 1 }
        return TableCounts(consensus: consensusCounts,
                           annotatorLabels: annotatorCodes.map { $0.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } })
    }

    /// Columns whose consensus is voted per row by `rule` (an adjudication, −1 none, decides
    /// if the rule says so).
    init(info: DimensionInfo, annotatorCodes: [[Int32]], judgeCodes: [[Int32]], adjudication: [Int32],
         times: [Double], rule: HumanConsensus) {
        self.info = info; self.annotatorCodes = annotatorCodes; self.judgeCodes = judgeCodes; self.times = times
        let n = times.count, a = annotatorCodes.count, k = max(info.labels.count, 1)
        var consensus = [Int32](repeating: -1, count: n)
        var sources = [Int8](repeating: -1, count: n)
        // Votes row by row (row-major, copied column by column) and the leave-one-out
        // results the same way, so the per-row loop touches contiguous memory only.
        var votes = [Int32](repeating: -1, count: n * a)
        for (i, column) in annotatorCodes.enumerated() {
            for (row, code) in column.enumerated() where code >= 0 && Int(code) < k { votes[row * a + i] = code }
        }
        var loo = [Int32](repeating: -1, count: n * a)
        let sourceCodes = HumanConsensus.Source.allCases
        var counts = [Int](repeating: 0, count: k)
        votes.withUnsafeBufferPointer { votes in
        loo.withUnsafeMutableBufferPointer { loo in
        counts.withUnsafeMutableBufferPointer { counts in
        adjudication.withUnsafeBufferPointer { adjudication in
            let view = UnsafeBufferPointer(counts)
            for row in 0..<n {
                let base = row * a
                var present = 0
                for i in 0..<a where votes[base + i] >= 0 { counts[Int(votes[base + i])] += 1; present += 1 }
                let adjudicated = Int(adjudication[row])
                guard present > 0 || adjudicated >= 0 else { continue }
                if let o = rule.outcome(counts: view, annotators: present, adjudication: adjudicated) {
                    consensus[row] = Int32(o.label)
                    sources[row] = Int8(sourceCodes.firstIndex(of: o.source) ?? -1)
                }
                for i in 0..<a where votes[base + i] >= 0 {
                    // The others' consensus: the same counts without this annotator's vote.
                    let v = Int(votes[base + i])
                    counts[v] -= 1
                    loo[base + i] = rule.outcome(counts: view, annotators: present - 1, adjudication: adjudicated)
                        .map { Int32($0.label) } ?? -1
                    counts[v] += 1
                }
                for i in 0..<a where votes[base + i] >= 0 { counts[Int(votes[base + i])] = 0 }
            }
        }
        }
        }
        }
        let leaveOneOut = (0..<a).map { i in (0..<n).map { loo[$0 * a + i] } }
        self.consensus = consensus
        self.sources = sources
        self.leaveOneOut = leaveOneOut
        human = Self.humanRows(annotatorCodes, consensus)
    }

    /// Columns whose consensus is given ("every dimension passes").
    init(info: DimensionInfo, annotatorCodes: [[Int32]], judgeCodes: [[Int32]], consensus: [Int32],
         leaveOneOut: [[Int32]], times: [Double]) {
        self.info = info; self.annotatorCodes = annotatorCodes; self.judgeCodes = judgeCodes; self.times = times
        self.consensus = consensus
        sources = [Int8](repeating: -1, count: consensus.count)
        self.leaveOneOut = leaveOneOut.indices.map { i in
            zip(leaveOneOut[i], annotatorCodes[i]).map { $1 >= 0 ? $0 : -1 }
        }
        human = Self.humanRows(annotatorCodes, consensus)
    }

    private static func humanRows(_ annotators: [[Int32]], _ consensus: [Int32]) -> [Bool] {
        var human = consensus.map { $0 >= 0 }
        for column in annotators {
            for (r, code) in column.enumerated() where code >= 0 { human[r] = true }
        }
        return human
    }

    /// The columns in table order.
    var columns: [[Int32]] { annotatorCodes + [consensus] + leaveOneOut + judgeCodes }

    /// The same dimension on the pass/fail scale (consensus voted again on pass/fail).
    func passFail(adjudication: [Int32], rule: HumanConsensus) -> PreparedDimension {
        let map = info.passes.map { Int32($0 ? 0 : 1) }
        let mapped = { (column: [Int32]) in column.map { $0 < 0 ? Int32(-1) : map[Int($0)] } }
        let info = DimensionInfo(name: self.info.name, isAll: self.info.isAll, labels: ["pass", "fail"],
                                 passes: [true, false], annotators: self.info.annotators, judges: self.info.judges,
                                 judgeCounts: self.info.judgeCounts)
        return PreparedDimension(info: info, annotatorCodes: annotatorCodes.map(mapped), judgeCodes: judgeCodes.map(mapped),
                                 adjudication: mapped(adjudication), times: times, rule: rule)
    }
}

/// Counts a table would otherwise scan for.
struct TableCounts {
    var consensus: [Int]
    var annotatorLabels: [Int]
}

/// A dimension's table for the Stats module: some task rows, the dimension's columns.
/// Column ids are positional ("a0", "c", "l0", "j0", with a prefix when the table was cut
/// from one shared with other dimensions), so no annotator's name can collide with another.
struct DimensionTable {
    let info: DimensionInfo
    /// The table; its columns for this dimension start at `columnOffset` (a table shared by
    /// several dimensions holds theirs side by side).
    let ratings: Ratings
    let prefix: String
    let columnOffset: Int
    /// Per table row: its task row, consensus source, latest human time, and whether a human labelled it.
    let taskRows: [Int32]
    let sources: [Int8]
    let times: [Double]
    let human: [Bool]
    /// Counts known from the columns the table was built from (nil for a table cut to some rows).
    var counts: TableCounts? = nil

    var rowCount: Int { taskRows.count }
    func id(_ local: String) -> String { prefix + local }
    var annotatorIDs: [String] { info.annotators.indices.map { id("a\($0)") } }
    var consensusID: String { id("c") }
    func looID(_ i: Int) -> String { id("l\(i)") }
    func judgeID(_ j: Int) -> String { id("j\(j)") }

    /// The code in (row, column) of this dimension's columns, −1 for none.
    func code(_ row: Int, _ column: Int) -> Int32 {
        ratings.code(item: row, rater: columnOffset + column).map(Int32.init) ?? -1
    }

    /// This dimension's columns alone (a copy, so that statistics scan narrow rows).
    func compact() throws -> DimensionTable {
        guard ratings.raterCount != info.width else { return self }
        let ids = DimensionInfo.localIDs(annotators: info.annotators.count, judges: info.judges.count).map(id)
        return DimensionTable(info: info, ratings: try ratings.selecting(raters: ids), prefix: prefix, columnOffset: 0,
                              taskRows: taskRows, sources: sources, times: times, human: human, counts: counts)
    }

    /// Tables over the task rows where a human labelled, one per dimension. Dimensions are
    /// grouped by label count, and each group shares one table built over the union of its
    /// rows (building a `Ratings` hashes every item id; `compact()` cuts a dimension out
    /// without that). With `ownRows`, a dimension gets a table of its own rows instead (what
    /// a bootstrap needs: it resamples every row of the table).
    static func tables(_ dimensions: [PreparedDimension], ownRows: (PreparedDimension) -> Bool,
                       names: ItemNames) throws -> [DimensionTable] {
        var tables = [DimensionTable?](repeating: nil, count: dimensions.count)
        var groups: [Int: [Int]] = [:]
        for (k, d) in dimensions.enumerated() {
            if ownRows(d) {
                tables[k] = try table(of: [d], prefixes: [""], names: names)[0]
            } else {
                groups[d.info.labels.count, default: []].append(k)
            }
        }
        for members in groups.values {
            let cut = try table(of: members.map { dimensions[$0] }, prefixes: members.map { "d\($0)." }, names: names)
            for (k, t) in zip(members, cut) { tables[k] = t }
        }
        return tables.compactMap { $0 }
    }

    /// One shared table over the union of the dimensions' human rows, cut per dimension.
    private static func table(of dimensions: [PreparedDimension], prefixes: [String],
                              names: ItemNames) throws -> [DimensionTable] {
        guard let first = dimensions.first else { return [] }
        let n = first.times.count
        var any = [Bool](repeating: false, count: n)
        for d in dimensions { for (r, h) in d.human.enumerated() where h { any[r] = true } }
        let rows = (0..<n).filter { any[$0] }
        let taskRows = rows.map(Int32.init)
        // Column by column into the row-major table, a block of rows at a time so that the
        // block being written stays in cache.
        let w = dimensions.reduce(0) { $0 + $1.info.width }
        var codes = [Int32](repeating: -1, count: rows.count * w)
        let columns = dimensions.flatMap(\.columns)
        let block = 2048
        codes.withUnsafeMutableBufferPointer { codes in
            rows.withUnsafeBufferPointer { rows in
                for start in stride(from: 0, to: rows.count, by: block) {
                    let end = min(start + block, rows.count)
                    for (offset, column) in columns.enumerated() {
                        column.withUnsafeBufferPointer { column in
                            for i in start..<end { codes[i * w + offset] = column[rows[i]] }
                        }
                    }
                }
            }
        }
        var ids: [String] = []
        for (d, prefix) in zip(dimensions, prefixes) {
            ids += DimensionInfo.localIDs(annotators: d.info.annotators.count, judges: d.info.judges.count).map { prefix + $0 }
        }
        let shared = try Ratings(scale: DimensionInfo.scale(first.info.labels.count), itemIDs: names.names(for: taskRows),
                                 raterIDs: ids, codes: codes)
        codes = []
        var offset = 0
        return zip(dimensions, prefixes).map { d, prefix in
            defer { offset += d.info.width }
            // Usually every row is in the table: then the columns are the table's as they are.
            let all = rows.count == n
            return DimensionTable(info: d.info, ratings: shared, prefix: prefix, columnOffset: offset, taskRows: taskRows,
                                  sources: all ? d.sources : rows.map { d.sources[$0] },
                                  times: all ? d.times : rows.map { d.times[$0] },
                                  human: all ? d.human : rows.map { d.human[$0] }, counts: d.counts)
        }
    }

    /// The same columns over the table rows whose task row is in `keep` (indexed by task row).
    func restricted(to keep: [Bool]) throws -> DimensionTable {
        let rows = (0..<rowCount).filter { keep[Int(taskRows[$0])] }
        let w = info.width
        var codes: [Int32] = []
        codes.reserveCapacity(rows.count * w)
        for row in rows { for column in 0..<w { codes.append(code(row, column)) } }
        let ids = DimensionInfo.localIDs(annotators: info.annotators.count, judges: info.judges.count).map(id)
        let ratings = try Ratings(scale: self.ratings.scale, itemIDs: rows.map { String(taskRows[$0]) },
                                  raterIDs: ids, codes: codes)
        return DimensionTable(info: info, ratings: ratings, prefix: prefix, columnOffset: 0, taskRows: rows.map { taskRows[$0] },
                              sources: rows.map { sources[$0] }, times: rows.map { times[$0] }, human: rows.map { human[$0] })
    }
}

/// Item names for task rows, remembered for the next table over the same rows.
final class ItemNames {
    private var rows: [Int32] = []
    private var cached: [String] = []

    func names(for rows: [Int32]) -> [String] {
        if rows != self.rows || cached.count != rows.count {
            self.rows = rows
            cached = rows.map { String($0) }
        }
        return cached
    }
}
