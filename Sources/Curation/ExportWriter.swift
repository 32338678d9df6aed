// The writing side of an export, in two parts: `RowFormatter`s turn batches of rows into
// bytes (one per thread: decoding, prompts, JSON), and the one `RowWriter` takes the
// formatted batches in order into the split files, the rows to record, the source hash and
// the counts.
import Foundation
import Domain
import Store

/// One batch of rows as bytes, ready to be written in order.
struct FormattedBatch {
    /// JSON Lines per split (index: train, dev, test).
    var lines: [[UInt8]] = [[], [], []]
    /// Spooled row records (see `RowSpool`), in row order.
    var spool: [UInt8] = []
    var spooled = 0
    /// What the rows add to the source hash, in row order.
    var hashInput: [UInt8] = []
    /// Per row: its task, split and labels (a range of `labels`); a pair's rejected side
    /// counts its labels only.
    var counts: [(task: Int, split: Split, labels: Range<Int>, rejected: Range<Int>?)] = []
    var labels: [FinalLabel?] = []

    mutating func count(task: Int, split: Split, _ rowLabels: some Collection<FinalLabel?>, rejected: UnsafeBufferPointer<FinalLabel?>? = nil) {
        let start = labels.count
        labels.append(contentsOf: rowLabels)
        let mid = labels.count
        if let rejected { labels.append(contentsOf: rejected) }
        counts.append((task, split, start..<mid, rejected == nil ? nil : mid..<labels.count))
    }

    mutating func reset() {
        for i in lines.indices { lines[i].removeAll(keepingCapacity: true) }
        spool.removeAll(keepingCapacity: true)
        spooled = 0
        hashInput.removeAll(keepingCapacity: true)
        counts.removeAll(keepingCapacity: true)
        labels.removeAll(keepingCapacity: true)
    }
}

/// Formats rows. Holds caches (prompts, the last user's split), so each thread has its own.
final class RowFormatter: @unchecked Sendable {
    let options: ExportOptions
    let rubrics: [Rubric]
    /// This thread's writer of judge messages (judge-sft).
    private let judgeWriter: (any JudgeMessageWriter)?
    let prompts: [GenerationPrompt]
    private var line: [UInt8] = []
    private var labelsJSON: [UInt8] = []
    private var scratch: [UInt8] = []
    private var prompt: PromptCache
    private var splitCache: (user: String, split: Split)?

    /// Per task, dimension and label: the start of its entry in a recorded row, `"dim":["label",`.
    private let labelEntries: LabelFragments
    /// Per label source (by position): the end of an entry, `"source"]`.
    private let sourceEntries: [[UInt8]]

    init(options: ExportOptions, rubrics: [Rubric], judgePrompts: (any JudgePromptSource)?) {
        self.options = options; self.rubrics = rubrics
        judgeWriter = judgePrompts?.makeWriter(rubrics: rubrics)
        prompts = rubrics.map { GenerationPrompt(rubric: $0, contextBudget: options.contextBudget) }
        prompt = PromptCache(prompts)
        labelEntries = LabelFragments(rubrics: rubrics) { d, l in
            var b: [UInt8] = []
            JSONEscape.append(d.key, to: &b)
            b.append(contentsOf: ":[".utf8)
            JSONEscape.append(l.key, to: &b)
            b.append(UInt8(ascii: ","))
            return b
        }
        sourceEntries = LabelSource.allCases.map { source in
            var b: [UInt8] = []
            JSONEscape.append(source.rawValue, to: &b)
            b.append(UInt8(ascii: "]"))
            return b
        }
    }

    /// Adds the visited sample to its user's preference candidates: its prompt (rendered once
    /// per context when it depends on the context alone, from the stored context), its answer
    /// (copied out of the stored body when it can be), its labels and ids.
    func addPairSide(_ columns: SampleColumns, task t: Int, labels: [FinalLabel?], passes: Bool, visit: SampleVisit,
                     to group: inout PairGroup) throws {
        let prompt: Int
        if prompts[t].dependsOnContextOnly {
            if let known = group.prompt(task: t, context: columns.contextID) { prompt = known } else {
                prompt = try group.addPrompt(task: t, context: columns.contextID) { try self.prompt.appendMessages(t, columns.contextID, visit, to: &$0) }
            }
        } else {
            prompt = try group.addPrompt(task: t, context: nil) { try self.prompt.appendMessages(t, columns.contextID, visit, to: &$0) }
        }
        try group.addSide(task: t, pk: columns.pk, round: columns.round, passes: passes, prompt: prompt, id: columns.id,
                          contentHash: columns.contentHash, labels: labels) { out in
            if !prompts[t].appendTarget(fromBody: columns.bodyUTF8, to: &out) {
                out.append(contentsOf: prompts[t].target(for: try visit.sample()).utf8)
            }
        }
    }

