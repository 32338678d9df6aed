import Foundation
import TestSupport
import Domain
import Store

let repoRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// A throwaway session folder using the shipped rubrics, with its own store.
struct TestSession {
    let folder: String
    let config: SessionConfig

    init(judges: String = "  - {name: rules, kind: rules}\n  - {name: ext, kind: replay}\n") throws {
        folder = try temporaryDirectory(prefix: "store").path
        let yaml = """
        rubrics:
          - \(repoRoot)/rubrics/interest.yaml
          - \(repoRoot)/rubrics/tag.yaml
          - \(repoRoot)/rubrics/explanation.yaml
        judges:
        \(judges)
        """
        try yaml.write(toFile: folder + "/session.yaml", atomically: true, encoding: .utf8)
        config = try SessionConfig.load(folder: folder)
    }

    func open() throws -> Store { try Store(path: config.storePath) }

    func write(_ name: String, _ text: String) throws -> String {
        let p = folder + "/" + name
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let p = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    /// The store's bytes with every connection closed.
    func storeBytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: config.storePath)) }
}

func tagLine(_ id: String, tag: String = "轻量缓震跑步鞋", user: String = "u1") -> String {
    #"{"id": "\#(id)", "task": "tag", "user": {"id": "\#(user)", "behaviors": [{"time": "2025-06-01", "type": "search", "query": "跑鞋"}], "interests": ["跑步"]}, "output": {"tag": "\#(tag)", "interest": "跑步"}}"#
}
