import ArgumentParser
import Foundation
import Domain
import Store
import TerminalKit
import Workbench

/// `recjudge bench label`: the label screen on a large store, with no terminal.
struct BenchLabel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Time the label screen on a store of N tag samples with 3 verdicts per sample on average.",
        discussion: """
        Builds (once per --dir) a session of N synthetic tag samples imported through the
        importer, and one rules-judge version with verdicts on the first 3N/4 samples (4
        dimensions each: 3N verdicts). Then, in a fresh process so that memory reflects the
        workbench alone, it opens the label screen as `recjudge label` does — session, store,
        judge version, queue, claim, first sample, first frame — and presses keys through the
        same update, store and render path the screen uses, with no terminal: next, accept and
        override, timing each from key to finished 80×24 frame. Accepts and overrides include
        their store write (one transaction, synchronous=FULL) because the frame that follows
        says "saved". Figures only: nothing here passes or fails on time.
        """)

    @Argument(help: "How many samples.") var count: Int = 1_000_000
    @Option(help: "The rubric folder.") var rubrics: String = "rubrics"
    @Option(help: "Work folder to keep and reuse (default: a new temporary folder, removed afterwards).") var dir: String?
    @Option(help: "Keys of each kind to time.") var keys: Int = 2000
    @Option(help: "Seed of the generator.") var seed: UInt64 = 42
    @Flag(help: .hidden) var measureOnly = false

    func run() async throws {
        if measureOnly, let dir {
            try await MainActor.run { try measure(dir) }
            return
        }
        let folder = try BenchFolder(dir: dir, name: "bench-label", rubricFolder: rubrics, rubrics: ["tag"])
        defer { folder.close() }
        let work = folder.path
        try build(work)
        // Measure in a child process: the build's memory must not count.
        guard let me = Bundle.main.executablePath ?? CommandLine.arguments.first else { throw Exit.failure }
        if let (config, store) = try? openSession(work), let v = try config.rubric(for: "tag").flatMap({ _ in try store.latestJudgeVersion(task: "tag") }) {
            say("store: \(try store.sampleCount()) samples, \(try countVerdicts(store, v.id)) verdicts of the judge version shown")
        }
        fflush(nil)                    // the build's report first, then the child's
        let child = Process()
        child.executableURL = URL(fileURLWithPath: me)
        child.arguments = ["bench", "label", "\(count)", "--dir", work, "--keys", "\(keys)", "--measure-only"]
        try child.run()
        child.waitUntilExit()
        if child.terminationStatus != 0 { throw ExitCode(child.terminationStatus) }
    }

    // MARK: The store

    func build(_ work: String) throws {
        let (config, store) = try openSession(work)
        let judged = count * 3 / 4
        if try store.sampleCount(task: "tag") == count, let v = try store.latestJudgeVersion(task: "tag"), v.judge == "bench" {
            say("reusing the store in \(work): \(count) samples, judge version \(v.version)")
            return
        }
        guard try store.sampleCount() == 0 else {
            complain("\(work) holds a store of another size; remove it or give another --dir")
            throw Exit.badInput
        }
        let file = (work as NSString).appendingPathComponent("samples.jsonl")
        var t0 = Date()
        _ = try Synthetic.writeTagSamples(count: count, to: file, seed: seed)
        let report = try Importer(store: store, session: config).importSamples(file: file)
        try? FileManager.default.removeItem(atPath: file)
        say(String(format: "imported %d samples in %.1f s", report.added, Date().timeIntervalSince(t0)))

        t0 = Date()
        guard let rubric = config.rubric(for: "tag") else { throw Exit.failure }
        let version = JudgeVersion(judge: "bench", kind: "rules", model: nil, task: "tag", rubricVersion: rubric.version,
                                   params: ["bench": "label"])
        let vid = try store.register(version)
        var rng = Synthetic.SplitMix64(state: seed ^ 0x5EED)
        var batch: [(samplePK: Int64, judgeVersionID: Int64, call: JudgeCallInput, verdicts: [VerdictInput])] = []
        var written = 0
        for pk in try store.samplePKs(task: "tag").prefix(judged) {
            let verdicts = rubric.dimensions.map { d -> VerdictInput in
                let r = rng.next() % 100
                if r < 2 { return VerdictInput(dimension: d.key, label: nil, failure: "reply was not JSON") }
                let l = r < 85 ? d.labels.first { $0.passes } : d.labels.first { !$0.passes }
                return VerdictInput(dimension: d.key, label: l?.key, rationale: "bench: synthetic verdict \(r) for \(d.key)")
            }
            batch.append((pk, vid, JudgeCallInput(ok: true, latencyMilliseconds: 0), verdicts))
            written += verdicts.count
            if batch.count == 20_000 {
                try store.recordJudgeCalls(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try store.recordJudgeCalls(batch)
        say(String(format: "recorded %d verdicts (%d samples × %d dimensions) in %.1f s", written, judged,
                   rubric.dimensions.count, Date().timeIntervalSince(t0)))
        try store.checkpoint()
    }

    // MARK: Measuring

    @MainActor
    func measure(_ work: String) throws {
        let clock = ContinuousClock()
        func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }

        // Opening, as `recjudge label` does it: session, store, judge version, queue, first frame.
        var opens: [Double] = []
        var phases: [[Double]] = []
        var runtime: LabelRuntime?
        for i in 0..<5 {
            let start = clock.now
            let (config, store) = try openSession(work)
            let t1 = clock.now
            guard let rubric = config.rubric(for: "tag"), let v = try store.latestJudgeVersion(task: "tag") else {
                complain("\(work) has no bench store: run without --measure-only")
                throw Exit.failure
            }
            let t2 = clock.now
            let setup = LabelSetup(session: config.name, task: "tag", annotator: "bench-\(getpid())-\(i)", rubric: rubric,
                                   judge: JudgeShown(id: v.id, judge: v.judge, version: v.version), policy: config.assignment)
            let r = LabelRuntime(setup: setup, store: store)
            r.start(width: 80, height: 24)
            let t3 = clock.now
            _ = r.frame(width: 80, height: 24)
            let t4 = clock.now
            opens.append(ms(start.duration(to: t4)))
            phases.append([ms(start.duration(to: t1)), ms(t1.duration(to: t2)), ms(t2.duration(to: t3)), ms(t3.duration(to: t4))])
            r.runIdleWork()
            runtime = r
        }
        guard let r = runtime else { return }
        let rssAfterOpen = residentMB()
        say(String(format: "open (session, store, judge version, queue + claim of 50, first sample, first frame): median %.1f ms, max %.1f ms over %d opens",
                   percentile(opens, 0.5), opens.max() ?? 0, opens.count))
        if let r = runtime {
            // The store calls of an open, one by one, for a new annotator.
            let me = "bench-\(getpid())-probe", p = r.state.setup.policy
            var t = clock.now
            var parts: [String] = []
            func lap(_ name: String) { let n = clock.now; parts.append(String(format: "%@ %.1f", name, ms(t.duration(to: n)))); t = n }
            try r.store.renewLeases(annotator: me, policy: p); lap("renew leases")
            _ = try r.store.assignments(annotator: me, task: "tag"); lap("list queue")
            let c = try r.store.claim(annotator: me, task: "tag", policy: p, count: 50); lap("claim 50")
            _ = try r.store.assignments(annotator: me, task: "tag"); lap("list queue")
            _ = try r.store.sampleForLabelling(pk: c.samplePKs.first ?? 1, annotator: me, judgeVersionID: r.state.setup.judge?.id); lap("read sample")
            say("  store calls of an open: " + parts.joined(separator: " · ") + " (ms)")
        }
        let names = ["session + store", "judge version", "queue, leases, claim, first sample", "first frame"]
        say("  per open, " + phases.map { p in zip(names, p).map { String(format: "%@ %.1f", $0.0, $0.1) }.joined(separator: " · ") }
            .joined(separator: "\n  per open, ") + " (ms)")

        // Keys: per sample a (accept), 2 (override), a, 2, then n (next); every key timed to
        // its finished frame. Idle work (prefetch, claims ahead) runs after the frame, as on screen.
        var next: [Double] = [], accept: [Double] = [], override: [Double] = [], coldNext: [Double] = []
        var acceptShown: [Double] = [], overrideShown: [Double] = []
        // The screen draws the answer marked "saving" before the write, then "saved" after it.
        var shownAt: ContinuousClock.Instant?
        r.beforeWrites = { _ in
            _ = r.frame(width: 80, height: 24)
            shownAt = clock.now
        }
        func press(_ c: Character, into times: inout [Double], shown: UnsafeMutablePointer<[Double]>? = nil, idle: Bool = true) {
            shownAt = nil
            let start = clock.now
            r.send(.key(.char(c)))
            _ = r.frame(width: 80, height: 24)
            let end = clock.now
            times.append(ms(start.duration(to: end)))
            shown?.pointee.append(ms(start.duration(to: shownAt ?? end)))
            if idle { r.runIdleWork() }
        }
        while next.count < keys {
            press("a", into: &accept, shown: &acceptShown)
            press("2", into: &override, shown: &overrideShown)
            press("a", into: &accept, shown: &acceptShown)
            press("2", into: &override, shown: &overrideShown)
            press("n", into: &next)
        }
        r.beforeWrites = nil
        // Next without the prefetch the screen does while idle: every sample read from the store.
        for _ in 0..<min(keys, 500) { press("n", into: &coldNext, idle: false) }
        r.runIdleWork()
        var frames80: [Double] = [], frames160: [Double] = []
        for _ in 0..<200 {
            frames80.append(ms(clock.measure { _ = r.frame(width: 80, height: 24) }))
            frames160.append(ms(clock.measure { _ = r.frame(width: 160, height: 48) }))
        }
        func line(_ name: String, _ t: [Double]) -> String {
            String(format: "%@: p50 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)", name, percentile(t, 0.5), percentile(t, 0.99), t.max() ?? 0, t.count)
        }
        say(line("next (key → frame)", next))
        say(line("next without prefetch", coldNext))
        say(line("accept, key → frame showing it (saving…)", acceptShown))
        say(line("accept, key → commit → frame saying saved", accept))
        say(line("label hotkey 2, key → frame showing it (saving…)", overrideShown))
        say(line("label hotkey 2, key → commit → frame saying saved", override))
        say(line("render alone, 80×24", frames80))
        say(line("render alone, 160×48", frames160))
        say(String(format: "claimed %d samples; %d saved writes; resident memory %.0f MB after opening, %.0f MB at the end, peak %.0f MB",
                   r.state.claimed.count, r.state.savedCount, rssAfterOpen, residentMB(), peakResidentMB()))

    }

    /// Resident memory now (VmRSS), in MB; 0 where /proc is missing.
    func residentMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }

    func countVerdicts(_ store: Store, _ id: Int64) throws -> Int {
        var n = 0
        try store.forEachVerdict(judgeVersionID: id) { _ in n += 1 }
        return n
    }

    func percentile(_ xs: [Double], _ p: Double) -> Double {
        guard !xs.isEmpty else { return 0 }
        let s = xs.sorted()
        return s[min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))]
    }
}
