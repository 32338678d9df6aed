import ArgumentParser

struct BenchStats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Benchmark: stats (not available in this build yet).")

    func run() throws {
        complain("bench stats is not available in this build yet.")
        throw Exit.unavailable
    }
}
