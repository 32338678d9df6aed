import ArgumentParser
import Foundation
import Domain
import Store
import TerminalKit
import CursesBackend
import Workbench

/// Setup shared by the commands that open a screen or run over a session's tasks.
enum ScreenSetup {
    /// Both screens' keymaps: `--keys FILE` (which must exist) instead of the user's
    /// `keys.yaml`, then the session folder's `keys.yaml`; refused with the file and line.
    static func keymaps(keys: String?, session: String) throws -> Keymaps {
        var files: [String] = []
        if let keys {
            guard FileManager.default.fileExists(atPath: keys) else {
                complain("\(keys): no such keymap file")
                throw Exit.badInput
            }
            files.append(keys)
        } else if let user = KeymapFile.userPath() {
            files.append(user)
        }
        files.append((session as NSString).appendingPathComponent("keys.yaml"))
        do { return try KeymapFile.loadAll(files) } catch {
            complain("\(error)")
            throw Exit.badInput
        }
    }

    /// Opens the terminal, runs `screen` (and any screen it opens) until it finishes or the
    /// terminal goes away, and gives the terminal back.
    @MainActor
    static func run(_ screen: any Screen, color: ColorMode) throws {
        let terminal: CursesTerminal
        do { terminal = try CursesTerminal(colorMode: color) } catch {
            complain("\(error)")
            throw ExitCode.failure
        }
        ScreenRunner(terminal: terminal, invalidate: { terminal.invalidate() }, suspend: { terminal.suspend() }).run(screen)
        terminal.close()
    }

    /// The person working: the given name, else `$USER`; refused with a message naming `option`.
    static func person(_ given: String?, option: String, question: String) throws -> String {
        if let given { return given }
        guard let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty else {
            complain("\(question) give \(option) NAME (USER is not set)")
            throw Exit.badInput
        }
        do { try Label.check(annotator: user, from: "$USER") } catch { complain("\(error)"); throw Exit.badInput }
        return user
    }

    /// The rubric of `task`, refused with the session's tasks when unknown.
    static func rubric(_ task: String, in config: SessionConfig) throws -> Rubric {
        guard let r = config.rubric(for: task) else {
            complain(UnknownName.task(task, known: config.rubrics.map(\.task)))
            throw Exit.badInput
        }
        return r
    }

    /// The rubric of `task`, or of the first task that has samples.
    static func rubric(_ task: String?, in config: SessionConfig, store: Store, session: String) throws -> Rubric {
        if let task { return try rubric(task, in: config) }
        let counts: [String: Int]
        do { counts = try store.sampleCounts() } catch { complain("\(error)"); throw Exit.failure }
        guard let r = config.rubrics.first(where: { (counts[$0.task] ?? 0) > 0 }) else {
            complain("\(session) has no samples yet: import some first (recjudge import \(session) FILE)")
            throw Exit.badInput
        }
        return r
    }
}
