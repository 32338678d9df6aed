import ArgumentParser
import Foundation
import Curation
import Domain
import Store
import TerminalKit
import CursesBackend
import Workbench

/// `recjudge review`: agreement, heat maps and adjudication for leads.
struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Agreement per dimension, confusion heat maps and adjudication of conflicts (for leads).",
        discussion: """
        The table shows, per dimension and for "every dimension passes", items, pass rate,
        human–human agreement (%, Cohen's κ for two annotators or Krippendorff's α, Gwet's AC1)
        and the selected judge version against the human consensus (ACC, P, R, F1 with pass as
        positive, κ), coloured by strength; under it a chart of the judge per version or per week.
        Enter opens the focused row's heat map (reference × judge); Enter on a cell lists the
        samples behind it, and Enter on a sample opens it for adjudication: every annotator's
        label and comment beside the judge's label and rationale; choose the final label with its
        key and type the reason. Each adjudication is a lead decision in the log (reason as its
        comment), on disk before the screen says saved; it becomes the sample's reference label.

        Unanimous samples — two or more annotators and the judge agree — settle themselves: the
        consensus already decides them, so they stay out of the queues and nothing is written
        for them. --no-settle-unanimous lists them too, for a lead who wants to confirm them.

        Under the focused row, each annotator: labels, agreement and κ with the others'
        consensus and with the judge, and the median seconds per item. On a heat-map cell or a
        list, o opens its samples in the label view as the lead: labels given there are the
        lead's own annotator labels (a vote, not an adjudication); q or esc comes back and the
        figures are recomputed.

        Keys can be rebound in the review: section of ~/.config/recjudge/keys.yaml (or
        keys.yaml in the session folder), e.g. review: {label_view: O, trend: none}; the
        bind: section rebinds the label view's keys. Press ? for every key.
        """)

    @Argument(help: "The session folder.") var session: String
    @Option(help: "The task to review (default: the first of the session's tasks that has samples).") var task: String?
    @Option(help: "Only this judge's versions (default: every judge with verdicts; the newest version is shown first).") var judge: String?
    @Option(help: "Who adjudicates (default: $USER).") var lead: String?
    @Flag(help: "List unanimous samples in the queues too (by default they settle themselves).") var noSettleUnanimous = false
    @Option(help: "Colours: auto, never, 8 or 256 (auto honours NO_COLOR).") var color: String = "auto"
    @Option(help: "A keymap file to use instead of ~/.config/recjudge/keys.yaml.") var keys: String?

    func validate() throws {
        guard Label.colorModes[color] != nil else {
            throw ValidationError("--color takes auto, never, 8 or 256 (not '\(Safe.text(color))')")
        }
        if let lead { try Label.check(annotator: lead, from: "--lead") }
    }

    func run() async throws {
        let (setup, store, config) = try prepare()
        let options = reportOptions(task: setup.task)
        let summary = try await MainActor.run {
            try Self.runScreen(setup: setup, store: store, color: Label.colorModes[color] ?? .auto) { versionID in
                try Self.data(store: store, config: config, options: options, rubric: setup.rubric, versionID: versionID)
            }
        }
        say(summary)
    }

    func reportOptions(task: String) -> AgreementOptions {
        var o = AgreementOptions()
        o.task = task
        o.judge = judge
        o.grouping = .week
        o.bootstrapReplicates = 0        // the screen shows no intervals
        return o
    }

    /// Everything that can fail before the screen opens: lead, session, store, task, judges.
    func prepare() throws -> (ReviewSetup, Store, SessionConfig) {
        let who = try ScreenSetup.person(lead, option: "--lead", question: "who adjudicates?")
        let (config, store) = try openSession(session)
        let rubric: Rubric
        var judges: [JudgeShown] = []
        do {
            rubric = try ScreenSetup.rubric(task, in: config, store: store, session: session)
            let report = try AgreementReport(store: store, session: config, options: reportOptions(task: rubric.task))
            judges = (report.tasks.first?.dimensions.first?.judges ?? []).map {
                JudgeShown(id: $0.judge.id, judge: $0.judge.judge, version: $0.judge.version)
            }
            if let judge, judges.isEmpty {
                complain("judge '\(judge)' has no verdicts for task '\(rubric.task)': run `recjudge judge \(session) --judge \(judge)` first")
                throw Exit.badInput
            }
        } catch let e as ExitCode { throw e } catch let e as AgreementError {
            complain(e.description)
            throw Exit.badInput
        } catch { complain("\(error)"); throw Exit.failure }
        let keymaps = try ScreenSetup.keymaps(keys: keys, session: session)
        let setup = ReviewSetup(session: config.name, task: rubric.task, lead: who, rubric: rubric, judges: judges,
                                settleUnanimous: !noSettleUnanimous, keymap: keymaps.review, labelKeymap: keymaps.label,
                                policy: config.assignment)
        return (setup, store, config)
    }

    /// The screen's data for one judge version: the stats report's figures, and every reviewed
    /// sample with its reference label under the report's consensus rule.
    static func data(store: Store, config: SessionConfig, options: AgreementOptions, rubric: Rubric,
                     versionID: Int64?) throws -> ReviewData {
        let report = try AgreementReport(store: store, session: config, options: options)
        guard let task = report.tasks.first else { return ReviewData(figures: ReviewFigures(rows: []), items: []) }
        let figures = figures(task, versionID: versionID)
        let consensus = options.consensus
        let items = try store.reviewItems(task: rubric.task, judgeVersionID: versionID).map { review in
            var reference: [String: String] = [:]
            for d in rubric.dimensions {
                let votes = (review.labels[d.key] ?? [:]).sorted { $0.key < $1.key }.map { Optional($0.value) }
                if let o = consensus.outcome(labels: votes, adjudication: review.adjudications[d.key]?.label) {
                    reference[d.key] = o.label
                }
            }
            return ReviewItem(review: review, reference: reference)
        }
        return ReviewData(figures: figures, items: items)
    }

    /// The report's figures of one task, for the selected judge version.
    static func figures(_ task: TaskAgreement, versionID: Int64?) -> ReviewFigures {
        func judgeFigures(_ j: JudgeAgreement) -> JudgeFigures {
            JudgeFigures(compared: j.comparedItems, accuracy: j.accuracy.value, precision: j.precision.value,
                         recall: j.recall.value, f1: j.f1.value, kappa: j.cohensKappa.value)
        }
        var rows: [FigureRow] = []
        var byVersion: [String: [TrendPoint]] = [:]
        var byWeek: [String: [TrendPoint]] = [:]
        for d in task.dimensions {
            let key = d.isAll ? ReviewFigures.allDimensions : d.dimension
            let h = d.humans
            let two = h.annotators.count == 2 && h.pairs.count == 1
            let selected = d.judges.first { $0.judge.id == versionID }
            rows.append(FigureRow(dimension: key, isAll: d.isAll, items: d.items, passRate: d.passRate.value,
                                  humanPercent: h.percentAgreement.value,
                                  humanKappa: two ? h.pairs[0].cohensKappa.value : h.krippendorffsAlpha.value,
                                  humanKappaName: two ? "κ" : "α", ac1: h.gwetsAC1.value, judge: selected.map(judgeFigures)))
            byVersion[key] = d.judges.map {
                TrendPoint(key: $0.judge.version, detail: $0.judge.judge, compared: $0.comparedItems,
                           accuracy: $0.accuracy.value, kappa: $0.cohensKappa.value)
            }
        }
        for group in task.groups where group.grouping == .week {
            for d in group.dimensions {
                let key = d.isAll ? ReviewFigures.allDimensions : d.dimension
                guard let j = d.judges.first(where: { $0.judge.id == versionID }) else { continue }
                byWeek[key, default: []].append(TrendPoint(key: group.key, detail: group.detail, compared: j.comparedItems,
                                                           accuracy: j.accuracy.value, kappa: j.cohensKappa.value))
            }
        }
        for k in byWeek.keys { byWeek[k]?.sort { $0.key < $1.key } }
        // Each annotator on each dimension, against the consensus and the selected version.
        let version = task.dimensions.lazy.flatMap(\.judges).first { $0.judge.id == versionID }?.judge.version
        var annotators: [String: [AnnotatorRow]] = [:]
        for a in task.annotators {
            for d in a.dimensions where d.labels > 0 {
                let key = d.isAll ? ReviewFigures.allDimensions : d.dimension
                let j = version.flatMap { v in d.judges.first { $0.version == v } }
                annotators[key, default: []].append(AnnotatorRow(
                    annotator: a.annotator, labels: d.labels, consensusAgreement: d.consensusAgreement.value,
                    consensusKappa: d.consensusKappa.value, judgeAgreement: j?.agreement.value, judgeKappa: j?.kappa.value,
                    secondsPerItem: a.medianSecondsPerItem))
            }
        }
        return ReviewFigures(rows: rows, byVersion: byVersion, byWeek: byWeek, annotators: annotators)
    }

    @MainActor
    static func runScreen(setup: ReviewSetup, store: Store, color: ColorMode,
                          load: @escaping @MainActor (Int64?) throws -> ReviewData) throws -> String {
        let runtime = ReviewRuntime(setup: setup, store: store, loadData: load)
        try ScreenSetup.run(runtime, color: color)
        let s = runtime.state
        var line = "\(setup.lead) · \(setup.task): \(s.savedCount) adjudication\(s.savedCount == 1 ? "" : "s") saved this session"
        if s.labelsSaved > 0 { line += ", \(s.labelsSaved) label change\(s.labelsSaved == 1 ? "" : "s") in the label view" }
        if let e = s.saveError { line += "; the last write failed: \(e)" }
        return line
    }
}
