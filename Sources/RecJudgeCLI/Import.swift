import ArgumentParser
import Foundation
import Domain
import Store

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import samples, human decisions (--labels) or an external judge's verdicts (--verdicts JUDGE).",
        discussion: """
        Every line is checked first; a bad line names file:line and the field, and unless
        --skip-invalid is given nothing is imported. Re-importing the same file changes nothing.
        Samples: one JSON object per line, a sample or a user context with `outputs`.
        Labels: {"sample", "annotator", "dimension", "label", "comment"?, "time"?, "role"?}.
        Verdicts: {"sample", "dimension", "label", "rationale"?} or {"sample", "verdicts": {dim: {"label", "rationale"?}}}.
        """)

    @Argument(help: "The session folder.") var session: String
    @Argument(help: "A JSON Lines file.") var file: String

    @Flag(help: "The file holds human decisions made elsewhere.") var labels = false
    @Option(help: "The file holds verdicts of this replay judge (named in session.yaml).") var verdicts: String?
    @Flag(help: "Import the good lines and set the bad ones aside.") var skipInvalid = false
    @Option(help: "With --skip-invalid: write each bad line and its reason here.") var rejects: String?

    func validate() throws {
        if labels && verdicts != nil { throw ValidationError("give either --labels or --verdicts JUDGE, not both") }
        if rejects != nil && !skipInvalid { throw ValidationError("--rejects only makes sense with --skip-invalid") }
    }

    func run() throws {
        let (config, store) = try openSession(session)
        let importer = Importer(store: store, session: config)
        let options = ImportOptions(skipInvalid: skipInvalid, rejectsPath: rejects)
        let report: ImportReport
        do {
            if labels { report = try importer.importLabels(file: file, options: options) }
            else if let judge = verdicts { report = try importer.importVerdicts(file: file, judge: judge, options: options) }
            else { report = try importer.importSamples(file: file, options: options) }
        } catch let e as InputErrors {
            complain(e.description)
            complain("nothing was imported (\(e.total) bad line\(e.total == 1 ? "" : "s"); fix them or use --skip-invalid --rejects FILE)")
            throw Exit.badInput
        } catch let e as InputError {
            complain(e.description)
            throw Exit.badInput
        }
        for n in report.notes { complain(n) }
        if skipInvalid { for e in report.errors { complain(e.description) } }
        let what = labels ? "decisions" : verdicts != nil ? "verdicts" : "samples"
        var line = "\(file): \(report.added) \(what) added, \(report.unchanged) unchanged"
        if skipInvalid { line += ", \(report.rejected) rejected" + (rejects.map { " (written to \($0))" } ?? "") }
        say(line)
    }
}

/// Loads a session and opens its store, turning errors into messages and exit codes.
func openSession(_ folder: String) throws -> (SessionConfig, Store) {
    let config: SessionConfig
    do { config = try SessionConfig.load(folder: folder) } catch {
        complain("\(error)")
        throw Exit.badInput
    }
    let announce = { (pending: [String]) in
        complain("updating the store to the current schema (\(pending.joined(separator: "; "))): once, and it may take minutes on a large store")
    }
    do { return (config, try Store(path: config.storePath, migrating: announce)) } catch {
        complain("\(error)")
        throw Exit.failure
    }
}
