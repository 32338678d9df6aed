import Foundation

/// The repository root (the folder holding Package.swift), found from this file's path with
/// symbolic links resolved.
public let repoRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent()  // TestSupport
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

/// `<repo-root>/../shared/data`: shared test data, read-only (copy before changing anything).
public let sharedDataDirectory: URL = repoRoot.deletingLastPathComponent()
    .appendingPathComponent("shared").appendingPathComponent("data")

/// The build folder holding the test bundle and the executables built with it
/// (`recjudge`, `termcheck`).
public let builtProductsDir: URL = {
    let executable = Bundle.main.executableURL
        ?? URL(fileURLWithPath: CommandLine.arguments.first ?? ".")
    return executable.resolvingSymlinksInPath().deletingLastPathComponent()
}()

/// The path of an executable built beside the tests.
/// - Throws: `SpawnError` naming the folder searched when it is not there (the test target
///   must depend on the executable target for SwiftPM to build it).
public func builtProduct(_ name: String) throws -> URL {
    let url = builtProductsDir.appendingPathComponent(name)
    guard FileManager.default.isExecutableFile(atPath: url.path) else {
        throw SpawnError(description: "\(name) is not built in \(builtProductsDir.path); add it to the test target's dependencies")
    }
    return url
}

/// The folder every directory tests make is in: one per test process, removed when the
/// process exits (fixtures that are values cannot remove their own, and a test run used to
/// leave hundreds of stores behind).
public let testScratchRoot: URL = {
    let url = URL(fileURLWithPath: scratchRootPath())
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    atexit(removeScratchRoot)
    return url
}()

private func scratchRootPath() -> String { NSTemporaryDirectory() + "recjudge-tests-\(getpid())" }

private func removeScratchRoot() { try? FileManager.default.removeItem(atPath: scratchRootPath()) }

/// Creates a new empty directory under `testScratchRoot` and returns it. The caller may remove
/// it when done; what is left goes when the test process exits.
public func temporaryDirectory(prefix: String = "recjudge") throws -> URL {
    let url = testScratchRoot.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
