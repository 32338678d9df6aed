// `recjudge export`: final labels → training sets in a staging folder → recorded in the
// store and put in place by rename, all or nothing.
import Foundation
import Domain
import Store

/// Renders the judge prompt of a rubric for a sample (the Judges module's renderer, handed in
/// by the caller: curation does not depend on judges).
public protocol JudgePromptSource: Sendable {
    /// A writer for one formatting thread, for `rubrics` in this order (it may keep caches of
    /// its own, unlocked).
    func makeWriter(rubrics: [Rubric]) -> any JudgeMessageWriter
    /// What the manifest says about how prompts were rendered (e.g. the context budget).
    var manifestDescription: JSONObject { get }
}

/// Writes the messages a judge is sent, on one thread.
public protocol JudgeMessageWriter: AnyObject {
    /// Appends the system and user messages a judge is sent for a sample under the `task`-th
    /// rubric, as chat-message JSON: `{"role":"system","content":…},{"role":"user","content":…}`.
    /// `body` is the sample's stored body (the JSON the store keeps); `context` appends the
    /// stored user context (JSON); `sample` decodes the sample, to be asked only when the
    /// messages need more than these. `contextID` is the same for samples that share one stored
    /// user context, so that what depends on the context alone may be rendered once.
    /// - Throws: what `context` and `sample` throw.
    func appendMessages(task: Int, contextID: Int64, body: UnsafeBufferPointer<UInt8>,
                        context: (inout [UInt8]) throws -> Void, sample: () throws -> Sample, to out: inout [UInt8]) throws
}

/// What a finished export wrote and recorded.
public struct ExportResult: Sendable {
    public var exportID: Int64
    /// The folder written, absolute.
    public var out: String
    public var rows: Int
    public var splits: [Split: Int]
    /// Why samples of the selected tasks and rounds were left out, by reason.
    public var leftOut: [String: Int]
    public var labelSources: [LabelSource: Int]
    /// manifest.json as written.
    public var manifest: String
    /// Seconds spent per phase, in order: measuring judges, reading and writing the sets,
    /// syncing the files to disk, recording in the store (with manifest, card and rename).
    public var phases: [(name: String, seconds: Double)]
}

/// How far an export has got (for a progress line).
public struct ExportProgress: Sendable {
    public var phase: String
    public var scanned: Int
    public var rows: Int
}

/// Builds one training set from the store's final labels.
public struct Exporter {
    public let store: Store
    public let session: SessionConfig
    public let options: ExportOptions
    public let judgePrompts: (any JudgePromptSource)?

    public init(store: Store, session: SessionConfig, options: ExportOptions, judgePrompts: (any JudgePromptSource)? = nil) {
        self.store = store; self.session = session; self.options = options; self.judgePrompts = judgePrompts
    }