    /// Appends an SFT row of the sample `columns` show (read in place) to `out`. `sample` gives
    /// it decoded: asked for only when the row needs more than its stored body (a judge prompt,
    /// the first row of a context, an answer that cannot be copied from the body).
    /// `verdict` is a judge-sft row's target, escaped as the content of a JSON string.
    func formatSFT(_ columns: SampleColumns, task t: Int, userID: String, labels: [FinalLabel?], verdict: [UInt8]?,
                   visit: SampleVisit, into out: inout FormattedBatch) throws {
        let split = split(userID)
        let s = split.index
        let body = columns.bodyUTF8
        if let verdict, let judgeWriter {
            out.lines[s].append(contentsOf: #"{"messages":["#.utf8)
            try judgeWriter.appendMessages(task: t, contextID: columns.contextID, body: body,
                                           context: { try visit.appendContext(to: &$0) }, sample: { try visit.sample() },
                                           to: &out.lines[s])
            out.lines[s].append(contentsOf: #",{"role":"assistant","content":""#.utf8)
            out.lines[s].append(contentsOf: verdict)
            out.lines[s].append(contentsOf: #""}"#.utf8)
        } else {
            // Most rows repeat the prompt of the row before, and their answer is copied out of
            // the stored body: the sample is then never decoded.
            try prompt.appendHead(t, columns.contextID, visit, to: &out.lines[s])
            scratch.removeAll(keepingCapacity: true)
            if prompts[t].appendTarget(fromBody: body, to: &scratch) {
                scratch.withUnsafeBufferPointer { Self.message("assistant", utf8: $0, &out.lines[s]) }
            } else {
                Self.message("assistant", prompts[t].target(for: try visit.sample()), &out.lines[s])
            }
        }
        let id = columns.id.assumingMemoryBound(to: UInt8.self)
        finishLine(columns.text(columns.id), task: t, round: columns.round, &out.lines[s])
        record(columns.pk, id, columns.contentHash.assumingMemoryBound(to: UInt8.self), t, labels[...], split, pair: nil, &out)
        out.count(task: t, split: split, labels)
    }

    /// Closes the messages of an SFT line and adds its metadata and newline.
    /// `id` is made only when the line carries metadata.
    private func finishLine(_ id: @autoclosure () -> String, task t: Int, round: Int, _ line: inout [UInt8]) {
        line.append(UInt8(ascii: "]"))
        if options.metadata {
            var id = id()
            id.withUTF8 { metadata([("sample_id", $0)], task: t, round: round, &line) }
        }
        line.append(contentsOf: "}\n".utf8)
    }

    /// Pairs the group's sides (see `PairGroup.pairs`) and appends their lines to `out`.
    func writePairs(_ group: PairGroup, _ counts: inout ChunkCounts, _ out: inout FormattedBatch) {
        guard !group.isEmpty else { return }
        let (pairs, unpaired) = group.pairs()
        if unpaired > 0 { counts.leftOut["no_pair", default: 0] += unpaired }
        counts.rows += pairs.count
        let split = split(group.user)
        // The two formats differ only in the JSON around the same messages.
        let (open, chosenKey, rejectedKey) = options.preferenceFormat == .trl
            ? (#"{"prompt":["#, #"],"chosen":["#, #"],"rejected":["#)
            : (#"{"input":{"messages":["#, #"]},"preferred_output":["#, #"],"non_preferred_output":["#)
        group.bytes.withUnsafeBufferPointer { bytes in
            group.labels.withUnsafeBufferPointer { labels in
                for (c, r) in pairs {
                    let chosen = group.sides[c], rejected = group.sides[r]
                    let t = chosen.task
                    func text(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[range]) }
                    line.removeAll(keepingCapacity: true)
                    line.append(contentsOf: open.utf8)
                    line.append(contentsOf: text(group.prompts[chosen.prompt].messages))
                    line.append(contentsOf: chosenKey.utf8)
                    Self.message("assistant", utf8: text(chosen.answer), &line)
                    line.append(contentsOf: rejectedKey.utf8)
                    Self.message("assistant", utf8: text(rejected.answer), &line)
                    line.append(UInt8(ascii: "]"))
                    if options.metadata {
                        metadata([("chosen_id", text(chosen.id)), ("rejected_id", text(rejected.id))], task: t, round: chosen.round, &line)
                    }
                    line.append(contentsOf: "}\n".utf8)
                    out.lines[split.index].append(contentsOf: line)
                    let chosenLabels = labels[chosen.labels], rejectedLabels = labels[rejected.labels]
                    record(chosen.pk, text(chosen.id), text(chosen.contentHash), t, chosenLabels, split,
                           pair: (ExportPairSide(role: .chosen, with: rejected.pk), text(rejected.id)), &out)
                    record(rejected.pk, text(rejected.id), text(rejected.contentHash), t, rejectedLabels, split,
                           pair: (ExportPairSide(role: .rejected, with: chosen.pk), text(chosen.id)), &out)
                    out.count(task: t, split: split, chosenLabels, rejected: UnsafeBufferPointer(rebasing: rejectedLabels))
                }
            }
        }
    }

    private func split(_ user: String) -> Split {
        if let c = splitCache, c.user == user { return c.split }
        let s = options.split.split(userID: user)
        splitCache = (user, s)
        return s
    }

    /// The sample's row to record (its labels as dimension → [label, source]; a pair's side
    /// and partner) and what it adds to the source hash: its id, content hash and labels, a
    /// pair's with `"$pair": [side, the other sample's id]` first.
    private func record(_ pk: Int64, _ id: UnsafeBufferPointer<UInt8>, _ contentHash: UnsafeBufferPointer<UInt8>, _ t: Int,
                        _ labels: some Collection<FinalLabel?>, _ split: Split,
                        pair: (side: ExportPairSide, otherID: UnsafeBufferPointer<UInt8>)?, _ out: inout FormattedBatch) {
        labelsJSON.removeAll(keepingCapacity: true)
        labelsJSON.append(UInt8(ascii: "{"))
        var d = 0
        for l in labels {
            defer { d += 1 }
            guard let l else { continue }
            if labelsJSON.count > 1 { labelsJSON.append(UInt8(ascii: ",")) }
            labelEntries.append(task: t, dimension: d, label: l.label, to: &labelsJSON)
            labelsJSON.append(contentsOf: sourceEntries[l.source.position])
        }
        labelsJSON.append(UInt8(ascii: "}"))
        RowSpool.encode(samplePK: pk, split: split, labels: labelsJSON, pair: pair?.side, into: &out.spool)
        out.spooled += 1
        out.hashInput.append(contentsOf: id)
        out.hashInput.append(0x1F)
        out.hashInput.append(contentsOf: contentHash)
        out.hashInput.append(0x1F)
        if let pair {
            out.hashInput.append(contentsOf: #"{"$pair":["#.utf8)
            JSONEscape.append(pair.side.role.rawValue, to: &out.hashInput)
            out.hashInput.append(UInt8(ascii: ","))
            JSONEscape.append(utf8: pair.otherID, to: &out.hashInput)
            out.hashInput.append(UInt8(ascii: "]"))
            if labelsJSON.count > 2 { out.hashInput.append(UInt8(ascii: ",")) }
            out.hashInput.append(contentsOf: labelsJSON[1...])
        } else {
            out.hashInput.append(contentsOf: labelsJSON)
        }
        out.hashInput.append(0x0A)
    }

    /// Appends the metadata member: the sample ids given (name, UTF-8 text), task and round.
    private func metadata(_ ids: [(String, UnsafeBufferPointer<UInt8>)], task t: Int, round: Int, _ line: inout [UInt8]) {
        line.append(contentsOf: #","metadata":{"#.utf8)
        for (k, v) in ids {
            JSONEscape.append(k, to: &line)
            line.append(UInt8(ascii: ":"))
            JSONEscape.append(utf8: v, to: &line)
            line.append(UInt8(ascii: ","))
        }
        line.append(contentsOf: #""task":"#.utf8)
        JSONEscape.append(rubrics[t].task, to: &line)
        line.append(contentsOf: #","round":\#(round)}"#.utf8)
    }

    static func message(_ role: String, _ content: String, _ out: inout [UInt8]) {
        var content = content
        content.withUTF8 { message(role, utf8: $0, &out) }
    }

    static func message(_ role: String, utf8 content: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) {
        out.append(contentsOf: #"{"role":""#.utf8)
        out.append(contentsOf: role.utf8)
        out.append(contentsOf: #"","content":"#.utf8)
        JSONEscape.append(utf8: content, to: &out)
        out.append(UInt8(ascii: "}"))
    }
}

/// Takes formatted batches, in order, into the split files, the spool of rows to record, the
/// source hash and the counts. Used by one thread at a time (see `ChunkTurns`).
final class RowWriter: @unchecked Sendable {
    let options: ExportOptions
    let rubrics: [Rubric]
    let staging: ExportStaging
    let judgePrompts: (any JudgePromptSource)?
    /// Rows, splits and labels written (the reader counts what it left out).
    var tally: ExportTally
    var sourceHash = ContentHash()
    let spool: RowSpool
    private var files: [Split: BufferedFile] = [:]

    init(options: ExportOptions, rubrics: [Rubric], staging: ExportStaging, judgePrompts: (any JudgePromptSource)?) throws {
        self.options = options; self.rubrics = rubrics; self.staging = staging; self.judgePrompts = judgePrompts
        tally = ExportTally(rubrics: rubrics)
        spool = try RowSpool(path: staging.path(".rows.spool"))
    }

    /// A formatter for one more thread.
    func makeFormatter() -> RowFormatter {
        RowFormatter(options: options, rubrics: rubrics, judgePrompts: judgePrompts)
    }

    func write(_ batch: FormattedBatch) throws {
        for split in Split.allCases where !batch.lines[split.index].isEmpty {
            try file(split).append(contentsOf: batch.lines[split.index])
        }
        try spool.add(records: batch.spool, count: batch.spooled)
        sourceHash.update(batch.hashInput)
        for c in batch.counts {
            tally.add(task: c.task, split: c.split, labels: batch.labels[c.labels])
            if let rejected = c.rejected { tally.countLabels(task: c.task, labels: batch.labels[rejected]) }
        }
    }

    private func file(_ split: Split) throws -> BufferedFile {
        if let f = files[split] { return f }
        let f = try BufferedFile(path: staging.path("\(split.rawValue).jsonl"), writesBack: true)
        files[split] = f
        return f
    }

    /// Flushes and closes the split files; returns the file name of each non-empty split.
    func finishFiles() throws -> [Split: String] {
        var names: [Split: String] = [:]
        for (split, f) in files {
            try f.finish()
            names[split] = "\(split.rawValue).jsonl"
        }
        return names
    }
}

extension Split {
    /// Position in `Split.allCases` (train 0, dev 1, test 2).
    var index: Int { self == .train ? 0 : self == .dev ? 1 : 2 }
}

/// The sample a row is made of, read only as far as a row needs: its stored user context, or
/// the whole sample decoded.
struct SampleVisit {
    let reader: ExportReader
    let contextID: Int64

    init(_ reader: ExportReader, contextID: Int64) { self.reader = reader; self.contextID = contextID }

    func sample() throws -> Sample { try reader.currentSample().sample }
    func appendContext(to bytes: inout [UInt8]) throws { try reader.appendContext(contextID, to: &bytes) }
}

/// Generation prompts by (task, context): the system and user messages (of a preference
/// pair, or in the head of an SFT line), built once per context when the prompt depends on the
/// context only (then straight from the stored context, with no sample decoded).
struct PromptCache {
    let prompts: [GenerationPrompt]
    private var messages: (task: Int, context: Int64, bytes: [UInt8])?
    private var contextText: [UInt8] = []
    private var parts = StoredContext()

    init(_ prompts: [GenerationPrompt]) { self.prompts = prompts }

    /// Appends the system and user messages of (task, context) as chat-message JSON; built
    /// once per context when the prompt depends on it alone.
    mutating func appendMessages(_ t: Int, _ context: Int64, _ visit: SampleVisit, to out: inout [UInt8]) throws {
        if prompts[t].dependsOnContextOnly, let c = messages, c.task == t, c.context == context {
            out.append(contentsOf: c.bytes)
            return
        }
        var text: [UInt8] = []
        try appendUser(t, visit, to: &text)
        var bytes: [UInt8] = []
        RowFormatter.message("system", prompts[t].system, &bytes); bytes.append(UInt8(ascii: ","))
        text.withUnsafeBufferPointer { RowFormatter.message("user", utf8: $0, &bytes) }
        if prompts[t].dependsOnContextOnly { messages = (t, context, bytes) }
        out.append(contentsOf: bytes)
    }

    /// Appends `{"messages":[` with the system and user messages and a comma.
    mutating func appendHead(_ t: Int, _ context: Int64, _ visit: SampleVisit, to out: inout [UInt8]) throws {
        out.append(contentsOf: #"{"messages":["#.utf8)
        try appendMessages(t, context, visit, to: &out)
        out.append(UInt8(ascii: ","))
    }

    /// Appends the user message (UTF-8): from the stored context when the prompt depends on it
    /// alone and it reads, else from the decoded sample.
    private mutating func appendUser(_ t: Int, _ visit: SampleVisit, to out: inout [UInt8]) throws {
        if prompts[t].dependsOnContextOnly {
            contextText.removeAll(keepingCapacity: true)
            try visit.appendContext(to: &contextText)
            let read = contextText.withUnsafeBufferPointer { prompts[t].appendUser(fromContext: $0, parts: &parts, to: &out) }
            if read { return }
        }
        out.append(contentsOf: prompts[t].user(for: try visit.sample()).utf8)
    }
}
