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

/// Creates a new empty directory under the system temporary folder and returns it. The
/// caller removes it when done (or leaves it for the system to clean).
public func temporaryDirectory(prefix: String = "recjudge") throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(prefix)-\(getpid())-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
