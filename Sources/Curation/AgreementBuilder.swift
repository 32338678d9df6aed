// Builds the report: read the store once (streaming, one snapshot), then per task and
// dimension one table for the Stats module, and "every dimension passes" derived from them.
import Domain
import Stats
import Store

/// The store's current labels and verdicts for a report, read and not yet computed: lets a
/// caller (the benchmark) time the reading and the computing apart.
public struct AgreementInput: Sendable {
    let session: String
    let tasks: [TaskColumns]

    /// Samples in the selected tasks.
    public var sampleCount: Int { tasks.reduce(0) { $0 + $1.rowCount } }
}

extension AgreementReport {
    /// Reads what `options` selects from the store, in one snapshot.
    /// - Throws: `AgreementError` for an unknown task or judge or an invalid option; store errors.
    public static func read(store: Store, session: SessionConfig, options: AgreementOptions) throws -> AgreementInput {
        try options.consensus.validate()
        var rubrics = session.rubrics
        if let task = options.task {
            guard let rubric = session.rubric(for: task) else {
                throw AgreementError.unknownTask(task, known: session.rubrics.map(\.task))
            }
            rubrics = [rubric]
        }
        if let judge = options.judge, session.judge(named: judge) == nil {
            let stored = Set(try store.judgeVersions().map(\.judge))
            guard stored.contains(judge) else {
                throw AgreementError.unknownJudge(judge, known: (stored.union(session.judges.map(\.name))).sorted())
            }
        }
        return AgreementInput(session: session.name,
                              tasks: try AgreementData.load(store: store, rubrics: rubrics, judge: options.judge))
    }

    /// Computes every figure of the report from what was read.
    /// - Throws: `AgreementError` for an invalid option or an unknown annotator.
    public init(_ input: AgreementInput, options: AgreementOptions) throws {
        try options.consensus.validate()
        guard options.confidence > 0, options.confidence < 1 else {
            throw AgreementError.invalidOption("the confidence level is a share between 0 and 1 (got \(options.confidence))")
        }
        guard options.bootstrapReplicates >= 0, options.bootstrapMaxItems >= 0 else {
            throw AgreementError.invalidOption("bootstrap replicates and item limit cannot be negative")
        }
        if let annotator = options.annotator, !input.tasks.contains(where: { $0.annotators.contains(annotator) }) {
            throw AgreementError.unknownAnnotator(annotator, known: Array(Set(input.tasks.flatMap(\.annotators))).sorted())
        }
        let figures = FigureMaker(confidence: options.confidence, replicates: options.bootstrapReplicates,
                                  maxItems: options.bootstrapMaxItems, seed: options.seed)
        self.init(session: input.session, options: options,
                  tasks: try input.tasks.map { task in
                      var builder = TaskBuilder(task: task, options: options, figures: figures)
                      return try builder.build()
                  })
    }

    /// Reads and computes in one go.
    public init(store: Store, session: SessionConfig, options: AgreementOptions = AgreementOptions()) throws {
        try self.init(try Self.read(store: store, session: session, options: options), options: options)
    }
}

/// Pass/fail per sample, accumulated over dimensions: −1 once some dimension fails, else
/// the number of dimensions that passed.
private struct AllAccumulator {
    var cells: [Int8]
    init(_ n: Int) { cells = [Int8](repeating: 0, count: n) }

    /// Adds one dimension's column (label positions, −1 none) under `passes`.
    mutating func add(_ column: [Int32], passes: [Bool]) {
        // +1 for a passing label, −1 (sticky) for a failing one.
        let step = passes.map { Int8($0 ? 1 : -1) }
        column.withUnsafeBufferPointer { column in
            cells.withUnsafeMutableBufferPointer { cells in
                step.withUnsafeBufferPointer { step in
                    for r in 0..<min(cells.count, column.count) {
                        let code = Int(column[r])
                        guard code >= 0, code < step.count, cells[r] >= 0 else { continue }
                        cells[r] = step[code] > 0 ? cells[r] &+ 1 : -1
                    }
                }
            }
        }
    }

