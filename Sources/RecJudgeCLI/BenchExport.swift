import ArgumentParser
import Foundation
import Curation
import Domain
import Store

/// `recjudge bench export`: a synthetic store of N tag samples with human decisions and judge
/// verdicts, then each kind of export timed, with rows/s and resident memory while it runs.
struct BenchExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Build a store of N tag samples with decisions and verdicts, then time each kind of export on it.",
        discussion: """
        Users have 20 tag samples sharing one context of 20 behaviours, rounds 1–3. A share of the
        samples (--human-share, 10% by default, as when people check a sample of a judge run) is
        labelled by one annotator (a fifth of those by two), with comments on some decisions; a replay
        judge has a verdict with a rationale on every dimension of every sample. Exports trust the
        judge (--trust-judge 0.8 --min-human 1000, or half the labelled samples when fewer), so the
        samples no human labelled are exported too. With --dir the store is kept, and a later run with
        the same N and share reuses it. Figures only: nothing here passes or fails on time.
        """)

    @Argument(help: "How many samples.") var count: Int = 1_000_000
    @Option(help: "The rubric folder (tag.yaml has the 4 dimensions).") var rubrics: String = "rubrics"
    @Option(help: "Work folder to keep (default: a new temporary folder, removed afterwards).") var dir: String?
    @Option(help: "Seed of the generator.") var seed: UInt64 = 7
    @Option(help: "Kinds to time, comma-separated.") var kinds: String = "judge-sft,generator-sft,preference"
    @Option(help: "Share of samples labelled by annotators (a fifth of them by two).") var humanShare: Double = 0.1

    func validate() throws {
        if count < 20 { throw ValidationError("count must be at least 20") }
        if !(humanShare >= 0 && humanShare <= 1) { throw ValidationError("--human-share is between 0 and 1") }
        for k in kinds.split(separator: ",") where ExportKind(rawValue: String(k)) == nil {
            throw ValidationError("--kinds takes generator-sft, judge-sft, preference (got '\(Safe.text(String(k)))')")
        }
    }

    func run() throws {
        let fm = FileManager.default
        let folder = try BenchFolder(dir: dir, name: "bench-export", rubricFolder: rubrics, rubrics: ["tag"],
                                     judges: "  - {name: bench-judge, kind: replay}\n")
        defer { folder.close() }
        let work = folder.path
        let (config, store) = try folder.openStore(count: count) { config, store in
            try generate(config: config, store: store, work: work)
        }

        let clock = ContinuousClock()
        for kind in kinds.split(separator: ",").compactMap({ ExportKind(rawValue: String($0)) }) {
            var options = ExportOptions(kind: kind, out: (work as NSString).appendingPathComponent("out-\(kind.rawValue)"))
            // A fresh output folder: deleting an earlier run's gigabyte is not part of exporting.
            try? fm.removeItem(atPath: options.out)
            let labelled = Int(Double(count) * humanShare)
            options.rule = FinalLabelRule(trustJudge: 0.8, minHuman: max(1, min(1000, labelled / 2)), judge: "bench-judge")
            options.command = "recjudge bench export \(count) (\(kind.rawValue))"
            let exporter = Exporter(store: store, session: config, options: options,
                                    judgePrompts: RubricJudgePrompts(contextBudget: 4000))
            let rssBefore = Self.residentMB()
            var rssMax = rssBefore
            var samples: [(scanned: Int, mb: Double)] = []
            var result: ExportResult?
            let elapsed = try clock.measure {
                result = try exporter.run { p in
                    let mb = Self.residentMB()
                    rssMax = max(rssMax, mb)
                    // Progress comes a chunk at a time: note the first report past each 200k.
                    if p.scanned / 200_000 > (samples.last?.scanned ?? 0) / 200_000 { samples.append((p.scanned, mb)) }
                }
            }
            guard let result else { throw Exit.failure }
            let seconds = elapsed.benchSeconds
            let bytes = Split.allCases.reduce(0) { total, s in
                let path = (result.out as NSString).appendingPathComponent("\(s.rawValue).jsonl")
                return total + ((try? fm.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
            }
            say(String(format: "%@: %d rows (%.0f MB) from %d samples in %.2f s: %.0f rows/s, %.0f samples/s",
                       kind.rawValue, result.rows, Double(bytes) / 1e6, count, seconds,
                       Double(result.rows) / seconds, Double(count) / seconds))
            say(String(format: "  resident memory: %.0f MB before, at most %.0f MB while exporting", rssBefore, rssMax)
                + (samples.isEmpty ? "" : " (" + samples.map { String(format: "%dk samples read: %.0f MB", $0.scanned / 1000, $0.mb) }
                    .joined(separator: ", ") + ")"))
            say("  phases: " + result.phases.map { String(format: "%@ %.2f s", $0.name, $0.seconds) }.joined(separator: ", "))
            say("  label sources: " + LabelSource.allCases.compactMap { s in result.labelSources[s].map { "\(s.rawValue) \($0)" } }
                .joined(separator: ", ") + "; left out: " + result.leftOut.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                .joined(separator: ", "))
        }
        say(String(format: "peak RSS of the whole run (generation included): %.0f MB", peakResidentMB()))
    }

    /// Resident memory now (VmRSS), in MB; 0 where /proc is missing.
    static func residentMB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }

    /// Samples through the importer, then decisions and verdicts in batches.
    private func generate(config: SessionConfig, store: Store, work: String) throws {
        guard let rubric = config.rubric(for: "tag") else { throw Exit.badInput }
        let clock = ContinuousClock()
        let file = (work as NSString).appendingPathComponent("samples.jsonl")
        var added = 0
        var elapsed = try clock.measure {
            try writeSamples(to: file)
            added = try Importer(store: store, session: config).importSamples(file: file).added
        }
        try? FileManager.default.removeItem(atPath: file)
        say(String(format: "generated and imported %d samples in %.1f s", added, elapsed.benchSeconds))

        let pks = try store.samplePKs(task: "tag")
        let annotators = ["ann-a", "ann-b", "ann-c"]
        let dims = rubric.dimensions
        var rng = Synthetic.SplitMix64(state: seed)
        func chance(_ p: Double) -> Bool { Double(rng.next() % 1_000_000) / 1_000_000 < p }
        func label(_ d: Domain.Dimension, _ pass: Bool) -> String {
            (pass ? d.labels.first { $0.passes } : d.labels.first { !$0.passes })?.key ?? ""
        }
        let start = 1_748_854_800.0
        var decisions = 0, verdicts = 0
        elapsed = try clock.measure {
            var batch: [DecisionInput] = []
            var calls: [(samplePK: Int64, judgeVersionID: Int64, call: JudgeCallInput, verdicts: [VerdictInput])] = []
            let version = try store.register(JudgeVersion(judge: "bench-judge", kind: "replay", model: "synthetic", task: "tag",
                                                          rubricVersion: rubric.version, params: ["rubric": rubric.fingerprint]))
            for (s, pk) in pks.enumerated() {
                let truth = dims.map { _ in chance(0.97) }
                if Double(s % 1000) < humanShare * 1000 {
                    let who = s % 5 == 0 ? [annotators[s % 3], annotators[(s + 1) % 3]] : [annotators[s % 3]]
                    for (k, annotator) in who.enumerated() {
                        for (d, dim) in dims.enumerated() {
                            let pass = chance(0.95) ? truth[d] : !truth[d]
                            batch.append(DecisionInput(samplePK: pk, dimension: dim.key, annotator: annotator, label: label(dim, pass),
                                                       action: .label, comment: chance(0.05) ? "看过历史行为，判断为\(pass ? "合格" : "不合格")" : nil,
                                                       rubricVersion: rubric.version, time: start + Double(s) * 20 + Double(k)))
                        }
                    }
                }
                calls.append((pk, version, JudgeCallInput(ok: true), dims.enumerated().map { d, dim in
                    let pass = chance(0.92) ? truth[d] : !truth[d]
                    return VerdictInput(dimension: dim.key, label: label(dim, pass), rationale: pass ? "标签与兴趣和历史一致" : "与用户历史不符")
                }))
                if batch.count >= 60_000 { decisions += batch.count; try store.record(batch); batch.removeAll(keepingCapacity: true) }
                if calls.count >= 20_000 {
                    verdicts += calls.count * dims.count
                    try store.recordJudgeCalls(calls); calls.removeAll(keepingCapacity: true)
                }
            }
            decisions += batch.count; try store.record(batch)
            verdicts += calls.count * dims.count; try store.recordJudgeCalls(calls)
        }
        say(String(format: "recorded %d decisions and %d verdicts in %.1f s", decisions, verdicts, elapsed.benchSeconds))
    }

    /// Users of 20 tag samples sharing a context of 20 behaviours, rounds 1–3.
    private func writeSamples(to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw InputError(file: path, line: nil, message: "cannot create")
        }
        defer { try? h.close() }
        var rng = Synthetic.SplitMix64(state: seed)
        func pick(_ a: [String]) -> String { a[Int(rng.next() % UInt64(a.count))] }
        var buf: [UInt8] = []
        var made = 0, user = 0
        while made < count {
            var behaviors: [JSONValue] = []
            for k in 0..<20 {
                let type = pick(Synthetic.types)
                var b = JSONObject()
                let month = 1 + k / 2
                b["time"] = .string("2025-\(month < 10 ? "0" : "")\(month)-\(10 + k % 18)")
                b["type"] = .string(type)
                if type == "search" { b["query"] = .string(pick(Synthetic.modifiers) + pick(Synthetic.cores)) } else {
                    b["item"] = .string(pick(Synthetic.modifiers) + pick(Synthetic.items))
                    b["category"] = .string(pick(Synthetic.categories))
                }
                behaviors.append(.object(b))
            }
            let interests = (0..<3).map { _ in pick(Synthetic.interests) }
            let u = JSONObject([("id", .string("bu\(user)")),
                                ("profile", .object(JSONObject([("age", .number(String(18 + user % 40))), ("city", .string(pick(["杭州", "上海", "北京"])))]))),
                                ("behaviors", .array(behaviors)), ("interests", .array(interests.map { .string($0) }))])
            let outputs: [JSONValue] = (0..<min(20, count - made)).map { t in
                .object(JSONObject([("id", .string("bu\(user)-tag-\(t)")),
                                    ("output", .object(JSONObject([("tag", .string(pick(Synthetic.modifiers) + pick(Synthetic.cores))),
                                                                   ("interest", .string(interests[t % 3])),
                                                                   ("reason", .string("近期多次浏览相关商品并加购"))])))]))
            }
            made += outputs.count
            let line = JSONObject([("task", .string("tag")), ("user", .object(u)), ("outputs", .array(outputs)),
                                   ("generator", .object(JSONObject([("model", .string("qwen3-14b-sft")), ("round", .number(String(1 + user % 3)))])))])
            JSONValue.object(line).write(into: &buf, canonical: false)
            buf.append(0x0A)
            if buf.count > 4 << 20 { h.write(Data(buf)); buf.removeAll(keepingCapacity: true) }
            user += 1
        }
        h.write(Data(buf))
    }
}

private extension Duration {
    var benchSeconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
