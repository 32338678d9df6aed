import ArgumentParser

struct BenchExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Benchmark: export (not available in this build yet).")

    func run() throws {
        complain("bench export is not available in this build yet.")
        throw Exit.unavailable
    }
}
