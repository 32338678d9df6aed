import ArgumentParser
import Foundation
import Curation
import Domain
import Store

/// `recjudge bench stats`: a synthetic store of N tag samples × 4 dimensions × 3 annotators
/// + 1 judge, then the full agreement report, timed reading and computing apart.
struct BenchStats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Build a store of N samples × 4 dimensions × 3 annotators + 1 judge and time `stats` on it.",
        discussion: """
        Samples are imported through the importer; decisions and verdicts are written through the
        store's batch APIs (one transaction per batch). With --dir the store is kept, and a later run
        with the same N reuses it. Figures only: nothing here passes or fails on time.
        """)

    @Argument(help: "How many samples.") var count: Int = 1_000_000
    @Option(help: "The rubric folder (tag.yaml has the 4 dimensions).") var rubrics: String = "rubrics"
    @Option(help: "Work folder to keep (default: a new temporary folder, removed afterwards).") var dir: String?
    @Option(help: "Seed of the generator.") var seed: UInt64 = 42
    @Option(help: "Timed runs; the median is reported.") var repetitions: Int = 3

    func validate() throws {
        if count < 1 { throw ValidationError("count must be at least 1") }
        if repetitions < 1 { throw ValidationError("--repetitions must be at least 1") }
    }

    func run() throws {
        let folder = try BenchFolder(dir: dir, name: "bench-stats", rubricFolder: rubrics, rubrics: ["tag"],
                                     judges: "  - {name: bench-judge, kind: replay}\n")
        defer { folder.close() }
        let work = folder.path
        let (config, store) = try folder.openStore(count: count) { config, store in
            try generate(config: config, store: store, work: work)
        }

        var options = AgreementOptions()
        /// Wall-clock and CPU seconds of `body` (the CPU time is what an idle machine would take:
        /// the work is single-threaded, and other processes only stretch the wall clock).
        func measure(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
            let cpu0 = cpuSeconds(), wall0 = Date()
            try body()
            return (Date().timeIntervalSince(wall0), cpuSeconds() - cpu0)
        }
        func median(_ runs: [(wall: Double, cpu: Double)]) -> (wall: Double, cpu: Double) {
            (runs.map(\.wall).sorted()[runs.count / 2], runs.map(\.cpu).sorted()[runs.count / 2])
        }
        var readRuns: [(wall: Double, cpu: Double)] = [], computeRuns = readRuns, weekRuns = readRuns, jsonRuns = readRuns
        var report: AgreementReport?
        for _ in 0..<repetitions {
            var input: AgreementInput?
            readRuns.append(try measure { input = try AgreementReport.read(store: store, session: config, options: options) })
            guard let input else { throw Exit.failure }
            computeRuns.append(try measure { report = try AgreementReport(input, options: options) })
            options.grouping = .week
            weekRuns.append(try measure { _ = try AgreementReport(input, options: options) })
            options.grouping = nil
            if let report { jsonRuns.append(measure { _ = report.json() }) }
        }
        guard let report, let task = report.tasks.first, let all = task.dimensions.last else { throw Exit.failure }
        let read = median(readRuns), compute = median(computeRuns), week = median(weekRuns), json = median(jsonRuns)
        func line(_ what: String, _ t: (wall: Double, cpu: Double)) -> String {
            "  \(what) " + String(format: "%.3f s (CPU %.3f s)", t.wall, t.cpu)
        }
        say(String(format: "stats over %d samples × %d dimensions × %d annotators + %d judge (median of %d runs; machine load %.1f):",
                   task.samples, task.dimensions.count - 1, task.annotators.count, all.judges.count, repetitions, loadAverage()))
        say(line("computing every statistic (target ≤ 2 s):", compute))
        say(line("reading the store (one snapshot, streaming):", read))
        say(line("reading + computing:", (read.wall + compute.wall, read.cpu + compute.cpu)))
        say(line("computing with --by week:", week))
        say(line("the JSON text:", json))
        say(String(format: "  peak RSS %.0f MB", peakResidentMB()))
        say("  bootstrap intervals: only on tables of at most \(options.bootstrapMaxItems) items (Wilson intervals on every proportion)")
        for d in task.dimensions {
            let j = d.judges.first
            func f(_ figure: Figure?) -> String { figure?.value.map { String(format: "%.3f", $0) } ?? "undefined" }
            say("  \(d.isAll ? "every dimension" : d.dimension): items \(d.items), α \(f(d.humans.krippendorffsAlpha)), "
                + "judge ACC \(f(j?.accuracy)) F1 \(f(j?.f1)) κ \(f(j?.cohensKappa))")
        }
    }

    /// Samples through the importer, then decisions and verdicts in batches.
    private func generate(config: SessionConfig, store: Store, work: String) throws {
        guard let rubric = config.rubric(for: "tag") else { throw Exit.badInput }
        let clock = ContinuousClock()
        let file = (work as NSString).appendingPathComponent("samples.jsonl")
        var elapsed = try clock.measure {
            try writeSamples(to: file)
            _ = try Importer(store: store, session: config).importSamples(file: file)
        }
        try? FileManager.default.removeItem(atPath: file)
        say(String(format: "imported %d samples in %.1f s", count, elapsed.seconds))

        let pks = try store.samplePKs(task: "tag")
        let annotators = ["ann-a", "ann-b", "ann-c"]
        let dims = rubric.dimensions
        var rng = Synthetic.SplitMix64(state: seed)
        // Per sample and dimension: a true pass (80%); annotators copy it 90% of the time, the judge 85%.
        func label(_ d: Domain.Dimension, truth: Bool, copies: Double) -> String {
            let pass = Double(rng.next() % 10_000) / 10_000 < copies ? truth : rng.next() % 2 == 0
            return (pass ? d.labels.first { $0.passes } : d.labels.first { !$0.passes })?.key ?? ""
        }
        let start = 1_748_854_800.0  // 2025-06-02 09:00 UTC, a Monday
        var truths = [Bool](repeating: true, count: pks.count * dims.count)
        for i in truths.indices { truths[i] = rng.next() % 10 < 8 }
        elapsed = try clock.measure {
            var batch: [DecisionInput] = []
            batch.reserveCapacity(60_000)
            for (s, pk) in pks.enumerated() {
                for (k, annotator) in annotators.enumerated() {
                    // Each annotator works through the queue at about 20 s an item, weeks apart in places.
                    let time = start + Double(s) * 20 + Double(k) * 3 + Double(rng.next() % 1000) / 1000
                    for (d, dim) in dims.enumerated() {
                        let l = label(dim, truth: truths[s * dims.count + d], copies: 0.9)
                        batch.append(DecisionInput(samplePK: pk, dimension: dim.key, annotator: annotator, label: l,
                                                   action: .label, rubricVersion: rubric.version, time: time))
                    }
                }
                if batch.count >= 60_000 { try store.record(batch); batch.removeAll(keepingCapacity: true) }
            }
            try store.record(batch)
        }
        say(String(format: "recorded %d decisions in %.1f s", pks.count * dims.count * annotators.count, elapsed.seconds))

        elapsed = try clock.measure {
            let version = try store.register(JudgeVersion(judge: "bench-judge", kind: "replay", model: "synthetic", task: "tag",
                                                          rubricVersion: rubric.version, params: ["rubric": rubric.fingerprint]))
            var calls: [(samplePK: Int64, judgeVersionID: Int64, call: JudgeCallInput, verdicts: [VerdictInput])] = []
            for (s, pk) in pks.enumerated() {
                let verdicts = dims.enumerated().map { d, dim in
                    VerdictInput(dimension: dim.key, label: label(dim, truth: truths[s * dims.count + d], copies: 0.85))
                }
                calls.append((pk, version, JudgeCallInput(ok: true), verdicts))
                if calls.count >= 20_000 { try store.recordJudgeCalls(calls); calls.removeAll(keepingCapacity: true) }
            }
            try store.recordJudgeCalls(calls)
        }
        say(String(format: "recorded %d verdicts in %.1f s", pks.count * dims.count, elapsed.seconds))
    }

    /// Tag samples, 50 per user context with one behaviour each (the context is not what is measured).
    private func writeSamples(to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw InputError(file: path, line: nil, message: "cannot create")
        }
        defer { try? h.close() }
        var buf = ""
        var made = 0, user = 0
        while made < count {
            let n = min(50, count - made)
            let outputs = (0..<n).map { #"{"id":"bs\#(made + $0)","output":{"tag":"轻量防水登山鞋\#($0)","interest":"户外徒步"}}"# }
            buf += #"{"task":"tag","user":{"id":"bu\#(user)","behaviors":[{"time":"2025-06-01","type":"search","query":"登山鞋"}],"interests":["户外徒步"]},"outputs":["#
                + outputs.joined(separator: ",") + "]}\n"
            made += n; user += 1
            if buf.utf8.count > 4 << 20 { h.write(Data(buf.utf8)); buf = "" }
        }
        h.write(Data(buf.utf8))
    }
}

extension BenchStats {
    /// CPU seconds this process has used.
    private func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// The one-minute load average, or 0 when unknown.
    private func loadAverage() -> Double {
        var loads = [Double](repeating: 0, count: 3)
        return getloadavg(&loads, 3) > 0 ? loads[0] : 0
    }
}

private extension Duration {
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
