import Foundation
import Testing
import Domain
import Store
@testable import Curation

/// Refused requests leave nothing behind; a recorded export can be audited.
@Suite struct ExportRequestTests {
    /// Everything in the folder that holds `out`, hidden staging folders included.
    func neighbours(_ out: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: (out as NSString).deletingLastPathComponent).sorted()
    }

    func fixture() throws -> ExportFixture {
        let f = try ExportFixture()
        try f.addTags([("t1", "u1", 1), ("t2", "u2", 1)])
        try f.labelTag("t1", by: "alice")
        try f.labelTag("t2", by: "alice", fail: ["validity"])
        return f
    }

    @Test func anUnknownTaskIsRefusedBeforeAnythingIsWritten() throws {
        let f = try fixture()
        let before = try neighbours(f.folder + "/x")
        do {
            try f.export(.generatorSFT, out: f.folder + "/x") { $0.tasks = ["tags"] }
            Issue.record("an unknown task was accepted")
        } catch let e as ExportError {
            #expect(e == .unknownTask("tags", known: ["interest", "tag", "explanation"]))
            #expect(e.description == "no task 'tags' in this session (tasks: interest, tag, explanation)")
        }
        #expect(try neighbours(f.folder + "/x") == before)
        #expect(try f.store.exports().isEmpty)
    }

    @Test func aNonEmptyFolderIsLeftAloneWithoutForce() throws {
        let f = try fixture()
        let out = f.folder + "/busy"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "keep me".write(toFile: out + "/notes.txt", atomically: true, encoding: .utf8)
        let before = try neighbours(out)
        #expect(throws: ExportError.outputNotEmpty(URL(fileURLWithPath: out).resolvingSymlinksInPath().path)) {
            try f.export(.judgeSFT, out: out)
        }
        #expect(try String(contentsOfFile: out + "/notes.txt", encoding: .utf8) == "keep me")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["notes.txt"])
        #expect(try neighbours(out) == before)
        // --force replaces only an earlier export's folder.
        #expect(throws: ExportError.self) { try f.export(.judgeSFT, out: out) { $0.force = true } }
        #expect(try String(contentsOfFile: out + "/notes.txt", encoding: .utf8) == "keep me")
        #expect(try f.store.exports().isEmpty)
    }

    @Test func forceReplacesAnEarlierExportAtomically() throws {
        let f = try fixture()
        let out = f.folder + "/sets/round1"
        let first = try f.export(.judgeSFT, out: out)
        #expect(first.rows == 2)
        #expect(FileManager.default.fileExists(atPath: out + "/manifest.json"), "missing parents are created")
        let second = try f.export(.generatorSFT, out: out) { $0.force = true }
        #expect(second.rows == 1)
        #expect(try readManifest(out)[path: "kind"]?.string == "generator-sft")
        #expect(try readManifest(out)[path: "export_id"]?.int == Int(second.exportID))
        #expect(try neighbours(out) == ["round1"], "no staging or old folder left beside it")
        #expect(try f.store.exports().map(\.kind) == ["judge-sft", "generator-sft"])
        // An empty folder may be written without --force; a file may not be replaced.
        let empty = f.folder + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(try f.export(.judgeSFT, out: empty).rows == 2)
        try "x".write(toFile: f.folder + "/file", atomically: true, encoding: .utf8)
        #expect(throws: ExportError.self) { try f.export(.judgeSFT, out: f.folder + "/file") { $0.force = true } }
    }

    @Test func nothingToExportSaysWhyAndLeavesNothing() throws {
        let f = try fixture()
        let out = f.folder + "/deep/none"
        do {
            try f.export(.generatorSFT, out: out) { $0.rounds = [1]; $0.states = [.adjudicated] }
            Issue.record("an empty set was written")
        } catch let e as ExportError {
            guard case .nothingToExport(let why) = e else { Issue.record("\(e)"); return }
            #expect(why == "2 samples read, none qualified (2 state filter); without --trust-judge only human labels count")
        }
        #expect(!FileManager.default.fileExists(atPath: f.folder + "/deep"), "created parents are removed again")
        #expect(try f.store.exports().isEmpty)
        do {
            try f.export(.generatorSFT, out: out) { $0.rounds = [9] }
            Issue.record("an empty round was exported")
        } catch let e as ExportError {
            #expect(e == .nothingToExport("no samples of interest, tag, explanation in round(s) 9"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.folder).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func theDatasetCardAndManifestDescribeTheSet() throws {
        let f = try fixture()
        let r = try f.export(.judgeSFT) { $0.command = "recjudge export s --kind judge-sft"; $0.rule.minHuman = 7 }
        let m = try readManifest(r.out)
        #expect(m[path: "schema"]?.string == "recjudge.export/1")
        #expect(m[path: "command"]?.string == "recjudge export s --kind judge-sft")
        #expect(m[path: "counts.rows"]?.int == 2)
        let splits = m[path: "counts.splits"]?.object
        #expect(splits?.keys == ["train", "dev", "test"])
        #expect(splits?.values.compactMap(\.int).reduce(0, +) == 2)
        #expect(m[path: "filters.min_human"]?.int == 7)
        #expect(m[path: "rubrics.tag.version"]?.int == 1)
        #expect(m[path: "rubrics.tag.fingerprint"]?.string == f.config.rubric(for: "tag")?.fingerprint)
        #expect(m[path: "source.hash"]?.string?.count == 32)
        #expect(m[path: "label_sources.single"]?.int == 8)
        let card = try String(contentsOfFile: r.out + "/README.md", encoding: .utf8)
        #expect(card.hasPrefix("---\nconfigs:\n- config_name: default\n  data_files:\n"))
        #expect(card.contains("load_dataset(\"json\""))
        #expect(card.contains("recjudge export s --kind judge-sft"))
        #expect(card.contains("| all | 2 |"))
    }

    @Test func anAuditShowsTheSourcesAndTheAnnotatorsAgreementBehindAnExport() throws {
        let f = try ExportFixture()
        try f.addTags((0..<4).map { ("t\($0)", "u\($0)", nil) })
        // Two annotators on every sample; on relevance they disagree on t3 only.
        for i in 0..<4 {
            try f.labelTag("t\(i)", by: "alice")
            try f.labelTag("t\(i)", by: "bob", fail: i == 3 ? ["relevance"] : [])
        }
        try f.label([HumanLabel(sample: "t3", annotator: "lead", dimension: "relevance", label: "yes", lead: true)])
        let r = try f.export(.judgeSFT)
        let audit = try ExportAudit.build(store: f.store, session: f.config, id: r.exportID)
        #expect(audit.splits.values.reduce(0, +) == 4)
        let relevance = try #require(audit.dimensions.first { $0.task == "tag" && $0.dimension == "relevance" })
        #expect(relevance.labelled == 4)
        #expect(relevance.sources == ["unanimous": 3, "adjudicated": 1])
        #expect(relevance.humanItems == 4 && relevance.pairedItems == 4)
        #expect(relevance.percentAgreement == .defined(0.75))
        let validity = try #require(audit.dimensions.first { $0.dimension == "validity" })
        #expect(validity.percentAgreement == .defined(1))
        #expect(validity.krippendorffsAlpha.undefinedReason == .singleCategory)
        #expect(audit.text().contains { $0.contains("tag / relevance: 4 labels (adjudicated 1, unanimous 3)") })
        let json = try JSONParser.parse(audit.json())
        #expect(json[path: "export_id"]?.int == Int(r.exportID))
        #expect(json[path: "dimensions"]?.array?.first { $0[path: "dimension"]?.string == "relevance" }?[path: "percent_agreement"]?.double == 0.75)
        #expect(try ExportSummary.all(store: f.store).map(\.rows) == [4])
        #expect(throws: ExportError.unknownExport(99)) { try ExportAudit.build(store: f.store, session: f.config, id: 99) }
    }
}
