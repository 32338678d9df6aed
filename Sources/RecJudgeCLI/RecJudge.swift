import ArgumentParser
import Foundation

/// The `recjudge` command.
public struct RecJudge: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "recjudge",
        abstract: "A terminal workbench where humans and LLM judges grade recommender outputs together.",
        discussion: """
        The loop: import samples into a session store, run judges, label in the workbench,
        watch agreement, export curated training sets. A session is a folder with a
        session.yaml (see `recjudge init`).
        """,
        subcommands: [Init.self, Import.self, Status.self, Judge.self, Label.self, Review.self, Stats.self,
                      Export.self, Generate.self, Bench.self]
    )

    public init() {}
}

/// Exit codes that mean something to scripts.
enum Exit {
    /// The input (a file, an option) was refused; nothing was changed.
    static let badInput = ExitCode(65)
    /// The store or the file system failed.
    static let failure = ExitCode(74)
    /// The feature is not part of this build yet.
    static let unavailable = ExitCode(69)
}

/// Prints to standard error, made safe for a terminal.
func complain(_ message: String) {
    FileHandle.standardError.write(Data((Safe.text(message) + "\n").utf8))
}

/// Prints to standard output, made safe for a terminal.
func say(_ message: String) {
    print(Safe.text(message))
}