    /// 0 (pass) when every one of `dimensions` passed, 1 (fail) when one failed, else −1.
    func codes(dimensions: Int) -> [Int32] {
        cells.map { $0 < 0 ? 1 : Int($0) == dimensions ? 0 : -1 }
    }
}

private struct TaskBuilder {
    let task: TaskColumns
    let options: AgreementOptions
    let figures: FigureMaker
    private let names = ItemNames()
    /// Groups by key: detail, then dimensions in order.
    private var groups: [String: (detail: String, dimensions: [DimensionAgreement])] = [:]
    private var groupOrder: [String] = []

    init(task: TaskColumns, options: AgreementOptions, figures: FigureMaker) {
        self.task = task; self.options = options; self.figures = figures
    }

    mutating func build() throws -> TaskAgreement {
        let n = task.rowCount, a = task.annotators.count, dCount = task.dimensions.count
        if options.grouping == .judgeVersion {
            for v in task.judges { note(group: v.version, detail: v.judge) }
        }

        // Every dimension on its own labels and, unless it has one passing and one failing
        // label, on pass/fail too; "every dimension passes" from the pass/fail views.
        var prepared: [PreparedDimension] = []
        var twins: [PreparedDimension?] = []
        var allAnnotators = (0..<a).map { _ in AllAccumulator(n) }
        var allConsensus = AllAccumulator(n)
        var allLeaveOneOut = (0..<a).map { _ in AllAccumulator(n) }
        var allJudges = task.judges.map { _ in AllAccumulator(n) }
        var allTimes = [Double](repeating: 0, count: n)
        let rule = options.consensus, people = task.annotators, judges = task.judges
        let pairs = try concurrentMap(dCount) { d -> (PreparedDimension, PreparedDimension?) in
            let columns = task.dimensions[d]
            let dim = columns.dimension
            let passes = dim.labels.map(\.passes)
            let info = DimensionInfo(name: dim.key, isAll: false, labels: dim.labels.map(\.key), passes: passes,
                                     annotators: people, judges: judges,
                                     judgeCounts: zip(columns.verdicts, columns.failedVerdicts).map { ($0, $1) })
            let p = PreparedDimension(info: info, annotatorCodes: columns.annotators, judgeCodes: columns.judges,
                                      adjudication: columns.adjudication, times: columns.humanTime, rule: rule)
            let binary = passes.count == 2 && passes.filter { $0 }.count == 1
            return (p, binary ? nil : p.passFail(adjudication: columns.adjudication, rule: rule))
        }
        for (columns, (p, twin)) in zip(task.dimensions, pairs) {
            let passes = columns.dimension.labels.map(\.passes)
            prepared.append(p)
            twins.append(twin)
            let view = twin ?? p
            allConsensus.add(view.consensus, passes: view.info.passes)
            for i in 0..<a {
                allLeaveOneOut[i].add(view.leaveOneOut[i], passes: view.info.passes)
                allAnnotators[i].add(columns.annotators[i], passes: passes)
            }
            for j in task.judges.indices { allJudges[j].add(columns.judges[j], passes: passes) }
            for r in 0..<n where columns.humanTime[r] > allTimes[r] { allTimes[r] = columns.humanTime[r] }
        }
        var all: PreparedDimension?
        if dCount > 0 {
            let judgeColumns = allJudges.map { $0.codes(dimensions: dCount) }
            let info = DimensionInfo(name: AgreementReport.allDimensions, isAll: true, labels: ["pass", "fail"],
                                     passes: [true, false], annotators: task.annotators, judges: task.judges,
                                     judgeCounts: judgeColumns.map { (verdicts: $0.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }, failed: nil) })
            all = PreparedDimension(info: info, annotatorCodes: allAnnotators.map { $0.codes(dimensions: dCount) },
                                    judgeCodes: judgeColumns, consensus: allConsensus.codes(dimensions: dCount),
                                    leaveOneOut: allLeaveOneOut.map { $0.codes(dimensions: dCount) }, times: allTimes)
        }

