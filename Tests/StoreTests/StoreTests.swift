import Testing
import Foundation
import Domain
@testable import Store

@Suite struct StoreTests {
    @Test func migratesAnEmptyStore() throws {
        let s = try TestSession()
        let store = try s.open()
        #expect(try store.appliedMigrations() == Schema.migrator.migrations)
        #expect(try store.appliedMigrations().first?.hasPrefix("v1:") == true)
        #expect(try store.sampleCount() == 0)
        // Opening again applies nothing new and keeps data.
        let again = try s.open()
        #expect(try again.appliedMigrations() == store.appliedMigrations())
    }

    @Test func theDemoSessionImportsAndReadsBack() throws {
        let s = try TestSession()
        let store = try s.open()
        let demo = repoRoot + "/sessions/demo/samples.jsonl"
        let report = try Importer(store: store, session: s.config).importSamples(file: demo)
        let lines = try String(contentsOfFile: demo, encoding: .utf8).split(separator: "\n")
        #expect(report.added == lines.count)
        let counts = try store.sampleCounts()
        #expect(counts.keys.sorted() == ["explanation", "interest", "tag"])
        // Every sample reads back equal to its line.
        let reader = SampleReader(rubrics: s.config.rubrics)
        for (i, line) in lines.enumerated() where i % 7 == 0 {
            let original = try reader.samples(from: try JSONParser.parse(String(line)))[0]
            let stored = try #require(try store.sample(id: original.id))
            // Equal content; the body is stored in canonical key order, the context as written.
            #expect(stored.sample.bodyJSON() == original.bodyJSON(), "\(original.id)")
            #expect(stored.sample.user == original.user, "\(original.id)")
            #expect(stored.source == "samples.jsonl:\(i + 1)")
        }
        // Contexts are stored once per distinct user context.
        #expect(try store.contextCount() < lines.count)
        // Importing again changes nothing.
        let again = try Importer(store: store, session: s.config).importSamples(file: demo)
        #expect(again.added == 0 && again.unchanged == lines.count)
    }

    @Test func sameIdDifferentContentNamesBothLines() throws {
        let s = try TestSession()
        let store = try s.open()
        let a = try s.write("a.jsonl", tagLine("t1") + "\n" + tagLine("t2") + "\n")
        _ = try Importer(store: store, session: s.config).importSamples(file: a)
        let b = try s.write("b.jsonl", tagLine("t3") + "\n" + tagLine("t2", tag: "儿童绘本") + "\n")
        do {
            _ = try Importer(store: store, session: s.config).importSamples(file: b)
            Issue.record("accepted a changed sample")
        } catch let e as InputErrors {
            #expect(e.description.contains("b.jsonl:2: id: 't2' was already imported from a.jsonl:2 with different content"), "\(e)")
        }
        #expect(try store.sample(id: "t3") == nil)
        let dup = try s.write("c.jsonl", tagLine("x1") + "\n" + tagLine("x1", tag: "儿童绘本") + "\n")
        do {
            _ = try Importer(store: store, session: s.config).importSamples(file: dup)
            Issue.record("accepted a duplicate id")
        } catch let e as InputErrors {
            #expect(e.description.contains("c.jsonl:2: id: 'x1' was already imported from c.jsonl:1"), "\(e)")
        }
    }