    /// Writes train/dev/test JSON Lines, manifest.json and README.md into a staging folder
    /// beside `options.out`, records the export and its rows in the store in one transaction,
    /// and renames the staging folder to `options.out` just before that transaction commits.
    /// `progress` is called after each chunk of samples is written, from the reading threads,
    /// one call at a time.
    /// Reads one snapshot of the store, streaming: memory does not grow with the number of rows
    /// (a preference export keeps one byte per dimension per sample; a rebalanced one 24 bytes
    /// per candidate).
    /// - Throws: `ExportError` for a refused request (nothing is written), for nothing to
    ///   export, or for a write that failed (nothing is left behind); `StoreError` from the store.
    public func run(progress: ((ExportProgress) -> Void)? = nil) throws -> ExportResult {
        let storedJudges = Array(Set(try store.judgeVersions().map(\.judge)))
        let rubrics = try options.validated(session: session, judges: storedJudges)
        if options.kind == .judgeSFT && judgePrompts == nil {
            throw ExportError.invalidOption("judge-sft needs the judge prompt renderer")
        }
        let staging = try ExportStaging(out: options.out, force: options.force,
                                        protecting: [store.path, session.folder, session.storePath])
        do {
            let work = try ExportWork(options: options, rubrics: rubrics, staging: staging, judgePrompts: judgePrompts,
                                      progress: progress)
            let clock = ContinuousClock()
            var started = clock.now
            try work.produce(store)
            let tally = work.finalTally()
            guard tally.rows > 0 else { throw ExportError.nothingToExport(work.whyNothing()) }
            work.phases.append(("reading and writing the sets", Self.seconds(started.duration(to: clock.now)) - (work.phases.first?.seconds ?? 0)))
            started = clock.now
            let files = try work.writer.finishFiles()
            work.phases.append(("syncing the files", Self.seconds(started.duration(to: clock.now))))
            started = clock.now
            let createdAt = Date()
            var manifestText = ""
            let id = try store.recordExport(kind: options.kind.rawValue, out: staging.out, command: options.command, rows: { add in
                try work.writer.spool.forEach { pk, split, labels, pair in try add(pk, split.rawValue, labels, pair) }
            }, manifest: { id, _ in
                let context = ManifestContext(
                    exportID: id, kind: options.kind, format: work.format, session: session.name, command: options.command,
                    createdAt: createdAt, files: files, options: options, rubrics: rubrics,
                    rubricPaths: Dictionary(uniqueKeysWithValues: zip(session.rubrics.map(\.task), session.rubricPaths)),
                    trust: work.trust, judgePrompt: judgePrompts.map { .object($0.manifestDescription) },
                    sourceHash: work.writer.sourceHash.finalize(), decisionsThrough: work.decisionsThrough)
                manifestText = ExportManifest.json(context, tally).pretty() + "\n"
                try Self.write(manifestText, to: staging.path("manifest.json"))
                try Self.write(ExportCard.markdown(context, tally), to: staging.path("README.md"))
                try? FileManager.default.removeItem(atPath: work.writer.spool.file.path)
                return manifestText
            }, beforeCommit: { _ in try staging.swap() })
            staging.finish()
            work.phases.append(("recording in the store", Self.seconds(started.duration(to: clock.now))))
            return ExportResult(exportID: id, out: staging.out, rows: tally.rows, splits: tally.splits,
                                leftOut: tally.leftOut, labelSources: tally.labelSources, manifest: manifestText,
                                phases: work.phases)
        } catch {
            staging.discard()
            throw error
        }
    }

    static func seconds(_ d: Duration) -> Double {
        let (whole, atto) = d.components
        return Double(whole) + Double(atto) * 1e-18
    }

    static func write(_ text: String, to path: String) throws {
        let f = try BufferedFile(path: path)
        try f.append { $0.append(contentsOf: text.utf8) }
        try f.finish()
    }
}

/// The reading side of one export: the snapshot is read by chunks of sample keys (preference
/// pairs: then by spans of users) on several threads (`ChunkTurns`), final labels are decided
/// and rows formatted where they are read, and each chunk's rows are written through the
/// `RowWriter` in chunk order.
///
/// Shared state (the counts, trust, what the first phase learnt) is written only by `take` and
/// `finish` closures of a phase, which run one at a time, and read after that phase: hence
/// `@unchecked Sendable`.
final class ExportWork: @unchecked Sendable {
    let options: ExportOptions
    let rubrics: [Rubric]
    let progress: ((ExportProgress) -> Void)?
    let writer: RowWriter
    /// What the reader counts: samples read, left out and why, rationales, rebalancing.
    var tally: ExportTally
    var trust = JudgeTrust(entries: [], positions: [], rubrics: [])
    var decisionsThrough: Int64 = 0
    var phases: [(name: String, seconds: Double)] = []
    private let turns = ChunkTurns()
    private let threads: Int
    fileprivate var excluded = PKSet()
    private var layout = ChunkLayout(keys: 0...0, threads: 1)
    private var trustCount: TrustCount?
    private var queued = 0
    private let clock = ContinuousClock()
    private var started: ContinuousClock.Instant
    // Rebalanced judge-sft: the keys chosen and the rounds they come from.
    private var rebalancer: Rebalancer?
    private var chosen: [Int64] = []
    private var roundsRead: Set<Int> = []
    // Preference: final labels of every pass/fail sample, and the spans of users pass two reads.
    fileprivate var table = LabelTable(stride: 0, keys: 0...0)
    private var users = UserLayout(starts: [])

