// The writing side of an export: JSON Lines per split, the rows to record, the source hash
// and the counts. Used by one thread at a time (see `RowPipeline`).
import Foundation
import Domain
import Store

final class RowWriter: @unchecked Sendable {
    let options: ExportOptions
    let rubrics: [Rubric]
    let staging: ExportStaging
    let judgePrompts: (any JudgePromptSource)?
    let prompts: [GenerationPrompt]
    /// Rows, splits and labels written (the reader counts what it left out).
    var tally: ExportTally
    var sourceHash = ContentHash()
    let spool: RowSpool
    private var files: [Split: BufferedFile] = [:]
    private var line: [UInt8] = []
    private var labelsJSON: [UInt8] = []
    private var prompt: PromptCache
    private var splitCache: (user: String, split: Split)?
    private var decoder = SampleDecoder()

    init(options: ExportOptions, rubrics: [Rubric], staging: ExportStaging, judgePrompts: (any JudgePromptSource)?) throws {
        self.options = options; self.rubrics = rubrics; self.staging = staging; self.judgePrompts = judgePrompts
        prompts = rubrics.map { GenerationPrompt(rubric: $0, contextBudget: options.contextBudget) }
        prompt = PromptCache(prompts)
        tally = ExportTally(rubrics: rubrics)
        spool = try RowSpool(path: staging.path(".rows.spool"))
    }

    func write(_ job: RowJob) throws {
        switch job {
        case .sft(let row): try writeSFT(row)
        case .pair(let chosen, let rejected): try writePair(chosen: chosen, rejected: rejected)
        }
    }

