import Testing
import Foundation
import Domain
@testable import Store

/// The statistics reader's decision scan, which steps SQLite on a thread of its own.
@Suite struct StatsReaderTests {
    /// 30,000 decision rows (several batches of the scan), with texts longer than eight bytes,
    /// NULL labels, leads and every action.
    func fixture() throws -> (Store, [DecisionInput]) {
        let s = try TestSession()
        let store = try s.open()
        _ = try Importer(store: store, session: s.config).importSamples(file: repoRoot + "/sessions/demo/samples.jsonl")
        let pks = try store.samplePKs(task: "tag")
        let dimensions = ["relevance", "consistency", "specificity", "validity"]
        let annotators = ["ann-a", "annotator-with-a-long-name", "lead-person"]
        let actions: [DecisionAction] = [.accept, .override, .label, .adjudicate, .undo, .redo, .import]
        var inputs: [DecisionInput] = []
        for i in 0..<30_000 {
            let action = actions[i % actions.count]
            inputs.append(DecisionInput(
                samplePK: pks[i % pks.count], dimension: dimensions[i % 4], annotator: annotators[(i / 4) % 3],
                role: (i / 4) % 3 == 2 ? .lead : .annotator, label: action == .undo ? nil : (i % 5 == 0 ? "weak_relevance" : "yes"),
                action: action, rubricVersion: 1, time: 1_750_000_000 + Double(i), importKey: action == .import ? "k\(i)" : nil))
        }
        _ = try store.record(inputs)
        return (store, inputs)
    }

    @Test func everyRowComesBackInOrderWithItsTexts() throws {
        let (store, inputs) = try fixture()
        let rows: [DecisionRow] = try store.readStatistics { reader in
            var rows: [DecisionRow] = []
            try reader.forEachDecision { rows.append($0) }
            // Texts behind the codes, resolved while the scan may still be running elsewhere.
            #expect(rows.allSatisfy { reader.text($0.dimension).isEmpty == false })
            #expect(zip(rows, inputs).allSatisfy { row, input in
                row.samplePK == input.samplePK && reader.text(row.dimension) == input.dimension
                    && reader.text(row.annotator) == input.annotator && row.role == input.role && row.action == input.action
                    && (row.label < 0 ? input.label == nil : reader.text(row.label) == input.label)
                    && row.time == input.time
            })
            return rows
        }
        #expect(rows.count == inputs.count)
    }

    @Test func aFailingConsumerStopsTheScanAndGetsItsError() throws {
        struct Stop: Error {}
        let (store, _) = try fixture()
        var seen = 0
        #expect(throws: Stop.self) {
            try store.readStatistics { reader in
                try reader.forEachDecision { _ in
                    seen += 1
                    if seen == 10_000 { throw Stop() }
                }
            }
        }
        #expect(seen == 10_000)
        // The store is usable afterwards: the statement was reset, the snapshot released.
        var count = 0
        try store.readStatistics { reader in try reader.forEachDecision { _ in count += 1 } }
        #expect(count == 30_000)
    }
}