        // Tables (in the order of `everything`): small ones on their own rows, for the
        // bootstrap; large ones shared by the dimensions with as many labels.
        var twinPosition: [Int?] = []
        var next = dCount
        for twin in twins {
            twinPosition.append(twin == nil ? nil : next)
            if twin != nil { next += 1 }
        }
        let allPosition = all == nil ? nil : next
        let everything = prepared + twins.compactMap { $0 } + (all.map { [$0] } ?? [])
        let tables = try DimensionTable.tables(everything, ownRows: { figures.bootstraps($0.humanCount) }, names: names)
        prepared = []; twins = []; all = nil

        // Dimensions are independent from here on: compute them side by side.
        let order = (0..<dCount).map { ($0, twinPosition[$0]) } + (allPosition.map { [($0, nil)] } ?? [])
        let results = try concurrentMap(order.count) { k in
            try compute(tables[order[k].0], twin: order[k].1.map { tables[$0] })
        }
        var dimensions: [DimensionAgreement] = []
        var perAnnotator: [[AnnotatorDimension]] = (0..<a).map { _ in [] }
        for result in results {
            dimensions.append(result.agreement)
            for (i, figure) in result.annotators.enumerated() { perAnnotator[i].append(figure) }
            for part in result.groups {
                note(group: part.key, detail: part.detail)
                groups[part.key]?.dimensions.append(part.figure)
            }
        }
        if options.grouping == .week { groupOrder.sort() }

