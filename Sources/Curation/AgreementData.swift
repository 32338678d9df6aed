// The store's current labels and verdicts for the selected tasks, as dense columns: one
// row per sample of the task, one column per annotator or judge version, label positions
// in the rubric's order. Read in one pass over each table, in one snapshot.
import Domain
import Store

/// One dimension's labels, column by column.
struct DimensionColumns {
    let dimension: Dimension
    /// Per annotator (the task's `annotators` order): label position per row, −1 none.
    var annotators: [[Int32]]
    /// A lead's adjudicated label position per row, −1 none.
    var adjudication: [Int32]
    /// Per judge version (the task's `judges` order): label position per row, −1 none or failed.
    var judges: [[Int32]]
    var verdicts: [Int]
    var failedVerdicts: [Int]
    /// The latest human decision on the row (seconds since 1970), 0 for none.
    var humanTime: [Double]
}

/// One annotator's log in a task.
struct AnnotatorLog {
    var decisions = 0
    var adjudications = 0
    var actions: [DecisionAction: Int] = [:]
    /// Per row: when they last decided anything on the sample (0: never, or no label of
    /// theirs remains on it).
    var finished: [Double]
}

/// One task's data.
struct TaskColumns {
    let rubric: Rubric
    /// Sample keys, one per row, ascending.
    var samplePKs: [Int64] = []
    var annotators: [String] = []
    var logs: [AnnotatorLog] = []
    var judges: [JudgeVersionInfo] = []
    var dimensions: [DimensionColumns] = []
    var ignoredLabels = 0

    var rowCount: Int { samplePKs.count }
}

/// Sample key → (task, row), dense when keys are (they are row ids, so nearly always).
struct SampleIndex {
    private var task: [Int16] = []
    private var row: [Int32] = []
    private var sparse: [Int64: (Int16, Int32)] = [:]
    private let dense: Bool

    init(maxPK: Int64, count: Int) {
        dense = maxPK <= Int64(count) * 4 + 1_000_000
        if dense {
            task = [Int16](repeating: -1, count: Int(maxPK) + 1)
            row = [Int32](repeating: -1, count: Int(maxPK) + 1)
        }
    }

    mutating func set(_ pk: Int64, task t: Int, row r: Int) {
        if dense, pk >= 0, pk < Int64(task.count) {
            task[Int(pk)] = Int16(t); row[Int(pk)] = Int32(r)
        } else {
            sparse[pk] = (Int16(t), Int32(r))
        }
    }

    func lookup(_ pk: Int64) -> (task: Int, row: Int)? {
        if dense, pk >= 0, pk < Int64(task.count) {
            let t = task[Int(pk)]
            return t < 0 ? nil : (Int(t), Int(row[Int(pk)]))
        }
        return sparse[pk].map { (Int($0.0), Int($0.1)) }
    }
}

/// Per task: text code → dimension position, and per dimension: text code → label position.
/// Codes are dense small numbers, so arrays indexed by code replace dictionary lookups in the
/// hot loop; −2 marks "not resolved yet", −1 "not in the rubric".
struct CodeResolver {
    private let dimensionKeys: [[String]]
    private let labelKeys: [[[String]]]
    private var dimensionOf: [[Int16]]
    private var labelOf: [[[Int16]]]

    init(rubrics: [Rubric]) {
        dimensionKeys = rubrics.map { $0.dimensions.map(\.key) }
        labelKeys = rubrics.map { $0.dimensions.map { $0.labels.map(\.key) } }
        dimensionOf = rubrics.map { _ in [] }
        labelOf = rubrics.map { $0.dimensions.map { _ in [] } }
    }

    mutating func dimension(task: Int, code: Int32, reader: StatsReader) -> Int {
        let c = Int(code)
        if c >= dimensionOf[task].count { dimensionOf[task].append(contentsOf: repeatElement(-2, count: c + 1 - dimensionOf[task].count)) }
        if dimensionOf[task][c] == -2 {
            dimensionOf[task][c] = Int16(dimensionKeys[task].firstIndex(of: reader.text(code)) ?? -1)
        }
        return Int(dimensionOf[task][c])
    }

    mutating func label(task: Int, dimension d: Int, code: Int32, reader: StatsReader) -> Int {
        let c = Int(code)
        if c >= labelOf[task][d].count { labelOf[task][d].append(contentsOf: repeatElement(-2, count: c + 1 - labelOf[task][d].count)) }
        if labelOf[task][d][c] == -2 {
            labelOf[task][d][c] = Int16(labelKeys[task][d].firstIndex(of: reader.text(code)) ?? -1)
        }
        return Int(labelOf[task][d][c])
    }
}

