import Foundation
import TestSupport
import Domain
import Store

let repoRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// A temporary session with the shipped rubrics and the given judges block.
struct JudgeSession {
    let folder: String
    let config: SessionConfig
    let store: Store

    init(judges: String) throws {
        folder = try temporaryDirectory(prefix: "judges").path
        try """
        rubrics:
          - \(repoRoot)/rubrics/interest.yaml
          - \(repoRoot)/rubrics/tag.yaml
          - \(repoRoot)/rubrics/explanation.yaml
        judges:
        \(judges)
        """.write(toFile: folder + "/session.yaml", atomically: true, encoding: .utf8)
        config = try SessionConfig.load(folder: folder)
        store = try Store(path: config.storePath)
    }

    /// Imports tag samples whose tags are the given strings (ids t0, t1, …).
    func importTags(_ tags: [String]) throws {
        let lines = tags.enumerated().map { i, tag in
            #"{"id": "t\#(i)", "task": "tag", "user": {"id": "u\#(i)", "behaviors": [{"time": "2025-06-01", "type": "search", "query": "跑鞋"}], "interests": ["跑步"]}, "output": {"tag": "\#(tag)", "interest": "跑步"}}"#
        }
        let path = folder + "/samples.jsonl"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        _ = try Importer(store: store, session: config).importSamples(file: path)
    }

    func verdicts(_ id: String) throws -> [String: StoredVerdict] {
        let pk = try store.sample(id: id)!.pk
        return Dictionary(uniqueKeysWithValues: try store.verdicts(samplePK: pk).map { ($0.dimension, $0) })
    }
}

/// A full, valid tag verdict as a model would write it.
let goodTagReply = #"{"relevance": {"label": "yes", "rationale": "serves running"}, "consistency": {"label": "yes", "rationale": "fits"}, "specificity": {"label": "low_specificity", "rationale": "too broad"}, "validity": {"label": "yes", "rationale": "exists"}}"#