    static let badFiles: [(String, [UInt8], String)] = [
        ("field", Array((tagLine("g1") + "\n" + tagLine("g2").replacingOccurrences(of: #""tag": "轻量缓震跑步鞋""#, with: #""tag": 7"#) + "\n").utf8),
         "bad.jsonl:2: output.tag: expected a string, found a number"),
        ("json", Array((tagLine("g1") + "\n{\"id\": \n").utf8), "bad.jsonl:2: not valid JSON"),
        ("utf8", Array((tagLine("g1") + "\n").utf8) + [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D, 0x0A], "bad.jsonl:2: not valid JSON: column 3: invalid UTF-8"),
        ("empty", [], "bad.jsonl: the file is empty"),
        ("blank", Array("\n  \n\n".utf8), "only blank lines"),
        ("deep", Array((tagLine("g1") + "\n" + String(repeating: "[", count: 5000) + "\n").utf8), "nesting deeper than 64"),
        ("notobject", Array((tagLine("g1") + "\n[1, 2]\n").utf8), "bad.jsonl:2: expected a JSON object"),
    ]

    @Test(arguments: badFiles.indices)
    func badInputLeavesTheStoreByteForByteUnchanged(index: Int) throws {
        let (name, bytes, message) = Self.badFiles[index]
        let s = try TestSession()
        do {
            let store = try s.open()
            let seed = try s.write("seed.jsonl", tagLine("seed1") + "\n")
            _ = try Importer(store: store, session: s.config).importSamples(file: seed)
        }
        let before = try s.storeBytes()
        let path = try s.write("bad.jsonl", bytes: bytes)
        do {
            let store = try s.open()
            _ = try Importer(store: store, session: s.config).importSamples(file: path)
            Issue.record("\(name): accepted")
        } catch {
            #expect("\(error)".contains(message), "\(name): \(error)")
        }
        let after = try s.storeBytes()
        #expect(after == before, "\(name): the store changed")
        #expect(try s.open().sampleCount() == 1)
    }

    @Test func skipInvalidImportsTheGoodLinesAndWritesRejects() throws {
        let s = try TestSession()
        let store = try s.open()
        let path = try s.write("mixed.jsonl", [tagLine("m1"), "{oops", tagLine("m2", tag: ""), tagLine("m3")].joined(separator: "\n"))
        let rejects = s.folder + "/rejects.jsonl"
        let r = try Importer(store: store, session: s.config).importSamples(file: path, options: ImportOptions(skipInvalid: true, rejectsPath: rejects))
        #expect(r.added == 2 && r.rejected == 2)
        let lines = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(lines.map { $0.object?["line"]?.int } == [2, 3])
        #expect(lines[1].object?["error"]?.string == "output.tag: empty")
        #expect(lines[0].object?["text"]?.string == "{oops")
        #expect(try store.sample(id: "m3") != nil)
    }

    @Test func labelsAndReplayVerdictsImportOnce() throws {
        let s = try TestSession()
        let store = try s.open()
        _ = try Importer(store: store, session: s.config).importSamples(file: try s.write("s.jsonl", tagLine("t1") + "\n" + tagLine("t2") + "\n"))
        let labels = try s.write("labels.jsonl", """
        {"sample": "t1", "annotator": "alice", "dimension": "specificity", "label": "yes", "time": "2025-06-18T10:00:00Z"}
        {"sample": "t1", "annotator": "bob", "dimension": "specificity", "label": "low_specificity", "comment": "太宽泛"}
        """)
        let r1 = try Importer(store: store, session: s.config).importLabels(file: labels)
        #expect(r1.added == 2)
        let r2 = try Importer(store: store, session: s.config).importLabels(file: labels)
        #expect(r2.added == 0 && r2.unchanged == 2)
        let log = try store.decisions(samplePK: try #require(try store.sample(id: "t1")).pk)
        #expect(log.map(\.annotator) == ["alice", "bob"])
        #expect(log[0].createdAt == 1750240800)
        #expect(log[1].comment == "太宽泛" && log[1].rubricVersion == 1)

        let badLabel = try s.write("bad.jsonl", #"{"sample": "t2", "annotator": "a", "dimension": "specificity", "label": "maybe"}"#)
        #expect(throws: InputErrors.self) { try Importer(store: store, session: s.config).importLabels(file: badLabel) }
        let unknown = try s.write("bad2.jsonl", #"{"sample": "nope", "annotator": "a", "dimension": "specificity", "label": "yes"}"#)
        do { _ = try Importer(store: store, session: s.config).importLabels(file: unknown) } catch let e as InputErrors {
            #expect(e.description.contains("bad2.jsonl:1: sample: no sample 'nope'"))
        }

        let verdicts = try s.write("v.jsonl", """
        {"sample": "t1", "verdicts": {"specificity": {"label": "yes", "rationale": "modifier + core"}, "validity": {"label": "yes"}}}
        {"sample": "t2", "dimension": "relevance", "label": "weak_relevance"}
        """)
        let v1 = try Importer(store: store, session: s.config).importVerdicts(file: verdicts, judge: "ext")
        #expect(v1.added == 3)
        let v2 = try Importer(store: store, session: s.config).importVerdicts(file: verdicts, judge: "ext")
        #expect(v2.added == 0 && v2.unchanged == 3)
        let stored = try store.verdicts(samplePK: try #require(try store.sample(id: "t1")).pk)
        #expect(stored.map(\.dimension) == ["specificity", "validity"])
        #expect(stored[0].rationale == "modifier + core" && stored[0].judge == "ext")
        #expect(throws: InputError.self) { try Importer(store: store, session: s.config).importVerdicts(file: verdicts, judge: "rules") }
    }
}