    init(options: ExportOptions, rubrics: [Rubric], staging: ExportStaging, judgePrompts: (any JudgePromptSource)?,
         progress: ((ExportProgress) -> Void)?) throws {
        self.options = options; self.rubrics = rubrics; self.progress = progress
        writer = try RowWriter(options: options, rubrics: rubrics, staging: staging, judgePrompts: judgePrompts)
        tally = ExportTally(rubrics: rubrics)
        threads = Self.readingThreads
        started = clock.now
        rebalancer = options.balance.map { Rebalancer(options: $0, rubrics: rubrics) }
    }

    /// One reading thread per core, up to four.
    static var readingThreads: Int { max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4)) }

    var format: String {
        switch options.kind {
        case .generatorSFT, .judgeSFT: return "openai-chat"
        case .preference: return options.preferenceFormat == .trl ? "trl-preference" : "openai-preference"
        }
    }

    /// The writer's counts with the reader's (after `produce`).
    func finalTally() -> ExportTally {
        var t = writer.tally
        t.scanned = tally.scanned
        t.leftOut = tally.leftOut
        t.rationaleSources = tally.rationaleSources
        t.balance = tally.balance
        return t
    }

    // MARK: - Reading

    /// Reads the store on `threads` threads and writes the rows.
    func produce(_ store: Store) throws {
        started = clock.now
        do {
            try store.readExportInParallel(threads) { _, reader in
                let shard = Shard(work: self, reader: reader)
                try self.run(shard)
            }
        } catch {
            throw turns.failure ?? error
        }
    }

    /// What one thread does, phase by phase (every thread runs the same phases).
    private func run(_ shard: Shard) throws {
        let reader = shard.reader
        // What the snapshot holds: one chunk, read by whichever thread takes it.
        try turns.run(&shard.phase, chunks: 1, job: { _ in
            let kinds = self.options.excludeExported ? [self.options.kind.rawValue] : []
            var excluded = PKSet()
            try reader.exportedSamplePKs(kinds: kinds, exportIDs: self.options.excludeExports) { excluded.insert($0) }
            let (decisions, keys) = (try reader.decisionsThrough(), try reader.sampleKeys())
            let trust = try TrustCount(reader: reader, rubrics: self.rubrics, rule: self.options.rule,
                                       sparse: TrustCount.isSparse(decisionsThrough: decisions, keys: keys))
            return (decisions: decisions, keys: keys, trust: trust, excluded: excluded)
        }, take: { facts in
            (self.decisionsThrough, self.trustCount, self.excluded) = (facts.decisions, facts.trust, facts.excluded)
            self.layout = ChunkLayout(keys: facts.keys, threads: self.threads)
            if self.options.kind == .preference {
                self.table = LabelTable(stride: self.rubrics.map(\.dimensions.count).max() ?? 0, keys: facts.keys)
            }
            // Judges are measured only when they may decide; the phase is over either way.
            if !facts.trust.measures { self.measured() }
        })
        if let count = trustCount, count.measures {
            try turns.run(&shard.phase, chunks: layout.count, job: { c in
                try count.count(reader, range: self.layout.range(c), &shard.labeler)
            }, take: { self.trustCount?.add($0) }, finish: measured)
        }
        shard.labeler = FinalLabeler(rubrics: rubrics, rule: options.rule, trust: trust)
        switch options.kind {
        case .generatorSFT, .judgeSFT:
            if let balance = options.balance {
                try classifyForBalance(shard, balance)
                try writeSFT(shard, only: chosen, rounds: options.rounds.isEmpty ? nil : roundsRead.sorted())
            } else {
                try writeSFT(shard, only: nil, rounds: selectedRounds)
            }
        case .preference:
            try classifyForPairs(shard)
            try writePairs(shard)
        }
    }

    /// Ends the measuring phase: the trust the counts make.
    private func measured() {
        trust = trustCount?.finish() ?? trust
        phases.append(("measuring judges", Exporter.seconds(started.duration(to: clock.now))))
    }

    private var selectedRounds: [Int]? { options.rounds.isEmpty ? nil : options.rounds }

    private func report(_ phase: String) {
        progress?(ExportProgress(phase: phase, scanned: tally.scanned, rows: queued))
    }

    /// Adds a chunk's counts to the export's.
    private func take(_ counts: ChunkCounts, phase: String) {
        tally.scanned += counts.scanned
        for (k, v) in counts.leftOut { tally.leftOut[k, default: 0] += v }
        for source in ExportRationale.Source.allCases where counts.rationaleSources[source.index] > 0 {
            tally.rationaleSources[source.rawValue, default: 0] += counts.rationaleSources[source.index]
        }
        queued += counts.rows
        if counts.scanned > 0 { report(phase) }
    }

    /// generator-sft and judge-sft: final labels, then rows, chunk by chunk; with `only`, just
    /// those keys (ascending).
    private func writeSFT(_ shard: Shard, only: [Int64]?, rounds: [Int]?) throws {
        let scan = EvidenceScan(tasks: rubrics.map(\.task), rounds: rounds, withSamples: true,
                                withText: options.kind == .judgeSFT)
        try turns.run(&shard.phase, chunks: layout.count, job: { c in
            try shard.writeSFT(scan, range: self.layout.range(c), only: only)
        }, take: { counts in
            try self.writer.write(shard.batch)
            self.take(counts, phase: "writing")
        })
    }

    /// judge-sft rebalanced: the candidates of every chunk, then the choice.
    private func classifyForBalance(_ shard: Shard, _ balance: BalanceOptions) throws {
        let selected = options.rounds
        let earliest = selected.min()
        let reuse = balance.reuse && earliest != nil
        let scan = EvidenceScan(tasks: rubrics.map(\.task), rounds: reuse ? nil : selectedRounds)
        try turns.run(&shard.phase, chunks: layout.count, job: { c in
            var counts = ChunkCounts()
            var candidates: [(pk: Int64, round: Int, judgement: SampleJudgement, base: Bool)] = []
            try shard.reader.forEachSample(scan.within(self.layout.range(c))) { e in
                let base = selected.isEmpty || selected.contains(e.round)
                if base { counts.scanned += 1 }
                if !base, !(reuse && e.round < (earliest ?? 0)) { return }
                guard let j = shard.admitted(e, &counts, base: base) else { return }
                guard j.isComplete else { if base { counts.leave("no_final_label") }; return }
                candidates.append((e.pk, e.round, j, base))
            }
            return (counts, candidates)
        }, take: { result in
            for c in result.1 {
                self.rebalancer?.add(pk: c.pk, round: c.round, judgement: c.judgement, base: c.base)
                if !c.base { self.roundsRead.insert(c.round) }
            }
            self.take(result.0, phase: "classifying")
        }, finish: {
            self.roundsRead.formUnion(selected)
            let choice = self.rebalancer?.choose() ?? (pks: [], report: .null, dropped: 0)
            self.chosen = choice.pks
            self.tally.balance = choice.report
            if choice.dropped > 0 { self.tally.leftOut["balance_dropped"] = choice.dropped }
            self.rebalancer = nil
        })
    }

    /// Preference, pass one (by chunks): the final labels of every pass/fail sample; and, as one
    /// more chunk, where pass two cuts the users.
    private func classifyForPairs(_ shard: Shard) throws {
        let scan = EvidenceScan(tasks: rubrics.map(\.task), rounds: selectedRounds)
        try turns.run(&shard.phase, chunks: layout.count + 1, job: { c -> (ChunkCounts, [(pk: Int64, labels: [FinalLabel?])], [String]?) in
            var counts = ChunkCounts()
            var labelled: [(pk: Int64, labels: [FinalLabel?])] = []
            guard c < self.layout.count else {
                return (counts, labelled, try shard.reader.userSpanStarts(samples: Int(self.layout.size)))
            }
            try shard.reader.forEachSample(scan.within(self.layout.range(c))) { e in
                counts.scanned += 1
                guard let j = shard.admitted(e, &counts) else { return }
                if j.outcome == .undecided { counts.leave("no_final_label"); return }
                labelled.append((e.pk, j.labels))
            }
            return (counts, labelled, nil)
        }, take: { result in
            for (pk, labels) in result.1 { self.table.set(pk, labels) }
            if let starts = result.2 { self.users = UserLayout(starts: starts) }
            self.take(result.0, phase: "classifying")
        })
    }

    /// Preference, pass two (by spans of users, in user order): the pairs of each span's users
    /// (see `Shard.writePairs`), written in span order.
    private func writePairs(_ shard: Shard) throws {
        try turns.run(&shard.phase, chunks: users.count, job: { c in
            try shard.writePairs(self.users.span(c), rounds: self.selectedRounds)
        }, take: { counts in
            try self.writer.write(shard.batch)
            self.take(counts, phase: "pairing")
        })
    }

    /// Why an export wrote nothing, from the counts.
    func whyNothing() -> String {
        if tally.scanned == 0 {
            return "no samples of \(rubrics.map(\.task).joined(separator: ", "))"
                + (options.rounds.isEmpty ? "" : " in round(s) \(options.rounds.map(String.init).joined(separator: ", "))")
        }
        let reasons = tally.leftOut.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.value) \($0.key.replacingOccurrences(of: "_", with: " "))" }
        return "\(tally.scanned) samples read, none qualified (" + reasons.joined(separator: ", ") + ")"
            + (options.rule.trustJudge == nil ? "; without --trust-judge only human labels count" : "")
    }
}

