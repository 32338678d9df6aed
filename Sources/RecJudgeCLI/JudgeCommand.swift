import ArgumentParser
import Foundation
import Domain
import Store
import Judges
import LLM

struct Judge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a judge over a session's samples; only verdicts its version lacks are asked for.",
        discussion: """
        A stopped run (Ctrl-C, kill) keeps every verdict written so far and resumes where it
        stopped. Transport failures are retried with backoff (honouring Retry-After); after
        --max-failures failed calls the run stops with a message.
        """)

    @Argument(help: "The session folder.") var session: String
    @Option(help: "The judge, as named in session.yaml.") var judge: String
    @Option(help: "Only this task (default: every task of the session).") var task: String?
    @Option(help: "Ask about at most N samples per task.") var limit: Int?
    @Option(help: "Calls in flight at once (default: the judge's `concurrency`).") var concurrency: Int?
    @Flag(help: "Ask again about every sample, replacing this version's verdicts.") var force = false
    @Flag(help: "Ask again about samples whose verdict failed.") var retryFailed = false
    @Option(help: "Failed calls tolerated before stopping.") var maxFailures: Int = 50

    func run() async throws {
        let (config, store) = try openSession(session)
        guard let jc = config.judge(named: judge) else {
            complain("no judge '\(judge)' in \(session)/session.yaml (judges: \(config.judges.map(\.name).joined(separator: ", ")))")
            throw Exit.badInput
        }
        var rubrics = config.rubrics
        if let task { rubrics = [try ScreenSetup.rubric(task, in: config)] }
        var options = JudgeRunOptions()
        options.concurrency = concurrency ?? jc.concurrency
        options.limit = limit
        options.which = force ? .all : retryFailed ? .missingOrFailed : .missing
        options.failureBudget = maxFailures
        for rubric in rubrics {
            let j: any Judges.Judge
            do { j = try JudgeRunner.make(config: jc, rubric: rubric) } catch {
                complain(Secrets.scrub("\(error)"))
                throw Exit.badInput
            }
            let meter = ProgressMeter(label: "\(judge) · \(rubric.task)")
            do {
                let p = try await JudgeRunner.run(store: store, judge: j, options: options) { meter.update($0) }
                meter.finish(p)
                say("\(rubric.task): \(p.done) samples judged by \(judge) (version \(j.version.hash)) in \(String(format: "%.1f", p.elapsed)) s, \(p.failedCalls) failed calls, \(p.failedVerdicts) failed verdicts, tokens \(p.promptTokens) in / \(p.completionTokens) out")
            } catch let e as JudgeRunError {
                meter.clear()
                complain("\(rubric.task): \(e)")
                throw Exit.failure
            }
        }
    }
}

/// A progress bar on a terminal (redrawn in place), or a plain line every few seconds otherwise.
final class ProgressMeter {
    let label: String
    let tty = isatty(STDERR_FILENO) == 1
    var lastDraw = Date.distantPast

    init(label: String) { self.label = label }

    func update(_ p: JudgeProgress) {
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= (tty ? 0.1 : 5) || p.done == p.total else { return }
        lastDraw = now
        let line = text(p)
        if tty { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8) + Data(Safe.text(line).utf8)) }
        else { complain(line) }
    }

    func text(_ p: JudgeProgress) -> String {
        let width = 24
        let filled = p.total > 0 ? min(width, width * p.done / p.total) : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let eta = p.eta.map { String(format: "%dm%02ds", Int($0) / 60, Int($0) % 60) } ?? "--"
        return "\(label) [\(bar)] \(p.done)/\(p.total) \(String(format: "%.1f", p.rate))/s ETA \(eta) failures \(p.failedCalls) tokens \(p.promptTokens)/\(p.completionTokens)"
    }

    func clear() { if tty { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) } }

    func finish(_ p: JudgeProgress) {
        if tty { clear() }
    }
}
