import ArgumentParser
import Foundation
import Curation
import Domain
import Judges
import Store

/// `recjudge export`: curated training sets from the store's final labels; `--list` and
/// `--show ID` report what earlier exports took and the agreement behind them.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export curated training sets: generator SFT, judge SFT or preference pairs.",
        discussion: """
        Kinds: generator-sft writes chat messages (system, the generation prompt built from the user \
        context, the output) for samples whose every dimension passes; judge-sft writes chat messages \
        (the judge prompt the rubric renders, the final verdict JSON with a human's rationale where one \
        was written); preference writes prompt, chosen and rejected from a passing and a failing output \
        for the same user, task and prompt.

        A dimension's final label is a lead's adjudication; else the annotators' consensus \
        (--min-agreement, --min-annotators); else, with --trust-judge, the label of a judge version whose \
        measured agreement with the humans on that dimension is at least the threshold over at least \
        --min-human samples; else none, and a row that needs it is left out.

        Rows go to train/dev/test by a hash of the user id, the same every time. The folder gets \
        train.jsonl, dev.jsonl, test.jsonl (empty splits are left out), manifest.json and a dataset card \
        README.md; it is written beside --out and renamed into place only when complete, and the export \
        and its rows are recorded in the store. judge-sft --balance-ratio R rebalances: minority classes \
        reuse samples of rounds before --round, majority classes keep their newest. --exclude-exported \
        leaves out samples earlier exports of the same kind took. --list shows the exports; --show ID \
        the label sources of one and the agreement of the annotators behind it.
        """)

    @Argument(help: "The session folder.") var session: String
    @Option(help: "generator-sft, judge-sft or preference.") var kind: String?
    @Option(help: "The folder to write (missing or empty; --force replaces a non-empty one).") var out: String?
    @Flag(help: "Replace a non-empty --out folder.") var force = false

    @Option(name: .customLong("task"), help: "Only this task (repeatable; default: every task).") var tasks: [String] = []
    @Option(name: .customLong("round"), help: "Only samples of this generator round (repeatable; a sample without one is round 0).")
    var rounds: [Int] = []
    @Option(name: .customLong("state"),
            help: "Only samples in this decision state (repeatable): judge-only, accepted, labelled, overridden, adjudicated.")
    var states: [String] = []
    @Option(help: "Share of the annotators' votes the consensus label needs (0 < share ≤ 1).") var minAgreement: Double = 0.5
    @Option(help: "Fewest annotator labels for a consensus.") var minAnnotators: Int = 1
    @Flag(help: "Let the annotators' votes decide even where a lead adjudicated.") var ignoreAdjudications = false
    @Option(help: "Let a judge version's label decide a dimension no human decided when its measured agreement there is at least this (e.g. 0.9).")
    var trustJudge: Double?
    @Option(help: "Samples with both a human consensus and the version's verdict the agreement must be measured on.") var minHuman: Int = 50
    @Option(help: "What the agreement counts: pass-fail (the ACC of `stats`) or label.") var trustOn: String = "pass-fail"
    @Option(help: "Only this judge's versions may be trusted.") var judge: String?
    @Option(help: "A dimension humans left without consensus: judge (a trusted judge may decide) or drop.") var contested: String = "judge"
    @Flag(help: "Leave out samples earlier exports of this kind took.") var excludeExported = false
    @Option(name: .customLong("exclude-export"), help: "Leave out the samples of this export (repeatable).") var excludeExports: [Int64] = []
    @Option(help: "Shares of users in train, dev and test.") var split: String = "0.9,0.05,0.05"
    @Option(help: "judge-sft: rebalance so the largest class is at most this many times the smallest (≥ 1).") var balanceRatio: Double?
    @Option(help: "judge-sft: the classes to rebalance: outcome (pass/fail) or a dimension's labels.") var balanceBy: String?
    @Flag(help: "judge-sft: rebalance without reusing samples of earlier rounds.") var noReuse = false
    @Option(help: "preference: trl (prompt, chosen, rejected) or openai (input, preferred_output, non_preferred_output).")
    var preferenceFormat: String = "trl"
    @Flag(help: "Add a metadata object (sample ids, task, round) to every line (not for OpenAI uploads).") var metadata = false
    @Option(help: "Characters of behaviour history a prompt may take (default: the --judge's context_budget, else 4000).")
    var contextBudget: Int?

    @Flag(help: "List the exports recorded in the store.") var list = false
    @Option(help: "Show one recorded export: its label sources and the agreement of the humans behind it.") var show: Int64?
    @Flag(help: "With --list or --show: write JSON.") var json = false

    func validate() throws {
        if list || show != nil {
            if list && show != nil { throw ValidationError("give either --list or --show ID") }
            return
        }
        guard let kind else { throw ValidationError("give --kind generator-sft, judge-sft or preference (or --list, --show ID)") }
        if ExportKind(rawValue: kind) == nil {
            throw ValidationError("--kind takes generator-sft, judge-sft or preference (got '\(Safe.text(kind))')")
        }
        if out == nil { throw ValidationError("give --out DIR, the folder to write") }
        for s in states where DecisionState(rawValue: s) == nil {
            throw ValidationError("--state takes \(DecisionState.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(Safe.text(s))')")
        }
        if TrustMeasure(rawValue: trustOn) == nil { throw ValidationError("--trust-on takes pass-fail or label") }
        if ContestedPolicy(rawValue: contested) == nil { throw ValidationError("--contested takes judge or drop") }
        if PreferenceFormat(rawValue: preferenceFormat) == nil { throw ValidationError("--preference-format takes trl or openai") }
        if (balanceBy != nil || noReuse) && balanceRatio == nil {
            throw ValidationError("--balance-by and --no-reuse go with --balance-ratio R")
        }
    }

    func run() throws {
        let (config, store) = try openSession(session)
        if list { return try listExports(store) }
        if let show { return try showExport(show, config, store) }
        guard let kind = kind.flatMap(ExportKind.init(rawValue:)), let out else { throw Exit.badInput }
        var options = ExportOptions(kind: kind, out: out)
        options.force = force
        options.tasks = tasks
        options.rounds = rounds
        options.states = Set(states.compactMap(DecisionState.init(rawValue:)))
        options.rule = FinalLabelRule(
            consensus: HumanConsensus(minimumAgreement: minAgreement, minimumAnnotators: minAnnotators,
                                      adjudicationDecides: !ignoreAdjudications),
            trustJudge: trustJudge, minHuman: minHuman, trustOn: TrustMeasure(rawValue: trustOn) ?? .passFail,
            judge: judge, contested: ContestedPolicy(rawValue: contested) ?? .judge)
        options.excludeExported = excludeExported
        options.excludeExports = excludeExports
        options.preferenceFormat = PreferenceFormat(rawValue: preferenceFormat) ?? .trl
        options.metadata = metadata
        let budget = contextBudget ?? judge.flatMap { config.judge(named: $0)?.contextBudget } ?? JudgeConfig(name: "-", kind: .rules).contextBudget
        options.contextBudget = budget
        options.command = Self.commandLine()
        do {
            options.split = try SplitRatios(parsing: split)
            if let ratio = balanceRatio {
                let by: BalanceOptions.Key = balanceBy.map { $0 == "outcome" ? .outcome : .dimension($0) } ?? .outcome
                options.balance = BalanceOptions(by: by, ratio: ratio, reuse: !noReuse)
            }
            let exporter = Exporter(store: store, session: config, options: options,
                                    judgePrompts: RubricJudgePrompts(contextBudget: budget))
            let meter = ExportMeter()
            let result = try exporter.run { meter.update($0) }
            meter.clear()
            report(result)
        } catch let e as ExportError {
            complain(e.description)
            switch e {
            case .cannotWrite, .damaged: throw Exit.failure
            default: throw Exit.badInput
            }
        } catch let e as StoreError {
            complain(e.description)
            throw Exit.failure
        }
    }

    private func report(_ r: ExportResult) {
        let splits = Split.allCases.map { "\($0.rawValue) \(r.splits[$0] ?? 0)" }.joined(separator: ", ")
        say("export \(r.exportID): \(kind ?? ""), \(r.rows) rows (\(splits)) → \(r.out)")
        let sources = LabelSource.allCases.compactMap { s in r.labelSources[s].map { "\(s.rawValue) \($0)" } }
        if !sources.isEmpty { say("  final labels by source: " + sources.joined(separator: ", ")) }
        if !r.leftOut.isEmpty {
            say("  left out: " + r.leftOut.sorted { $0.key < $1.key }
                .map { "\($0.key.replacingOccurrences(of: "_", with: " ")) \($0.value)" }.joined(separator: ", "))
        }
        say("  manifest: \((r.out as NSString).appendingPathComponent("manifest.json"))")
    }

    private func listExports(_ store: Store) throws {
        let all = try ExportSummary.all(store: store)
        if json {
            let items = all.map { e in
                #"{"id":\#(e.id),"kind":"# + JSONValue.string(e.kind).serialized() + #","rows":\#(e.rows),"samples":\#(e.samples),"#
                    + #""created_at":\#(e.createdAt),"out":"# + JSONValue.string(e.out).serialized() + "}"
            }
            say("[" + items.joined(separator: ",") + "]")
            return
        }
        if all.isEmpty { say("no exports recorded yet"); return }
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm"
        f.timeZone = TimeZone(identifier: "UTC")
        func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
            let gap = String(repeating: " ", count: max(0, n - s.count))
            return right ? gap + s : s + gap
        }
        say("  id  kind              rows  created (UTC)     folder")
        for e in all {
            say(pad(String(e.id), 4, right: true) + "  " + pad(e.kind, 13) + " " + pad(String(e.rows), 8, right: true) + "  "
                + f.string(from: Date(timeIntervalSince1970: e.createdAt)) + "  " + e.out)
        }
    }

    private func showExport(_ id: Int64, _ config: SessionConfig, _ store: Store) throws {
        do {
            let audit = try ExportAudit.build(store: store, session: config, id: id)
            if json {
                var text = audit.json()
                if text.hasSuffix("\n") { text.removeLast() }
                say(text)
            } else {
                for line in audit.text() { say(line) }
            }
        } catch let e as ExportError {
            complain(e.description)
            throw Exit.badInput
        }
    }

    /// The command as typed, each argument quoted for a POSIX shell where it needs it.
    static func commandLine() -> String {
        (["recjudge"] + CommandLine.arguments.dropFirst()).map { arg in
            arg.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=,:@%+".contains($0) }) && !arg.isEmpty
                ? arg : "'" + arg.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
        }.joined(separator: " ")
    }
}

