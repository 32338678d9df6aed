// Exports large enough to cross many batches of the formatting threads: rows must come out
// in sample order, whole, the same every time, with contexts that span batch boundaries.
import Foundation
import Testing
import Domain
@testable import Store
import GRDB
@testable import Curation

@Suite struct ExportThreadsTests {
    /// 1,600 tag samples of 64 users (25 each, so most 256-row batches start mid-context), a
    /// replay judge on every one (every 7th fails validity), 120 checked by a human.
    func fixture() throws -> (ExportFixture, passing: [String]) {
        let f = try ExportFixture()
        var specs: [(String, String, Int?)] = []
        for u in 0..<64 { for k in 0..<25 { specs.append((String(format: "s%02d-%02d", u, k), "user-\(u)", nil)) } }
        try f.addSamples(specs.map { ExportFixture.tagLine($0.0, user: $0.1) })
        var verdicts: [String] = []
        var passing: [String] = []
        for (i, s) in specs.enumerated() {
            let fails = i % 7 == 3
            if !fails { passing.append(s.0) }
            for d in tagDimensions {
                let label = fails && d.key == "validity" ? d.fail : d.pass
                verdicts.append(#"{"sample": "\#(s.0)", "dimension": "\#(d.key)", "label": "\#(label)", "rationale": "r \#(s.0)"}"#)
            }
        }
        let file = f.folder + "/verdicts.jsonl"
        try (verdicts.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        _ = try Importer(store: f.store, session: f.config).importVerdicts(file: file, judge: "ext")
        for (i, s) in specs.enumerated() where i % 13 == 0 {
            try f.labelTag(s.0, by: "alice", fail: i % 7 == 3 ? ["validity"] : [])
        }
        return (f, passing)
    }

    func trusting(_ o: inout ExportOptions) {
        o.metadata = true
        o.rule = FinalLabelRule(trustJudge: 0.9, minHuman: 50, judge: "ext")
    }

    @Test func rowsComeOutWholeInSampleOrderAndTheSameEveryTime() throws {
        let (f, passing) = try fixture()
        let first = try f.export(.generatorSFT, trusting)
        let second = try f.export(.generatorSFT, trusting)
        #expect(first.rows == passing.count)

        var seen: [String] = []
        for (split, rows) in try readExport(first.out) {
            let ids = rows.map { $0["metadata"]?[path: "sample_id"]?.string ?? "?" }
            #expect(ids == ids.sorted(), "\(split).jsonl is in sample order")
            for (row, id) in zip(rows, ids) {
                let messages = row["messages"]?.array ?? []
                #expect(messages.count == 3)
                // The assistant's answer is the sample's own output, in the rubric's field order.
                #expect(messages.last?.object?["content"]?.string
                        == #"{"tag":"轻量缓震跑步鞋-\#(id)","interest":"跑步","reason":"近期搜索跑鞋"}"#)
                #expect(messages[1].object?["content"]?.string?.contains("跑鞋") == true)
            }
            seen += ids
        }
        #expect(seen.sorted() == passing)
        for split in ["train", "dev", "test"] {
            let a = FileManager.default.contents(atPath: first.out + "/\(split).jsonl")
            #expect(a != nil && a == FileManager.default.contents(atPath: second.out + "/\(split).jsonl"))
        }
        #expect(try readManifest(first.out)[path: "source.hash"] == readManifest(second.out)[path: "source.hash"])

        // Every written row is recorded, with its split, in the store.
        var recorded: [String: String] = [:]
        var labelled: [String: JSONObject] = [:]
        try f.store.forEachExportRow(exportID: first.exportID) { row in
            recorded[row.sampleID] = row.split
            labelled[row.sampleID] = try JSONParser.parse(row.labels).object
        }
        #expect(recorded.count == passing.count)
        // Every recorded row carries its own labels (rows are recorded 64 to a statement).
        for (i, id) in passing.enumerated() {
            let labels = try #require(labelled[id], "\(id)")
            #expect(labels.keys == tagDimensions.map(\.key))
            let humanChecked = Int(id.dropFirst().prefix(2))! * 25 + Int(id.suffix(2))!
            let source = humanChecked % 13 == 0 ? "single" : "judge"
            #expect(labels.values.allSatisfy { $0 == .array([.string("yes"), .string(source)]) }, "\(id) #\(i): \(labels)")
        }
        for (split, rows) in try readExport(first.out) {
            for row in rows { #expect(recorded[row["metadata"]?[path: "sample_id"]?.string ?? "?"] == split) }
        }
    }

    /// Pass two reads users by spans on several threads: the pairs are those one reader in
    /// user order makes (per user, in user-id byte order: passing and failing outputs paired in
    /// sample order), each split file in that order, the same every time.
    @Test func preferencePairsComeOutInUserOrderAcrossSpansOfUsers() throws {
        let (f, passing) = try fixture()
        let passes = Set(passing)
        // The fixture's 64 users make several spans, cut as the export cuts them.
        let layout = ChunkLayout(keys: try f.store.readExport { try $0.sampleKeys() }, threads: ExportWork.readingThreads)
        let starts = try f.store.readExport { try $0.userSpanStarts(samples: Int(layout.size)) }
        #expect(starts.count >= 4, "\(starts)")
        let r = try f.export(.preference, trusting)
        let again = try f.export(.preference, trusting)
        var expected: [String] = []
        for u in (0..<64).sorted(by: { Array("user-\($0)".utf8).lexicographicallyPrecedes(Array("user-\($1)".utf8)) }) {
            let ids = (0..<25).map { String(format: "s%02d-%02d", u, $0) }
            let (p, q) = (ids.filter { passes.contains($0) }, ids.filter { !passes.contains($0) })
            for k in 0..<min(p.count, q.count) { expected.append(p[k] + ">" + q[k]) }
        }
        #expect(r.rows == expected.count && expected.count > 100)
        var all: [String] = []
        for (split, rows) in try readExport(r.out) {
            let pairs = rows.map { ($0["metadata"]?[path: "chosen_id"]?.string ?? "?") + ">" + ($0["metadata"]?[path: "rejected_id"]?.string ?? "?") }
            let inSplit = Set(pairs)
            #expect(pairs == expected.filter { inSplit.contains($0) }, "\(split).jsonl is in user order")
            all += pairs
            #expect(FileManager.default.contents(atPath: r.out + "/\(split).jsonl") == FileManager.default.contents(atPath: again.out + "/\(split).jsonl"))
        }
        #expect(all.sorted() == expected.sorted())
        #expect(try readManifest(r.out)[path: "source.hash"] == readManifest(again.out)[path: "source.hash"])
    }

    @Test func judgeSFTRowsEachCarryTheirOwnSampleAcrossBatches() throws {
        let (f, _) = try fixture()
        let r = try f.export(.judgeSFT, trusting)
        #expect(r.rows == 1600)
        for (_, rows) in try readExport(r.out) {
            for row in rows {
                let id = row["metadata"]?[path: "sample_id"]?.string ?? "?"
                let messages = row["messages"]?.array ?? []
                // The stub prompt names the sample it was rendered for.
                #expect(messages[1].object?["content"]?.string?.hasPrefix("grade \(id):") == true)
            }
        }
    }

    @Test func eachPhaseIsTimedOnceWhateverTheThreadsWhetherOrNotJudgesAreMeasured() throws {
        let (f, _) = try fixture()
        let names = ["measuring judges", "reading and writing the sets", "syncing the files", "recording in the store"]
        for kind in [ExportKind.generatorSFT, .preference] {
            let trusted = try f.export(kind, trusting)
            let humansOnly = try f.export(kind) { $0.metadata = true }
            #expect(trusted.phases.map(\.name) == names, "\(kind)")
            #expect(humansOnly.phases.map(\.name) == names, "\(kind)")
            #expect(trusted.phases.allSatisfy { $0.seconds >= 0 })
        }
    }

    @Test func aDamagedSampleDeepInTheScanFailsTheExportAndLeavesNothing() throws {
        let (f, _) = try fixture()
        // A hand-edited store: one body, far past the first batches, is no longer JSON.
        let pk = try f.pk("s40-07")
        try f.store.write("damage a sample") { db in
            try db.execute(sql: "UPDATE samples SET body = '{\"output\": {\"tag\": ' WHERE pk = ?", arguments: [pk])
        }
        let out = f.folder + "/out-damaged"
        #expect {
            try f.export(.generatorSFT, out: out, trusting)
        } throws: { error in
            "\(error)".contains("s40-07") && "\(error)".contains("damaged")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: f.folder).filter { $0.hasPrefix(".out-damaged") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        #expect(try f.store.exports().isEmpty)
    }
}
