import ArgumentParser
import Foundation
import Curation
import Store
import TerminalKit

/// `recjudge stats`: agreement per task and dimension, judge version and annotator.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Agreement per task and dimension: among annotators, each judge version against them, each annotator.",
        discussion: """
        Per task and dimension, and for "every dimension passes": items, label shares, human–human agreement (percent, κ for two annotators or Krippendorff's α, Gwet's AC1), each judge version against the human consensus (ACC, P, R, F1 with pass as the positive class, κ, confusion counts), and each annotator against the others' consensus and the judges, with time per item.

        The human consensus is a lead's adjudication, else the label with the most votes and at least --min-agreement of them. Intervals: Wilson for proportions; percentile bootstrap for κ, α, AC1 and F1 on tables of at most --bootstrap-max-items items. An undefined statistic prints "undefined", never 0 or 1.

        --json writes the schema that `recjudge stats --schema` prints.
        """)

    @Argument(help: "The session folder.") var session: String?
    @Option(help: "Only this task.") var task: String?
    @Option(help: "Only the versions of this judge.") var judge: String?
    @Option(help: "Only this annotator in the per-annotator table (the consensus still uses everyone).") var annotator: String?
    @Option(help: "Also split each dimension: judge-version or week.") var by: String?
    @Flag(help: "Write JSON (see --schema) instead of tables.") var json = false
    @Flag(help: "Print the JSON schema and exit.") var schema = false
    @Option(help: "Share of the votes the consensus label needs (0 < share ≤ 1).") var minAgreement: Double = 0.5
    @Option(help: "Fewest annotator labels an item needs for a consensus.") var minAnnotators: Int = 1
    @Flag(help: "Let the annotators' votes decide even where a lead adjudicated.") var ignoreAdjudications = false
    @Option(help: "Coverage of the intervals.") var confidence: Double = 0.95
    @Option(help: "Bootstrap resamples for κ, α, AC1 and F1 (0: none).") var bootstrap: Int = 1000
    @Option(help: "Bootstrap only tables of at most this many items (larger ones keep Wilson intervals on proportions).")
    var bootstrapMaxItems: Int = 1000
    @Option(help: "Seed of the bootstrap.") var seed: UInt64 = 20_250_618

    func validate() throws {
        if !schema && session == nil { throw ValidationError("give the session folder, e.g. `recjudge stats sessions/demo`") }
        if let by, AgreementOptions.Grouping(rawValue: by) == nil {
            throw ValidationError("--by takes judge-version or week (got '\(Safe.text(by))')")
        }
        if !(minAgreement > 0 && minAgreement <= 1) { throw ValidationError("--min-agreement is a share above 0 and at most 1") }
        if minAnnotators < 1 { throw ValidationError("--min-annotators is at least 1") }
        if !(confidence > 0 && confidence < 1) { throw ValidationError("--confidence is between 0 and 1, e.g. 0.95") }
        if bootstrap < 0 || bootstrapMaxItems < 0 { throw ValidationError("--bootstrap and --bootstrap-max-items cannot be negative") }
    }

    var options: AgreementOptions {
        var o = AgreementOptions()
        o.task = task
        o.judge = judge
        o.annotator = annotator
        o.grouping = by.flatMap(AgreementOptions.Grouping.init(rawValue:))
        o.consensus = HumanConsensus(minimumAgreement: minAgreement, minimumAnnotators: minAnnotators,
                                     adjudicationDecides: !ignoreAdjudications)
        o.confidence = confidence
        o.bootstrapReplicates = bootstrap
        o.bootstrapMaxItems = bootstrapMaxItems
        o.seed = seed
        return o
    }

    func run() throws {
        if schema {
            say(AgreementReport.jsonSchemaDescription)
            return
        }
        guard let session else { throw Exit.badInput }
        let (config, store) = try openSession(session)
        let report: AgreementReport
        do {
            report = try AgreementReport(store: store, session: config, options: options)
        } catch let e as AgreementError {
            complain(e.description)
            throw Exit.badInput
        } catch {
            complain("\(error)")
            throw Exit.failure
        }
        if json {
            var text = report.json()
            if text.hasSuffix("\n") { text.removeLast() }
            say(text)
        } else {
            for line in report.text(width: displayWidth) { say(line) }
        }
    }
}