/// The state of one (sample, dimension, annotator) while the log is read: bits of its
/// latest row.
private enum KeyState {
    static let lead: UInt8 = 0x40
    /// The label is not in the rubric.
    static let ignored: UInt8 = 0x20
    /// The row carries a label (not a withdrawal).
    static let labelled: UInt8 = 0x10
    /// Low four bits: the action's position in `DecisionAction.allCases`.
    static let action: UInt8 = 0x0F
}

enum AgreementData {
    /// Reads the selected tasks' samples, decisions and verdicts in one snapshot.
    ///
    /// The decision log is read once, in the order it was written (a sequential scan); each
    /// row overwrites what the same (sample, dimension, annotator) said before, so what
    /// remains is every key's latest row. A row's role decides where its label goes: an
    /// annotator's column or, for a lead, the adjudication.
    static func load(store: Store, rubrics: [Rubric], judge: String?) throws -> [TaskColumns] {
        try store.readStatistics { reader in
            var tasks = rubrics.map { rubric in
                var t = TaskColumns(rubric: rubric)
                t.dimensions = rubric.dimensions.map {
                    DimensionColumns(dimension: $0, annotators: [], adjudication: [], judges: [], verdicts: [],
                                     failedVerdicts: [], humanTime: [])
                }
                return t
            }
            let taskCodes = rubrics.map { reader.code(of: $0.task) }
            let extent = try reader.sampleExtent()
            var index = SampleIndex(maxPK: extent.maxPK, count: extent.count)
            try reader.forEachSample { pk, task in
                guard let t = taskCodes.firstIndex(of: task) else { return }
                index.set(pk, task: t, row: tasks[t].samplePKs.count)
                tasks[t].samplePKs.append(pk)
            }
            var log = LogReader(tasks: tasks, rubrics: rubrics)
            try reader.forEachDecision { row in
                guard let (t, r) = index.lookup(row.samplePK) else { return }
                log.apply(row, task: t, row: r, reader: reader)
            }
            tasks = log.finish()

            var resolver = log.resolver
            for version in try reader.judgeVersions() where judge == nil || version.judge == judge {
                guard let t = rubrics.firstIndex(where: { $0.task == version.task }) else { continue }
                let j = tasks[t].judges.count
                tasks[t].judges.append(JudgeVersionInfo(version))
                for d in tasks[t].dimensions.indices {
                    tasks[t].dimensions[d].judges.append([Int32](repeating: -1, count: tasks[t].rowCount))
                    tasks[t].dimensions[d].verdicts.append(0)
                    tasks[t].dimensions[d].failedVerdicts.append(0)
                }
                try reader.forEachVerdict(judgeVersionID: version.id) { pk, dimension, label in
                    guard let (vt, row) = index.lookup(pk), vt == t else { return }
                    let d = resolver.dimension(task: t, code: dimension, reader: reader)
                    guard d >= 0 else { return }
                    tasks[t].dimensions[d].verdicts[j] += 1
                    let position = label < 0 ? -1 : resolver.label(task: t, dimension: d, code: label, reader: reader)
                    if position < 0 { tasks[t].dimensions[d].failedVerdicts[j] += 1; return }
                    tasks[t].dimensions[d].judges[j][row] = Int32(position)
                }
            }
            return tasks
        }
    }
}

/// Applies the decision log, row by row, to flat per-task buffers (one array access per
/// write in the hot loop), then hands them out as the tasks' columns.
private struct LogReader {
    private var tasks: [TaskColumns]
    private(set) var resolver: CodeResolver
    private let rows: [Int]
    private let dimensionCounts: [Int]
    /// Per task: annotator text code → column (−1: none yet).
    private var columnOf: [[Int]]
    /// Per task, at ((column × dimensions) + dimension) × rows + row: the key's label
    /// position (−1 none) and its `KeyState` bits (0: no row yet).
    private var labels: [[Int32]]
    private var states: [[UInt8]]
    /// Per task, at dimension × rows + row: the adjudicated label and the latest decision time.
    private var adjudication: [[Int32]]
    private var humanTime: [[Double]]
    /// Per task, at column × rows + row: the annotator's latest decision time on the sample.
    private var finished: [[Double]]
    private var decisions: [[Int]]
    /// Per task, at dimension × rows + row: the leads' adjudications in log order (rare, so sparse).
    private var adjudications: [[Int: [(column: Int, label: Int32)]]]
    /// Per task: keys of dimensions the rubric does not have, with a label.
    private var unknownDimensions: [Set<[Int64]>]

    init(tasks: [TaskColumns], rubrics: [Rubric]) {
        self.tasks = tasks
        resolver = CodeResolver(rubrics: rubrics)
        rows = tasks.map(\.rowCount)
        dimensionCounts = tasks.map(\.dimensions.count)
        columnOf = tasks.map { _ in [] }
        labels = tasks.map { _ in [] }
        states = tasks.map { _ in [] }
        adjudication = tasks.map { [Int32](repeating: -1, count: $0.rowCount * $0.dimensions.count) }
        humanTime = tasks.map { [Double](repeating: 0, count: $0.rowCount * $0.dimensions.count) }
        finished = tasks.map { _ in [] }
        decisions = tasks.map { _ in [] }
        adjudications = tasks.map { _ in [:] }
        unknownDimensions = tasks.map { _ in [] }
    }

