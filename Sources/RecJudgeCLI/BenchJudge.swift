import ArgumentParser
import Foundation
import Domain
import Store
import Judges
import LLM
import FakeOpenAI

struct BenchJudge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "judge",
        abstract: "Judge N synthetic tag samples against the fake OpenAI server (a separate process) answering after a fixed latency.",
        discussion: "Reports requests/s against the ideal concurrency/latency, client CPU per request, and peak memory.")

    @Option(help: "How many samples.") var samples: Int = 10_000
    @Option(help: "Requests in flight.") var concurrency: Int = 64
    @Option(help: "Seconds the fake server waits before answering.") var latency: Double = 0.05
    @Option(help: "The rubric folder.") var rubrics: String = "rubrics"

    func run() async throws {
        let folder = try BenchFolder(dir: nil, name: "bench-judge")
        defer { folder.close() }
        let server = try FakeServerProcess(latency: latency, portFile: folder.file("port"))
        defer { server.stop() }
        let port = try server.waitForPort(timeout: 20)
        try folder.writeSession(rubricFolder: rubrics, rubrics: ["interest", "tag", "explanation"],
                                judges: "  - {name: fake, kind: openai, base_url: \"http://127.0.0.1:\(port)/v1\", model: fake, concurrency: \(concurrency)}\n")
        let work = folder.path
        let file = folder.file("samples.jsonl")
        _ = try Synthetic.writeTagSamples(count: samples, to: file, seed: 7)
        let (config, store) = try openSession(work)
        _ = try Importer(store: store, session: config).importSamples(file: file)

        let judge = try JudgeRunner.make(config: config.judge(named: "fake")!, rubric: config.rubric(for: "tag")!)
        var options = JudgeRunOptions()
        options.concurrency = concurrency
        let cpu0 = cpuSeconds()
        let p = try await JudgeRunner.run(store: store, judge: judge, options: options)
        let cpu = cpuSeconds() - cpu0
        let ideal = Double(concurrency) / latency
        say(String(format: "judged %d samples in %.2f s: %.0f requests/s (%.1f%% of the ideal %.0f = %d / %.3f s); client CPU %.3f ms/request; %d failed; peak RSS %.0f MB",
                    p.done, p.elapsed, p.rate, 100 * p.rate / ideal, ideal, concurrency, latency, 1000 * cpu / Double(max(p.done, 1)),
                    p.failedCalls, peakResidentMB()))
    }
}

/// User + system CPU seconds of this process so far.
func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(__rusage_who_t(0), &u)  // RUSAGE_SELF
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
}

/// `recjudge bench fake-server` in a child process (its CPU is not the client's).
struct FakeServerProcess {
    let pid: pid_t
    let portFile: String

    init(latency: Double, portFile: String) throws {
        self.portFile = portFile
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let argv = [exe, "bench", "fake-server", "--latency", "\(latency)", "--port-file", portFile]
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t(); sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var all = sigset_t(); sigfillset(&all)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var cargs = argv.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, exe, nil, &attr, &cargs, environ)
        guard rc == 0 else { throw ValidationError("cannot start the fake server: \(String(cString: strerror(rc)))") }
        pid = child
    }

    func waitForPort(timeout: Double) throws -> Int {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return port
            }
            usleep(20_000)
        }
        throw ValidationError("the fake server did not start within \(Int(timeout)) s")
    }

    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}

struct BenchFakeServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fake-server", abstract: "Serve fake OpenAI-compatible verdicts on 127.0.0.1 (for benchmarks).",
        shouldDisplay: false)

    @Option var latency: Double = 0.05
    @Option var port: Int = 0
    @Option var portFile: String

    func run() async throws {
        let content = #"{"relevance": {"label": "yes", "rationale": "r"}, "consistency": {"label": "yes", "rationale": "c"}, "specificity": {"label": "yes", "rationale": "s"}, "validity": {"label": "yes", "rationale": "v"}}"#
        let file = portFile
        try await FakeOpenAIServer.runForever(port: port, latency: latency, content: content) { port in
            try? "\(port)\n".write(toFile: file + ".tmp", atomically: false, encoding: .utf8)
            rename(file + ".tmp", file)
        }
    }
}
