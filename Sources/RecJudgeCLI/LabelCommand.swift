import ArgumentParser
import Foundation
import Domain
import Store
import TerminalKit
import CursesBackend
import Workbench

struct Label: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the annotator's queue in the workbench.",
        discussion: """
        Shows the user context, the output and, per dimension, the judge's label and rationale
        beside your own column. Press ? for every key. Each answer is written to the store
        before the screen says "saved"; quitting or losing the connection loses nothing shown
        as saved.

        Work is shared out by the session's assignment policy: you claim samples in batches,
        each under a lease that returns it to the pool if you stop working on it. You never
        see other annotators' labels.

        Keys can be rebound in ~/.config/recjudge/keys.yaml (or keys.yaml in the session
        folder): bind: {accept: a, next: [n, down], redo: none}; a review: section does the
        same for `recjudge review`.
        """)

    @Argument(help: "The session folder.") var session: String
    @Option(help: "Who is labelling (default: $USER).") var annotator: String?
    @Flag(help: "Hide the judge on a sample until you have answered every dimension.") var blind = false
    @Option(help: "The task to label (default: the first of the session's tasks that has samples).") var task: String?
    @Option(help: "Show this judge's newest version with verdicts (default: the newest of any judge).") var judge: String?
    @Option(help: "Colours: auto, never, 8 or 256 (auto honours NO_COLOR).") var color: String = "auto"
    @Option(help: "A keymap file to use instead of ~/.config/recjudge/keys.yaml.") var keys: String?

    func validate() throws {
        guard Self.colorModes[color] != nil else {
            throw ValidationError("--color takes auto, never, 8 or 256 (not '\(Safe.text(color))')")
        }
        if let annotator { try Self.check(annotator: annotator, from: "--annotator") }
    }

    static let colorModes: [String: ColorMode] = ["auto": .auto, "never": .monochrome, "none": .monochrome,
                                                   "8": .colors8, "256": .colors256]

    static func check(annotator: String, from source: String) throws {
        let bad = annotator.isEmpty || annotator.count > 64 || annotator.unicodeScalars.contains { Sanitizer.isControl($0) }
            || annotator.hasPrefix(" ") || annotator.hasSuffix(" ")
        if bad {
            throw ValidationError("\(source) must be a name of 1–64 printable characters without surrounding spaces")
        }
    }

    func run() async throws {
        let setup = try prepare()
        let summary = try await MainActor.run { try Self.runScreen(setup: setup.0, store: setup.1, color: Self.colorModes[color] ?? .auto) }
        say(summary)
    }

    /// Everything that can fail before the screen opens: session, store, task, judge, keys.
    func prepare() throws -> (LabelSetup, Store) {
        let who = try ScreenSetup.person(annotator, option: "--annotator", question: "who is labelling?")
        let (config, store) = try openSession(session)
        let rubric = try ScreenSetup.rubric(task, in: config, store: store, session: session)

        var shown: JudgeShown?
        do {
            if let v = try store.latestJudgeVersion(task: rubric.task, judge: judge) {
                shown = JudgeShown(id: v.id, judge: v.judge, version: v.version)
            } else if let judge {
                complain("judge '\(judge)' has no verdicts for task '\(rubric.task)': run `recjudge judge \(session) --judge \(judge)` first")
                throw Exit.badInput
            }
        } catch let e as ExitCode { throw e } catch { complain("\(error)"); throw Exit.failure }

        let keymap = try ScreenSetup.keymaps(keys: keys, session: session).label
        let setup = LabelSetup(session: config.name, task: rubric.task, annotator: who, rubric: rubric, blind: blind,
                               judge: shown, policy: config.assignment, keymap: keymap)
        return (setup, store)
    }

    @MainActor
    static func runScreen(setup: LabelSetup, store: Store, color: ColorMode) throws -> String {
        let runtime = LabelRuntime(setup: setup, store: store)
        try ScreenSetup.run(runtime, color: color)
        let s = runtime.state
        let finished = s.claimed.filter { s.done.contains($0) }.count
        var line = "\(setup.annotator) · \(setup.task): \(s.savedCount) change\(s.savedCount == 1 ? "" : "s") saved this session; "
            + "\(finished) of \(s.claimed.count) claimed samples finished"
        if let e = s.saveError { line += "; the last write failed: \(e)" }
        return line
    }
}
