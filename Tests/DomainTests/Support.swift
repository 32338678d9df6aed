import Foundation

/// The repository root, found from this file's path.
let repoRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

func rubricPath(_ task: String) -> String { "\(repoRoot)/rubrics/\(task).yaml" }

func tempDir() -> String {
    let d = NSTemporaryDirectory() + "recjudge-test-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
}