        let annotators = task.annotators.indices
            .filter { options.annotator == nil || task.annotators[$0] == options.annotator }
            .map { annotatorSummary($0, dimensions: perAnnotator[$0]) }
        return TaskAgreement(
            task: task.rubric.task, rubricVersion: task.rubric.version, samples: n, dimensions: dimensions,
            annotators: annotators,
            groups: groupOrder.compactMap { key in
                guard let g = groups[key], let grouping = options.grouping, !g.dimensions.isEmpty else { return nil }
                return GroupAgreement(grouping: grouping, key: key, detail: g.detail, dimensions: g.dimensions)
            },
            ignoredLabels: task.ignoredLabels)
    }

    private mutating func note(group key: String, detail: String) {
        if groups[key] == nil {
            groups[key] = (detail, [])
            groupOrder.append(key)
        }
    }

    /// One dimension's figures, its annotators' figures and its parts in each group.
    struct DimensionResult {
        var agreement: DimensionAgreement
        var annotators: [AnnotatorDimension]
        var groups: [(key: String, detail: String, figure: DimensionAgreement)]
    }

    private func compute(_ shared: DimensionTable, twin: DimensionTable?) throws -> DimensionResult {
        let table = try shared.compact()
        let passFail = try twin?.compact()
        let labels = try table.annotatorLabels()
        return DimensionResult(
            agreement: try table.agreement(passFail: passFail, annotatorLabels: labels, figures: figures),
            annotators: try table.annotatorFigures(annotatorLabels: labels, figures: figures),
            groups: try groupParts(table, passFail: passFail))
    }

    /// Splits one dimension's table by the report's grouping and computes each part. Groups
    /// get bootstrap intervals only when the whole table does, so splitting never costs more
    /// than the table itself.
    private func groupParts(_ table: DimensionTable, passFail: DimensionTable?) throws
        -> [(key: String, detail: String, figure: DimensionAgreement)] {
        guard let grouping = options.grouping else { return [] }
        let f = figures.bootstraps(table.rowCount) ? figures : figures.withoutBootstrap
        let n = task.rowCount
        var parts: [(key: String, detail: String, figure: DimensionAgreement)] = []
        switch grouping {
        case .judgeVersion:
            for j in table.info.judges.indices {
                var keep = [Bool](repeating: false, count: n)
                var any = false
                for row in 0..<table.rowCount where table.code(row, table.info.judgeColumn(j)) >= 0 {
                    keep[Int(table.taskRows[row])] = true
                    any = true
                }
                guard any else { continue }
                let figure = try part(try table.restricted(to: keep), try passFail?.restricted(to: keep), onlyJudge: j, figures: f)
                parts.append((table.info.judges[j].version, table.info.judges[j].judge, figure))
            }
        case .week:
            var weeks = ISOWeeks()
            var rowsByMonday: [Int: [Int32]] = [:]
            // Times come from data (an imported "time"): only plausible ones make weeks.
            for row in 0..<table.rowCount where table.human[row] && table.times[row] > 0 && table.times[row] < 1e11 {
                rowsByMonday[ISOWeeks.monday(of: table.times[row]), default: []].append(table.taskRows[row])
            }
            for monday in rowsByMonday.keys.sorted() {
                guard let rows = rowsByMonday[monday] else { continue }
                var keep = [Bool](repeating: false, count: n)
                for r in rows { keep[Int(r)] = true }
                let week = weeks.week(ofMonday: monday)
                let figure = try part(try table.restricted(to: keep), try passFail?.restricted(to: keep), onlyJudge: nil, figures: f)
                parts.append((week.key, week.monday, figure))
            }
        }
        return parts
    }

    /// One group's part of a dimension; verdict counts are the group's own (failures unknown).
    private func part(_ table: DimensionTable, _ passFail: DimensionTable?, onlyJudge: Int?,
                      figures f: FigureMaker) throws -> DimensionAgreement {
        let counts = table.info.judges.indices.map { j in
            (verdicts: (0..<table.rowCount).reduce(0) { $0 + (table.code($1, table.info.judgeColumn(j)) >= 0 ? 1 : 0) },
             failed: Int?.none)
        }
        let regrouped = DimensionTable(
            info: DimensionInfo(name: table.info.name, isAll: table.info.isAll, labels: table.info.labels,
                                passes: table.info.passes, annotators: table.info.annotators, judges: table.info.judges,
                                judgeCounts: counts),
            ratings: table.ratings, prefix: table.prefix, columnOffset: table.columnOffset, taskRows: table.taskRows,
            sources: table.sources, times: table.times, human: table.human, counts: table.counts)
        return try regrouped.agreement(passFail: passFail, onlyJudge: onlyJudge, figures: f)
    }

    /// The median, found by selection in place (gaps come in any order; sorting a million is slow).
    static func median(_ values: inout [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let upper = select(&values, values.count / 2)
        guard values.count % 2 == 0 else { return upper }
        // The lower middle is the largest value left of the upper one.
        return (values[0..<values.count / 2].max().map { ($0 + upper) / 2 }) ?? upper
    }

    /// The k-th smallest value (0-based); `values` is partitioned around it.
    static func select(_ values: inout [Double], _ k: Int) -> Double {
        var low = 0, high = values.count - 1
        while low < high {
            let pivot = values[low + (high - low) / 2]
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j { values.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { high = j } else if k >= i { low = i } else { break }
        }
        return values[k]
    }

    private func annotatorSummary(_ i: Int, dimensions: [AnnotatorDimension]) -> AnnotatorAgreement {
        let log = task.logs[i]
        var finished = log.finished.filter { $0 > 0 }
        // Usually already in order (people work through their queue): check before sorting.
        if zip(finished, finished.dropFirst()).contains(where: { $0 > $1 }) { finished.sort() }
        var gaps: [Double] = []
        for (previous, next) in zip(finished, finished.dropFirst()) {
            let gap = next - previous
            if gap >= 0.05, gap <= options.idleSeconds { gaps.append(gap) }
        }
        let median = Self.median(&gaps)
        let counted = dimensions.filter { !$0.isAll }
        let compared = counted.reduce(0) { $0 + $1.consensusItems }
        let agreed = counted.reduce(0) { $0 + $1.consensusAgreed }
        var actions: [String: Int] = [:]
        for (action, count) in log.actions { actions[action.rawValue] = count }
        return AnnotatorAgreement(
            annotator: task.annotators[i], items: finished.count, labels: counted.reduce(0) { $0 + $1.labels },
            decisions: log.decisions, actions: actions, adjudications: log.adjudications,
            timedItems: gaps.count, medianSecondsPerItem: median,
            meanSecondsPerItem: gaps.isEmpty ? nil : gaps.reduce(0, +) / Double(gaps.count),
            consensusItems: compared, consensusAgreement: figures.proportion(agreed, compared, else: .noPairedItems),
            dimensions: dimensions)
    }
}
