import ArgumentParser

/// Subcommands whose issue has not landed yet. They say so and fail; none pretends to work.
protocol Unavailable: ParsableCommand { static var issue: String { get } }

extension Unavailable {
    func run() throws {
        complain("\(Self.configuration.commandName ?? "this command") is not available in this build yet (\(Self.issue)).")
        throw Exit.unavailable
    }
}




struct Generate: Unavailable {
    static let issue = "not yet filed"
    static let configuration = CommandConfiguration(abstract: "Generate RecGPT-style samples through the LLM client (not available yet).")
    @Argument var session: String
}