/// What a chunk's reading counted, added to the export's counts in chunk order.
struct ChunkCounts {
    var scanned = 0
    var rows = 0
    var leftOut: [String: Int] = [:]
    /// judge-sft: rationales by source (by `ExportRationale.Source.index`).
    var rationaleSources = [0, 0, 0]

    mutating func leave(_ reason: String) { leftOut[reason, default: 0] += 1 }
}

extension EvidenceScan {
    /// The same scan over the keys in `range` only.
    func within(_ range: ClosedRange<Int64>) -> EvidenceScan {
        var scan = self
        scan.pkRange = range
        return scan
    }
}

/// One reading thread's own things: its reader, labeler and formatter, and the rows of the
/// chunk it read last (written when the chunk's turn comes).
final class Shard {
    let work: ExportWork
    let reader: ExportReader
    /// Phases this thread has run (see `ChunkTurns.run`).
    var phase = 0
    var labeler: FinalLabeler
    let formatter: RowFormatter
    var batch = FormattedBatch()
    /// judge-sft: the target of the row being formatted (escaped, see `VerdictTarget`).
    private var verdictTarget: VerdictTarget
    private var verdict: [UInt8] = []
    /// Preference: the candidates of the user being read (kept for its storage).
    private var pairs = PairGroup()

    init(work: ExportWork, reader: ExportReader) {
        self.work = work; self.reader = reader
        labeler = FinalLabeler(rubrics: work.rubrics, rule: work.options.rule, trust: nil)
        formatter = work.writer.makeFormatter()
        verdictTarget = VerdictTarget(rubrics: work.rubrics)
    }

