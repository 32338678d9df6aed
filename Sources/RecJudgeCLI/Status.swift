import ArgumentParser
import Foundation
import Domain
import Store

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise a session: samples per task, judge versions and verdicts, decisions.")

    @Argument(help: "The session folder.") var session: String

    func run() throws {
        let (config, store) = try openSession(session)
        say("session \(config.name) — store \(config.storePath)")
        let counts = try store.sampleCounts()
        for r in config.rubrics {
            say("  \(r.task.padding(toLength: 12, withPad: " ", startingAt: 0)) \(counts[r.task] ?? 0) samples · rubric v\(r.version) · \(r.dimensions.map(\.key).joined(separator: ", "))")
        }
        say("  user contexts: \(try store.contextCount())")
        let versions = try store.judgeVersions()
        if versions.isEmpty { say("  no verdicts yet (run `recjudge judge \(session) --judge rules`)") }
        for v in versions {
            say("  judge \(v.judge) [\(v.kind)] \(v.task) version \(v.version)")
        }
        say("  decisions: \(try store.decisionCount())")
        say("  judges configured: \(config.judges.map { "\($0.name) (\($0.kind.rawValue))" }.joined(separator: ", "))")
    }
}
