// `recjudge export`: final labels → training sets in a staging folder → recorded in the
// store and put in place by rename, all or nothing.
import Foundation
import Domain
import Store

/// Renders the judge prompt of a rubric for a sample (the Judges module's renderer, handed in
/// by the caller: curation does not depend on judges).
/// Used by every formatting thread at once: an implementation must be safe for that.
public protocol JudgePromptSource: Sendable {
    /// The system and user messages a judge is sent for `sample` under `rubric`.
    /// `contextID` is the same for samples that share one stored user context, so that what
    /// depends on the context alone may be rendered once.
    func judgeMessages(for sample: Sample, rubric: Rubric, contextID: Int64) -> (system: String, user: String)
    /// What the manifest says about how prompts were rendered (e.g. the context budget).
    var manifestDescription: JSONObject { get }
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
    /// recording in the store (with manifest, card and rename).
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
            try store.readExport { reader in try work.produce(reader) }
            let tally = work.finalTally()
            guard tally.rows > 0 else { throw ExportError.nothingToExport(work.whyNothing()) }
            let files = try work.writer.finishFiles()
            work.phases.append(("reading and writing the sets", Self.seconds(started.duration(to: clock.now)) - (work.phases.first?.seconds ?? 0)))
            started = clock.now
            let createdAt = Date()
            var manifestText = ""
            let id = try store.recordExport(kind: options.kind.rawValue, out: staging.out, command: options.command, rows: { add in
                try work.writer.spool.forEach { pk, split, labels in try add(pk, split.rawValue, labels) }
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

/// The reading side of one export: the snapshot is read, final labels decided and rows handed
/// to the writer through a `RowPipeline`.
final class ExportWork {
    let options: ExportOptions
    let rubrics: [Rubric]
    let progress: ((ExportProgress) -> Void)?
    let writer: RowWriter
    /// What the reader counts: samples read, left out and why, rationales, rebalancing.
    var tally: ExportTally
    var trust = JudgeTrust(entries: [], positions: [], rubrics: [])
    var decisionsThrough: Int64 = 0
    var phases: [(name: String, seconds: Double)] = []
    private var excluded = PKSet()
    private var queued = 0
    /// The context whose JSON the writer was last sent (it decodes samples in order).
    private var lastContextSent: Int64 = -1
    private var prompt: PromptCache

    init(options: ExportOptions, rubrics: [Rubric], staging: ExportStaging, judgePrompts: (any JudgePromptSource)?,
         progress: ((ExportProgress) -> Void)?) throws {
        self.options = options; self.rubrics = rubrics; self.progress = progress
        writer = try RowWriter(options: options, rubrics: rubrics, staging: staging, judgePrompts: judgePrompts)
        tally = ExportTally(rubrics: rubrics)
        prompt = PromptCache(rubrics.map { GenerationPrompt(rubric: $0, contextBudget: options.contextBudget) })
    }

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

    func produce(_ reader: ExportReader) throws {
        decisionsThrough = try reader.decisionsThrough()
        let clock = ContinuousClock()
        let started = clock.now
        trust = try JudgeTrust.measure(reader: reader, rubrics: rubrics, rule: options.rule)
        phases.append(("measuring judges", Exporter.seconds(started.duration(to: clock.now))))
        let kinds = options.excludeExported ? [options.kind.rawValue] : []
        try reader.exportedSamplePKs(kinds: kinds, exportIDs: options.excludeExports) { excluded.insert($0) }
        let pipeline = RowPipeline(writer: writer)
        do {
            switch options.kind {
            case .generatorSFT, .judgeSFT:
                if let balance = options.balance {
                    try produceBalanced(reader, balance, pipeline)
                } else {
                    try produceSFT(reader, only: nil, rounds: selectedRounds, pipeline)
                }
            case .preference:
                try producePreference(reader, pipeline)
            }
            try pipeline.finish()
        } catch {
            pipeline.abandon()
            throw error
        }
    }

    private var selectedRounds: [Int]? { options.rounds.isEmpty ? nil : options.rounds }

    /// The judgement of a sample if it passes the exclusion and state filters (counted otherwise).
    private func admitted(_ e: SampleEvidence, _ labeler: inout FinalLabeler, _ reader: ExportReader,
                          base: Bool = true) -> SampleJudgement? {
        if base && excluded.contains(e.pk) { tally.leave("excluded_exported"); return nil }
        guard let j = labeler.judge(e, reader) else { return nil }
        if !options.states.isEmpty && !options.states.contains(j.state) { if base { tally.leave("state_filter") }; return nil }
        return j
    }

    private func report(_ phase: String) {
        if let progress, tally.scanned % 20_000 == 0 { progress(ExportProgress(phase: phase, scanned: tally.scanned, rows: queued)) }
    }

    /// generator-sft and judge-sft: one streaming pass; with `only`, just those keys (ascending).
    private func produceSFT(_ reader: ExportReader, only: [Int64]?, rounds: [Int]?, _ pipeline: RowPipeline) throws {
        var labeler = FinalLabeler(rubrics: rubrics, rule: options.rule, trust: trust)
        var next = 0
        let scan = EvidenceScan(tasks: rubrics.map(\.task), rounds: rounds, withSamples: true,
                                withText: options.kind == .judgeSFT)
        try reader.forEachSample(scan) { e in
            if let only {
                while next < only.count && only[next] < e.pk { next += 1 }
                guard next < only.count && only[next] == e.pk else { return }
            } else {
                tally.scanned += 1
                report("writing")
            }
            guard let j = only == nil ? admitted(e, &labeler, reader) : labeler.judge(e, reader) else { return }
            var verdict: [UInt8]?
            switch options.kind {
            case .generatorSFT:
                switch j.outcome {
                case .pass: break
                case .fail: tally.leave("failed"); return
                case .undecided: tally.leave("no_final_label"); return
                }
            case .judgeSFT:
                guard j.isComplete else { tally.leave("no_final_label"); return }
                verdict = self.verdict(e, j, &labeler, reader)
            case .preference:
                return
            }
            queued += 1
            let withContext = e.contextID != lastContextSent || pipeline.startsBatch
            lastContextSent = e.contextID
            try pipeline.sendSFT(task: j.task, round: e.round, userID: e.userID, labels: j.labels, verdict: verdict) {
                try reader.appendCurrentSample(withContext: withContext, to: &$0)
            }
        }
    }

    /// judge-sft rebalanced: classify candidates, choose, then write the chosen.
    private func produceBalanced(_ reader: ExportReader, _ balance: BalanceOptions, _ pipeline: RowPipeline) throws {
        var labeler = FinalLabeler(rubrics: rubrics, rule: options.rule, trust: trust)
        var rebalancer = Rebalancer(options: balance, rubrics: rubrics)
        let selected = options.rounds
        let earliest = selected.min()
        let reuse = balance.reuse && earliest != nil
        var roundsRead: Set<Int> = Set(selected)
        try reader.forEachSample(EvidenceScan(tasks: rubrics.map(\.task), rounds: reuse ? nil : selectedRounds)) { e in
            let base = selected.isEmpty || selected.contains(e.round)
            if base { tally.scanned += 1; report("classifying") }
            if !base, !(reuse && e.round < (earliest ?? 0)) { return }
            guard let j = admitted(e, &labeler, reader, base: base) else { return }
            guard j.isComplete else { if base { tally.leave("no_final_label") }; return }
            rebalancer.add(pk: e.pk, round: e.round, judgement: j, base: base)
            if !base { roundsRead.insert(e.round) }
        }
        let choice = rebalancer.choose()
        tally.balance = choice.report
        if choice.dropped > 0 { tally.leftOut["balance_dropped"] = choice.dropped }
        try produceSFT(reader, only: choice.pks, rounds: selected.isEmpty ? nil : roundsRead.sorted(), pipeline)
    }

    // MARK: - Preference pairs

    private struct PairCandidate {
        var passes: Bool
        /// Equal for samples with the same task and prompt text.
        var promptKey: PromptKey
        var side: PairSide
    }

    /// A task and its prompt: the context when the prompt depends on it alone, else a 128-bit
    /// hash of the text.
    private struct PromptKey: Hashable {
        var task: Int
        var context: Int64
        var textHash: String?
    }

    /// Pass one (sample order): final labels of every pass/fail sample into a compact table.
    /// Pass two (user order): within a user, a task and one prompt text, passing and failing
    /// outputs are paired in sample order, each output at most once.
    private func producePreference(_ reader: ExportReader, _ pipeline: RowPipeline) throws {
        var labeler = FinalLabeler(rubrics: rubrics, rule: options.rule, trust: trust)
        let extent = try reader.sampleExtent()
        var table = LabelTable(stride: rubrics.map(\.dimensions.count).max() ?? 0, maxPK: extent.maxPK, count: extent.count)
        try reader.forEachSample(EvidenceScan(tasks: rubrics.map(\.task), rounds: selectedRounds)) { e in
            tally.scanned += 1
            report("classifying")
            guard let j = admitted(e, &labeler, reader) else { return }
            if j.outcome == .undecided { tally.leave("no_final_label"); return }
            table.set(e.pk, j.labels)
        }
        var group: [PairCandidate] = []
        var groupUser = ""
        var taskCodes: [Int32: Int] = [:]
        try reader.forEachSampleByUser(tasks: rubrics.map(\.task), rounds: selectedRounds) { pk, taskCode, userID, contextID in
            guard let codes = table.get(pk) else { return }
            if userID != groupUser { try flushPairs(&group, pipeline); groupUser = userID }
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
            // The sample is decoded only when its prompt is not at hand or its answer cannot be
            // copied out of the stored body.
            let fields = try reader.currentSampleFields()
            var decoded: StoredSample?
            func sample() throws -> Sample {
                if let decoded { return decoded.sample }
                let s = try reader.currentSample()
                decoded = s
                return s.sample
            }
            let user = try prompt.cachedUser(t, contextID) ?? prompt.user(t, contextID, sample())
            let answer = try fields.body.withUnsafeBufferPointer { prompt.prompts[t].target(fromBody: $0) }
                ?? prompt.prompts[t].target(for: sample())
            let key = prompt.prompts[t].dependsOnContextOnly ? PromptKey(task: t, context: contextID, textHash: nil)
                : PromptKey(task: t, context: -1, textHash: ContentHash.hex(user))
            group.append(PairCandidate(passes: passes, promptKey: key, side: PairSide(
                task: t, pk: pk, id: fields.id, userID: userID, contentHash: fields.contentHash, round: fields.round,
                labels: labels, user: user, answer: answer)))
        }
        try flushPairs(&group, pipeline)
    }

    private func flushPairs(_ group: inout [PairCandidate], _ pipeline: RowPipeline) throws {
        defer { group.removeAll(keepingCapacity: true) }
        guard !group.isEmpty else { return }
        var order: [PromptKey] = []
        var byPrompt: [PromptKey: (passes: [Int], fails: [Int])] = [:]
        for (i, c) in group.enumerated() {
            let key = c.promptKey
            if byPrompt[key] == nil { order.append(key); byPrompt[key] = ([], []) }
            if c.passes { byPrompt[key]?.passes.append(i) } else { byPrompt[key]?.fails.append(i) }
        }
        for key in order {
            guard let sides = byPrompt[key] else { continue }
            let pairs = min(sides.passes.count, sides.fails.count)
            let unpaired = sides.passes.count + sides.fails.count - 2 * pairs
            if unpaired > 0 { tally.leftOut["no_pair", default: 0] += unpaired }
            for k in 0..<pairs {
                queued += 1
                try pipeline.sendPair(chosen: group[sides.passes[k]].side, rejected: group[sides.fails[k]].side)
            }
        }
    }

    /// The verdict JSON a judge should have answered: per dimension, in the rubric's order,
    /// the final label and a rationale (see `ExportRationale`).
    private func verdict(_ e: SampleEvidence, _ j: SampleJudgement, _ labeler: inout FinalLabeler, _ reader: ExportReader) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        let dims = rubrics[j.task].dimensions
        for (d, l) in j.labels.enumerated() {
            guard let l else { continue }
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            let (rationale, source) = ExportRationale.choose(e, task: j.task, dimension: d, label: l, labeler: &labeler, reader)
            tally.rationaleSources[source, default: 0] += 1
            JSONEscape.append(dims[d].key, to: &out)
            out.append(contentsOf: #":{"label":"#.utf8)
            JSONEscape.append(dims[d].labels[l.label].key, to: &out)
            out.append(contentsOf: #","rationale":"#.utf8)
            JSONEscape.append(rationale, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "}"))
        return out
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