    /// The judgement of a sample if it passes the exclusion and state filters (counted otherwise).
    func admitted(_ e: SampleEvidence, _ counts: inout ChunkCounts, base: Bool = true) -> SampleJudgement? {
        if base && work.excluded.contains(e.pk) { counts.leave("excluded_exported"); return nil }
        guard let j = labeler.judge(e, reader) else { return nil }
        let states = work.options.states
        if !states.isEmpty && !states.contains(j.state) { if base { counts.leave("state_filter") }; return nil }
        return j
    }

    /// generator-sft and judge-sft: the rows of the samples with keys in `range` into `batch`;
    /// with `only`, just those keys (ascending).
    func writeSFT(_ scan: EvidenceScan, range: ClosedRange<Int64>, only: [Int64]?) throws -> ChunkCounts {
        var counts = ChunkCounts()
        let kind = work.options.kind
        return try fillBatch { out in
            var next = only.map { keys in keys.partitioningIndex(where: { $0 >= range.lowerBound }) } ?? 0
            try reader.forEachSample(scan.within(range)) { e in
                if let only {
                    while next < only.count && only[next] < e.pk { next += 1 }
                    guard next < only.count && only[next] == e.pk else { return }
                } else {
                    counts.scanned += 1
                }
                guard let j = only == nil ? admitted(e, &counts) : labeler.judge(e, reader) else { return }
                switch kind {
                case .generatorSFT:
                    switch j.outcome {
                    case .pass: break
                    case .fail: counts.leave("failed"); return
                    case .undecided: counts.leave("no_final_label"); return
                    }
                case .judgeSFT:
                    guard j.isComplete else { counts.leave("no_final_label"); return }
                    verdictTarget.write(e, j, labeler: &labeler, reader, &counts, to: &verdict)
                case .preference:
                    return
                }
                counts.rows += 1
                let columns = try reader.currentColumns()
                try formatter.formatSFT(columns, task: j.task, userID: e.userID, labels: j.labels, verdict: kind == .judgeSFT ? verdict : nil,
                                        visit: SampleVisit(reader, contextID: columns.contextID), into: &out)
            }
            return counts
        }
    }