    mutating func apply(_ row: DecisionRow, task t: Int, row r: Int, reader: StatsReader) {
        let n = rows[t], dims = dimensionCounts[t]
        let a = Int(row.annotator)
        if a >= columnOf[t].count { columnOf[t].append(contentsOf: repeatElement(-1, count: a + 1 - columnOf[t].count)) }
        if columnOf[t][a] < 0 {
            columnOf[t][a] = tasks[t].annotators.count
            tasks[t].annotators.append(reader.text(row.annotator))
            labels[t].append(contentsOf: repeatElement(-1, count: n * dims))
            states[t].append(contentsOf: repeatElement(0, count: n * dims))
            finished[t].append(contentsOf: repeatElement(0, count: n))
            decisions[t].append(0)
        }
        let column = columnOf[t][a]
        decisions[t][column] += 1
        finished[t][column * n + r] = row.time
        let d = resolver.dimension(task: t, code: row.dimension, reader: reader)
        guard d >= 0 else {
            let key: [Int64] = [row.samplePK, Int64(row.dimension), Int64(row.annotator)]
            if row.label >= 0 { unknownDimensions[t].insert(key) } else { unknownDimensions[t].remove(key) }
            return
        }
        humanTime[t][d * n + r] = row.time
        let label = row.label < 0 ? -1 : resolver.label(task: t, dimension: d, code: row.label, reader: reader)
        let i = (column * dims + d) * n + r
        let previous = states[t][i]
        var state = UInt8(DecisionAction.allCases.firstIndex(of: row.action) ?? 0) & KeyState.action
        if row.label >= 0 { state |= KeyState.labelled }
        if row.label >= 0 && label < 0 { state |= KeyState.ignored }
        // A key that changes role leaves its old place.
        if previous & KeyState.lead != 0 { setAdjudication(t, d * n + r, column: column, label: -1) }
        switch row.role {
        case .lead:
            state |= KeyState.lead
            labels[t][i] = -1
            setAdjudication(t, d * n + r, column: column, label: Int32(label))
        case .annotator:
            labels[t][i] = Int32(label)
        }
        states[t][i] = state | 0x80
    }

    /// Records (or with −1 withdraws) one lead's adjudication; the latest one standing counts.
    private mutating func setAdjudication(_ t: Int, _ slot: Int, column: Int, label: Int32) {
        var list = adjudications[t][slot] ?? []
        list.removeAll { $0.column == column }
        if label >= 0 { list.append((column, label)) }
        adjudications[t][slot] = list.isEmpty ? nil : list
        adjudication[t][slot] = list.last?.label ?? -1
    }

    /// The tasks' columns, with counts per annotator taken from every key's latest row.
    mutating func finish() -> [TaskColumns] {
        let actions = DecisionAction.allCases
        for t in tasks.indices {
            let n = rows[t], dims = dimensionCounts[t]
            var ignored = unknownDimensions[t].count
            for d in 0..<dims {
                tasks[t].dimensions[d].adjudication = Array(adjudication[t][d * n..<(d + 1) * n])
                tasks[t].dimensions[d].humanTime = Array(humanTime[t][d * n..<(d + 1) * n])
            }
            for column in tasks[t].annotators.indices {
                var log = AnnotatorLog(finished: Array(finished[t][column * n..<(column + 1) * n]))
                log.decisions = decisions[t][column]
                var counts = [Int](repeating: 0, count: actions.count)
                var labelledRows = [Bool](repeating: false, count: n)
                for d in 0..<dims {
                    let base = (column * dims + d) * n
                    for r in 0..<n {
                        let state = states[t][base + r]
                        guard state & KeyState.labelled != 0 else { continue }
                        if state & KeyState.ignored != 0 { ignored += 1; continue }
                        counts[Int(state & KeyState.action) % actions.count] += 1
                        if state & KeyState.lead != 0 { log.adjudications += 1 }
                        if labels[t][base + r] >= 0 { labelledRows[r] = true }
                    }
                    tasks[t].dimensions[d].annotators.append(Array(labels[t][base..<base + n]))
                }
                for (i, count) in counts.enumerated() where count > 0 { log.actions[actions[i]] = count }
                // Time per item only counts samples that still carry a label of theirs.
                for r in 0..<n where !labelledRows[r] { log.finished[r] = 0 }
                tasks[t].logs.append(log)
            }
            tasks[t].ignoredLabels = ignored
            labels[t] = []; states[t] = []; finished[t] = []
        }
        return tasks
    }
}