    private func writeSFT(_ row: SFTRow) throws {
        let t = row.task
        let stored = try decoder.decode(row.sample)
        let sample = stored.sample
        let split = split(sample.userID)
        line.removeAll(keepingCapacity: true)
        if let verdict = row.verdict, let judgePrompts {
            let (system, user) = judgePrompts.judgeMessages(for: sample, rubric: rubrics[t], contextID: row.contextID)
            line.append(contentsOf: #"{"messages":["#.utf8)
            Self.message("system", system, &line); line.append(UInt8(ascii: ","))
            Self.message("user", user, &line); line.append(UInt8(ascii: ","))
            Self.message("assistant", verdict, &line)
        } else {
            prompt.appendHead(t, row.contextID, sample, to: &line)
            Self.message("assistant", prompts[t].target(for: sample), &line)
        }
        line.append(UInt8(ascii: "]"))
        if options.metadata { metadata(["sample_id": sample.id], task: t, round: row.round) }
        line.append(contentsOf: "}\n".utf8)
        try file(split).append { $0.append(contentsOf: line) }
        try record(stored, t, row.labels, split, pair: nil)
        tally.add(task: t, split: split, labels: row.labels)
    }

    private func writePair(chosen: PairSide, rejected: PairSide) throws {
        let t = chosen.task
        let split = split(chosen.sample.sample.userID)
        let system = prompts[t].system
        line.removeAll(keepingCapacity: true)
        if options.preferenceFormat == .trl {
            line.append(contentsOf: #"{"prompt":["#.utf8)
            Self.message("system", system, &line); line.append(UInt8(ascii: ","))
            Self.message("user", chosen.user, &line)
            line.append(contentsOf: #"],"chosen":["#.utf8)
            Self.message("assistant", chosen.answer, &line)
            line.append(contentsOf: #"],"rejected":["#.utf8)
            Self.message("assistant", rejected.answer, &line)
        } else {
            line.append(contentsOf: #"{"input":{"messages":["#.utf8)
            Self.message("system", system, &line); line.append(UInt8(ascii: ","))
            Self.message("user", chosen.user, &line)
            line.append(contentsOf: #"]},"preferred_output":["#.utf8)
            Self.message("assistant", chosen.answer, &line)
            line.append(contentsOf: #"],"non_preferred_output":["#.utf8)
            Self.message("assistant", rejected.answer, &line)
        }
        line.append(UInt8(ascii: "]"))
        if options.metadata {
            metadata(["chosen_id": chosen.sample.sample.id, "rejected_id": rejected.sample.sample.id], task: t,
                     round: chosen.sample.sample.generatorRound ?? 0)
        }
        line.append(contentsOf: "}\n".utf8)
        try file(split).append { $0.append(contentsOf: line) }
        try record(chosen.sample, t, chosen.labels, split, pair: ("chosen", rejected.sample.sample.id))
        try record(rejected.sample, t, rejected.labels, split, pair: ("rejected", chosen.sample.sample.id))
        tally.add(task: t, split: split, labels: chosen.labels)
        tally.countLabels(task: t, labels: rejected.labels)
    }

    private func split(_ user: String) -> Split {
        if let c = splitCache, c.user == user { return c.split }
        let s = options.split.split(userID: user)
        splitCache = (user, s)
        return s
    }

    private func file(_ split: Split) throws -> BufferedFile {
        if let f = files[split] { return f }
        let f = try BufferedFile(path: staging.path("\(split.rawValue).jsonl"))
        files[split] = f
        return f
    }

    /// Spools the sample's row (its labels as dimension → [label, source]) and adds it to the
    /// source hash.
    private func record(_ sample: StoredSample, _ t: Int, _ labels: [FinalLabel?], _ split: Split,
                        pair: (role: String, with: String)?) throws {
        labelsJSON.removeAll(keepingCapacity: true)
        labelsJSON.append(UInt8(ascii: "{"))
        if let pair {
            labelsJSON.append(contentsOf: #""$pair":["#.utf8)
            JSONText.append(pair.role, to: &labelsJSON)
            labelsJSON.append(UInt8(ascii: ","))
            JSONText.append(pair.with, to: &labelsJSON)
            labelsJSON.append(UInt8(ascii: "]"))
        }
        let dims = rubrics[t].dimensions
        for (d, l) in labels.enumerated() {
            guard let l else { continue }
            if labelsJSON.count > 1 { labelsJSON.append(UInt8(ascii: ",")) }
            JSONText.append(dims[d].key, to: &labelsJSON)
            labelsJSON.append(contentsOf: ":[".utf8)
            JSONText.append(dims[d].labels[l.label].key, to: &labelsJSON)
            labelsJSON.append(contentsOf: #",""#.utf8)
            labelsJSON.append(contentsOf: l.source.rawValue.utf8)
            labelsJSON.append(contentsOf: #""]"#.utf8)
        }
        labelsJSON.append(UInt8(ascii: "}"))
        try spool.add(samplePK: sample.pk, split: split, labels: labelsJSON)
        sourceHash.update(sample.sample.id)
        sourceHash.update([0x1F])
        sourceHash.update(sample.contentHash)
        sourceHash.update([0x1F])
        sourceHash.update(labelsJSON)
        sourceHash.update([0x0A])
    }

    private func metadata(_ ids: KeyValuePairs<String, String>, task t: Int, round: Int) {
        line.append(contentsOf: #","metadata":{"#.utf8)
        for (k, v) in ids {
            JSONText.append(k, to: &line)
            line.append(UInt8(ascii: ":"))
            JSONText.append(v, to: &line)
            line.append(UInt8(ascii: ","))
        }
        line.append(contentsOf: #""task":"#.utf8)
        JSONText.append(rubrics[t].task, to: &line)
        line.append(contentsOf: #","round":\#(round)}"#.utf8)
    }

    static func message(_ role: String, _ content: String, _ out: inout [UInt8]) {
        out.append(contentsOf: #"{"role":""#.utf8)
        out.append(contentsOf: role.utf8)
        out.append(contentsOf: #"","content":"#.utf8)
        JSONText.append(content, to: &out)
        out.append(UInt8(ascii: "}"))
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

/// Generation prompts by (task, context): the user message, and the messages head of an SFT
/// line, built once per context when the prompt depends on the context only.
struct PromptCache {
    let prompts: [GenerationPrompt]
    private var user: (task: Int, context: Int64, text: String)?
    private var head: (task: Int, context: Int64, bytes: [UInt8])?

    init(_ prompts: [GenerationPrompt]) { self.prompts = prompts }

    mutating func user(_ t: Int, _ context: Int64, _ sample: Sample) -> String {
        guard prompts[t].dependsOnContextOnly else { return prompts[t].user(for: sample) }
        if let c = user, c.task == t, c.context == context { return c.text }
        let text = prompts[t].user(for: sample)
        user = (t, context, text)
        return text
    }

    /// Appends `{"messages":[` with the system and user messages and a comma.
    mutating func appendHead(_ t: Int, _ context: Int64, _ sample: Sample, to out: inout [UInt8]) {
        if prompts[t].dependsOnContextOnly, let c = head, c.task == t, c.context == context {
            out.append(contentsOf: c.bytes)
            return
        }
        var bytes = Array(#"{"messages":["#.utf8)
        RowWriter.message("system", prompts[t].system, &bytes); bytes.append(UInt8(ascii: ","))
        RowWriter.message("user", user(t, context, sample), &bytes); bytes.append(UInt8(ascii: ","))
        if prompts[t].dependsOnContextOnly { head = (t, context, bytes) }
        out.append(contentsOf: bytes)
    }
}
