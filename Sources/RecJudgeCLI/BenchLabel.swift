import ArgumentParser

struct BenchLabel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Benchmark: label (not available in this build yet).")

    func run() throws {
        complain("bench label is not available in this build yet.")
        throw Exit.unavailable
    }
}
