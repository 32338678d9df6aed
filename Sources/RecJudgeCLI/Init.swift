import ArgumentParser
import Foundation
import Domain
import Store

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a session folder with its session.yaml and an empty store.",
        discussion: "The rubrics are referenced, not copied: by default rubrics/*.yaml of the current folder.")

    @Argument(help: "The session folder to create, e.g. sessions/round3.")
    var session: String

    @Option(help: "The folder holding interest.yaml, tag.yaml and explanation.yaml.")
    var rubrics: String = "rubrics"

    @Flag(help: "Overwrite an existing session.yaml.")
    var force = false

    func run() throws {
        let fm = FileManager.default
        let file = (session as NSString).appendingPathComponent(SessionConfig.fileName)
        if fm.fileExists(atPath: file), !force {
            complain("\(file): already exists (use --force to overwrite it)")
            throw Exit.badInput
        }
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: rubrics, isDirectory: &isDir), isDir.boolValue else {
            complain("\(rubrics): no rubric folder here (pass --rubrics PATH)")
            throw Exit.badInput
        }
        let names = ((try? fm.contentsOfDirectory(atPath: rubrics)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        guard !names.isEmpty else {
            complain("\(rubrics): holds no .yaml rubric")
            throw Exit.badInput
        }
        try fm.createDirectory(atPath: session, withIntermediateDirectories: true)
        let sessionURL = URL(fileURLWithPath: session).standardizedFileURL
        let rubricPaths = names.map { relativePath(from: sessionURL, to: URL(fileURLWithPath: rubrics).appendingPathComponent($0).standardizedFileURL) }
        let text = SessionConfig.render(name: sessionURL.lastPathComponent, rubricPaths: rubricPaths)
        // Check what we are about to write before writing it.
        let config: SessionConfig
        do { config = try SessionConfig.parse(text, file: file, folder: session) } catch {
            complain("\(error)")
            throw Exit.badInput
        }
        try writeAtomically(Array(text.utf8), to: file)
        _ = try Store(path: config.storePath)
        say("created \(file) with \(config.rubrics.count) rubrics (\(config.rubrics.map(\.task).joined(separator: ", "))) and the store \(config.storePath)")
    }
}

/// A relative path from a folder to a file ("../../rubrics/tag.yaml").
func relativePath(from base: URL, to target: URL) -> String {
    let b = base.pathComponents, t = target.pathComponents
    var i = 0
    while i < b.count, i < t.count, b[i] == t[i] { i += 1 }
    if i <= 1 { return target.path }
    return (Array(repeating: "..", count: b.count - i) + t[i...]).joined(separator: "/")
}
