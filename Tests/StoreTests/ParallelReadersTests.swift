import Testing
import Foundation
import Domain
@testable import Store
import GRDB

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

/// Schema v5 keeps each export's distinct labels once, v6 a preference pair's side and partner
/// in two columns: a store recorded under v4 reads back the same rows after the migrations.
@Suite struct ExportRowsMigrationTests {
    @Test func rowsRecordedBeforeVersion5ReadBackTheSame() throws {
        let s = try TestSession()
        do {
            let store = try s.open()
            _ = try Importer(store: store, session: s.config).importSamples(file: repoRoot + "/sessions/demo/samples.jsonl")
        }
        // Back to the v4 shape, with rows as v4 wrote them (labels inline).
        let queue = try DatabaseQueue(path: s.config.storePath)
        let samples = try queue.read { try Row.fetchAll($0, sql: "SELECT pk, id FROM samples ORDER BY pk LIMIT 40") }
        let pks: [Int64] = samples.map { $0[0] }
        let ids: [String] = samples.map { $0[1] }
        let texts = [#"{"relevance":["yes","judge"]}"#, #"{"relevance":["no","single"]}"#, "{}"]
        var written: [Int64: [Int64: (split: String, labels: String)]] = [:]
        try queue.write { db in
            try db.execute(sql: """
                DROP TABLE export_rows; DROP TABLE export_label_sets;
                CREATE TABLE export_rows (
                    export_id INTEGER NOT NULL REFERENCES exports(id), sample_pk INTEGER NOT NULL REFERENCES samples(pk),
                    split TEXT NOT NULL, labels TEXT NOT NULL, PRIMARY KEY (export_id, sample_pk)) WITHOUT ROWID;
                DELETE FROM grdb_migrations WHERE identifier LIKE 'v5:%' OR identifier LIKE 'v6:%';
                """)
            for export in 1...2 {
                try db.execute(sql: "INSERT INTO exports (id, kind, out, manifest, command, created_at) VALUES (?, 'generator-sft', '/x', '{}', 'c', 0)",
                               arguments: [export])
                for (i, pk) in pks.enumerated() where (i + export) % 3 != 0 {
                    // Preference rows carried their pair in their text (a partner that is not a
                    // sample, as in a store edited by hand, once).
                    let labels = i % 10 == 0 ? #"{"$pair":["chosen","\#(ids[i + 1])"],"relevance":["yes","judge"]}"#
                        : i % 10 == 1 ? #"{"$pair":["rejected","\#(ids[i - 1])"]}"#
                        : i == 5 ? #"{"$pair":["chosen","no-such-sample"]}"# : texts[(i + export) % texts.count]
                    let split = ["train", "dev", "test"][i % 3]
                    try db.execute(sql: "INSERT INTO export_rows VALUES (?, ?, ?, ?)", arguments: [export, pk, split, labels])
                    written[Int64(export), default: [:]][pk] = (split, labels)
                }
            }
        }
        // Opening says which migrations are about to run (a new store says nothing).
        var announced: [String] = []
        let store = try Store(path: s.config.storePath, migrating: { announced = $0 })
        #expect(announced == Schema.migrator.migrations.filter { $0.hasPrefix("v5:") || $0.hasPrefix("v6:") })
        #expect(try store.appliedMigrations() == Schema.migrator.migrations)
        var announcedForNew = false
        _ = try Store(path: s.folder + "/new.sqlite", migrating: { _ in announcedForNew = true })
        #expect(!announcedForNew)
        for (export, rows) in written {
            var read: [Int64: (split: String, labels: String)] = [:]
            try store.forEachExportRow(exportID: export) { read[$0.samplePK] = ($0.split, $0.labels) }
            #expect(read.count == rows.count)
            #expect(read.allSatisfy { rows[$0.key]?.split == $0.value.split && rows[$0.key]?.labels == $0.value.labels })
            #expect(try store.export(id: export)?.samples == rows.count)
        }
        // The pairs whose partner is a sample moved to label sets and the two pair columns.
        let inline = try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM export_rows WHERE labels IS NOT NULL") }
        let pairs = try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM export_rows WHERE pair_with IS NOT NULL") }
        #expect(inline == written.values.filter { $0[pks[5]] != nil }.count, "only the orphan keeps its text")
        #expect(pairs == written.values.map { r in r.values.filter { $0.labels.hasPrefix(#"{"$pair""#) }.count }.reduce(0, +) - (inline ?? 0))
    }
}
