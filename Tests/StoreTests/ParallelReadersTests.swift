import Testing
import Foundation
import Domain
@testable import Store

/// `readExportInParallel`: several connections, one snapshot.
@Suite struct ParallelReadersTests {
    func fixture() throws -> (TestSession, Store, [Int64]) {
        let s = try TestSession()
        let store = try s.open()
        _ = try Importer(store: store, session: s.config).importSamples(file: repoRoot + "/sessions/demo/samples.jsonl")
        return (s, store, try store.samplePKs(task: "tag"))
    }

    func decision(_ pk: Int64, _ annotator: String) -> DecisionInput {
        DecisionInput(samplePK: pk, dimension: "relevance", annotator: annotator, label: "yes", action: .label,
                      rubricVersion: 1, time: 1_750_000_000)
    }

    @Test func everyReaderSeesTheSnapshotTakenTogetherNotWhatCommitsMeanwhile() throws {
        let (s, store, pks) = try fixture()
        _ = try store.record([decision(pks[0], "before")])
        let writer = try s.open()   // another connection, as another process would have
        let committed = DispatchSemaphore(value: 0)
        let seen = Counts()
        try store.readExportInParallel(3) { index, reader in
            if index == 0 {
                // Commits while every reader's transaction is open (the write lock is free again).
                _ = try writer.record([decision(pks[1], "during")])
                for _ in 1..<3 { committed.signal() }
            } else {
                committed.wait()
            }
            seen.add(index, try reader.decisionsThrough())
        }
        #expect(seen.values.count == 3)
        #expect(Set(seen.values.values).count == 1, "\(seen.values)")
        #expect(seen.values[0] == 1)
        // Outside the snapshot the write is there.
        #expect(try store.readExport { try $0.decisionsThrough() } == 2)
    }

    @Test func theFirstErrorOfAnyReaderIsThrownAfterEveryReaderReturned() throws {
        struct Broke: Error, Equatable { var index: Int }
        let (_, store, _) = try fixture()
        let finished = Counts()
        #expect(throws: Broke(index: 2)) {
            try store.readExportInParallel(3) { index, reader in
                if index == 2 { throw Broke(index: 2) }
                finished.add(index, try reader.decisionsThrough())
            }
        }
        #expect(finished.values.keys.sorted() == [0, 1])
    }

    @Test func aScanInKeyRangesReadsWhatOneScanReads() throws {
        let (_, store, pks) = try fixture()
        _ = try store.record(pks.enumerated().filter { $0.offset % 3 == 0 }.map { decision($0.element, "ann") })
        let whole: [Int64: Int] = try store.readExport { reader in
            var out: [Int64: Int] = [:]
            try reader.forEachSample(EvidenceScan(tasks: ["tag"], onlyHumanLabelled: true)) { out[$0.pk] = $0.decisions.count }
            return out
        }
        let keys = try store.readExport { try $0.sampleKeys() }
        var pieces: [Int64: Int] = [:]
        try store.readExport { reader in
            var low = keys.lowerBound
            while low <= keys.upperBound {
                let range = low...min(keys.upperBound, low + 6)
                try reader.forEachSample(EvidenceScan(tasks: ["tag"], onlyHumanLabelled: true, pkRange: range)) { e in
                    #expect(range.contains(e.pk))
                    pieces[e.pk] = e.decisions.count
                }
                low += 7
            }
        }
        #expect(!whole.isEmpty)
        #expect(pieces == whole)
    }
}

/// Values written by several threads.
private final class Counts: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Int: Int64] = [:]
    func add(_ key: Int, _ value: Int64) { lock.lock(); stored[key] = value; lock.unlock() }
    var values: [Int: Int64] { lock.lock(); defer { lock.unlock() }; return stored }
}
