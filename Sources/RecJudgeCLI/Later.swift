import ArgumentParser

/// Subcommands whose issue has not landed yet. They say so and fail; none pretends to work.
protocol Unavailable: ParsableCommand { static var issue: String { get } }

extension Unavailable {
    func run() throws {
        complain("\(Self.configuration.commandName ?? "this command") is not available in this build yet (\(Self.issue)).")
        throw Exit.unavailable
    }
}



struct Stats: Unavailable {
    static let issue = "issue 5: agreement statistics"
    static let configuration = CommandConfiguration(abstract: "Agreement per task and dimension (not available yet: issue 5).")
    @Argument var session: String
}

struct Export: Unavailable {
    static let issue = "issue 6: export"
    static let configuration = CommandConfiguration(abstract: "Export curated training sets (not available yet: issue 6).")
    @Argument var session: String
}

struct Generate: Unavailable {
    static let issue = "not yet filed"
    static let configuration = CommandConfiguration(abstract: "Generate RecGPT-style samples through the LLM client (not available yet).")
    @Argument var session: String
}