/// The judge prompt each rubric renders, exactly as `PromptRenderer` renders it for
/// `recjudge judge`. Each formatting thread writes with its own `PromptRenderer.MessageWriter`
/// per rubric (what depends on the user context alone is rendered and escaped once per
/// context, the rest of the template once).
struct RubricJudgePrompts: JudgePromptSource {
    let contextBudget: Int

    func makeWriter(rubrics: [Rubric]) -> any JudgeMessageWriter {
        Writer(rubrics.map { PromptRenderer.MessageWriter(PromptRenderer(rubric: $0, contextBudget: contextBudget)) })
    }

    var manifestDescription: JSONObject {
        JSONObject([("renderer", .string("the rubric's judge system and prompt templates (PromptRenderer)")),
                    ("context_budget", .number(String(contextBudget)))])
    }

    /// One thread's writers, by task.
    final class Writer: JudgeMessageWriter {
        /// By the rubrics' order.
        private let writers: [PromptRenderer.MessageWriter]

        init(_ writers: [PromptRenderer.MessageWriter]) { self.writers = writers }

        func appendMessages(task: Int, contextID: Int64, body: UnsafeBufferPointer<UInt8>,
                            context: (inout [UInt8]) throws -> Void, sample: () throws -> Sample, to out: inout [UInt8]) throws {
            try writers[task].append(contextID: contextID, body: body, context: context, sample: sample, to: &out)
        }
    }
}

/// A progress line on standard error while an export runs, when that is a terminal.
final class ExportMeter {
    private let enabled = isatty(2) == 1
    private var last = Date.distantPast
    private var shown = false

    func update(_ p: ExportProgress) {
        guard enabled, Date().timeIntervalSince(last) > 0.25 else { return }
        last = Date()
        shown = true
        FileHandle.standardError.write(Data("\r\u{1B}[K\(p.phase): \(p.scanned) samples read, \(p.rows) rows".utf8))
    }

    func clear() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