    /// Runs `fill` on this shard's batch, emptied first and held in a local meanwhile (no
    /// exclusivity checks on this object's property per row).
    private func fillBatch<R>(_ fill: (inout FormattedBatch) throws -> R) rethrows -> R {
        var out = FormattedBatch()
        swap(&out, &batch)
        defer { swap(&out, &batch) }
        out.reset()
        return try fill(&out)
    }

    // MARK: - Preference pairs

    /// Preference, pass two, for the users of `span` into `batch`: within a user, a task and
    /// one prompt text, passing and failing outputs (by the table pass one made) are paired in
    /// sample order, each output at most once (see `PairGroup`).
    func writePairs(_ span: UserSpan, rounds: [Int]?) throws -> ChunkCounts {
        var counts = ChunkCounts()
        let rubrics = work.rubrics
        let table = work.table
        var group = PairGroup()
        swap(&group, &pairs)
        defer { swap(&group, &pairs) }
        group.removeAll()
        group.user = ""
        return try fillBatch { out in
            var taskCodes: [Int32: Int] = [:]
            try reader.forEachSampleByUser(tasks: rubrics.map(\.task), rounds: rounds, users: span) { pk, taskCode, userID, contextID in
                guard let codes = table.get(pk) else { return }
                if userID != group.user {
                    formatter.writePairs(group, &counts, &out)
                    group.removeAll()
                    group.user = userID
                }
                let t: Int
                if let known = taskCodes[taskCode] { t = known } else {
                    t = rubrics.firstIndex { $0.task == reader.text(taskCode) } ?? -1
                    taskCodes[taskCode] = t
                }
                guard t >= 0 else { return }
                let labels = table.decode(codes, rubric: rubrics[t])
                let passes = labels.allSatisfy { $0 != nil } && labels.enumerated().allSatisfy { d, l in
                    l.map { rubrics[t].dimensions[d].labels[$0.label].passes } ?? false
                }
                // The sample is decoded only when its prompt cannot be read from the stored context
                // or its answer cannot be copied out of the stored body.
                try formatter.addPairSide(try reader.currentColumns(), task: t, labels: labels, passes: passes,
                                          visit: SampleVisit(reader, contextID: contextID), to: &group)
            }
            formatter.writePairs(group, &counts, &out)
            return counts
        }
    }
}

extension Array {
    /// The first index whose element satisfies `belongs` (elements that do must come after
    /// those that do not), or `endIndex`.
    func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
