import Foundation
import TestSupport

/// The repository root, found from this file's path.
let repoRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

func rubricPath(_ task: String) -> String { "\(repoRoot)/rubrics/\(task).yaml" }

func tempDir() -> String {
    // Under the test process's scratch folder, removed when the process exits.
    (try? temporaryDirectory(prefix: "domain").path) ?? NSTemporaryDirectory()
}
