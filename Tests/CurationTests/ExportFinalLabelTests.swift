import Foundation
import Testing
import Domain
import Store
@testable import Curation

/// The final label of a dimension: adjudication, else consensus, else a trusted judge, else none.
@Suite struct ExportFinalLabelTests {
    /// The labels an export recorded in the store: sample id → dimension → (label, source).
    func recorded(_ f: ExportFixture, _ id: Int64) throws -> [String: [String: (label: String, source: String)]] {
        var out: [String: [String: (label: String, source: String)]] = [:]
        try f.store.forEachExportRow(exportID: id) { row in
            guard case .object(let o) = try JSONParser.parse(row.labels) else { Issue.record("labels of \(row.sampleID)"); return }
            for (d, v) in o.entries where !d.hasPrefix("$") {
                out[row.sampleID, default: [:]][d] = (v.array?.first?.string ?? "", v.array?.last?.string ?? "")
            }
        }
        return out
    }

    @Test func aLeadsAdjudicationOutranksTheAnnotatorsVotes() throws {
        let f = try ExportFixture()
        try f.addTags([("t1", "u1", nil)])
        try f.labelTag("t1", by: "alice", fail: ["relevance"], time: 100)
        try f.labelTag("t1", by: "bob", fail: ["relevance"], time: 101)
        try f.label([HumanLabel(sample: "t1", annotator: "carol", dimension: "relevance", label: "weak_relevance", time: 102, lead: true),
                     HumanLabel(sample: "t1", annotator: "dave", dimension: "relevance", label: "yes", time: 103, lead: true)])
        let r = try f.export(.judgeSFT)
        let labels = try recorded(f, r.exportID)["t1"]
        #expect(labels?["relevance"]?.label == "yes", "the latest adjudication stands")
        #expect(labels?["relevance"]?.source == "adjudicated")
        #expect(labels?["specificity"]?.source == "unanimous")
        #expect(r.labelSources[.adjudicated] == 1 && r.labelSources[.unanimous] == 3)

        let votes = try f.export(.judgeSFT) { $0.rule.consensus.adjudicationDecides = false }
        #expect(try recorded(f, votes.exportID)["t1"]?["relevance"]?.label == "weak_relevance")
        #expect(try recorded(f, votes.exportID)["t1"]?["relevance"]?.source == "unanimous")
    }

    @Test func theConsensusNeedsItsMinimumAgreementAndATieHasNone() throws {
        let f = try ExportFixture()
        try f.addTags([("t1", "u1", nil), ("t2", "u2", nil)])
        try f.labelTag("t1", by: "alice")
        try f.labelTag("t1", by: "bob")
        try f.labelTag("t1", by: "carol", fail: ["relevance"])
        try f.labelTag("t2", by: "alice")
        try f.labelTag("t2", by: "bob", fail: ["validity"])

        let half = try f.export(.judgeSFT)
        #expect(try recorded(f, half.exportID)["t1"]?["relevance"]?.source == "majority")
        #expect(try recorded(f, half.exportID)["t2"] == nil, "a tie on validity leaves t2 without a final label")
        #expect(half.leftOut["no_final_label"] == 1)

        do {
            try f.export(.judgeSFT) { $0.rule.consensus.minimumAgreement = 1 }
            Issue.record("unanimity leaves nothing to export")
        } catch let e as ExportError {
            guard case .nothingToExport(let why) = e else { Issue.record("\(e)"); return }
            #expect(why.contains("2 no final label"), "\(why)")
        }
        let three = try f.export(.judgeSFT) { $0.rule.consensus.minimumAnnotators = 3 }
        #expect(try recorded(f, three.exportID).keys.sorted() == ["t1"])
    }

    /// 10 samples labelled by a human and judged; the judge fails one that the human passes on
    /// relevance (agreement 0.9 there, 1.0 elsewhere); 4 more samples are judged only.
    func trustFixture() throws -> ExportFixture {
        let f = try ExportFixture()
        try f.addTags((0..<14).map { ("t\($0)", "u\($0)", nil) })
        for i in 0..<10 {
            try f.labelTag("t\(i)", by: "alice")
            try f.judgeTag("t\(i)", fail: i == 0 ? ["relevance"] : [])
        }
        for i in 10..<14 { try f.judgeTag("t\(i)") }
        return f
    }

    @Test func aJudgeDecidesOnlyWhereItsMeasuredAgreementClearsTheBar() throws {
        let f = try trustFixture()
        let trusted = try f.export(.judgeSFT) { $0.rule.trustJudge = 0.9; $0.rule.minHuman = 10 }
        let labels = try recorded(f, trusted.exportID)
        #expect(labels.count == 14)
        #expect(labels["t12"]?["relevance"]?.source == "judge")
        #expect(labels["t3"]?["relevance"]?.source == "single", "a human label outranks the judge")
        #expect(trusted.labelSources[.judge] == 16 && trusted.labelSources[.single] == 40)
        let manifest = try readManifest(trusted.out)
        #expect(manifest[path: "label_sources.judge"]?.int == 16)
        #expect(manifest[path: "rows_by_source.judge"]?.int == 4)
        #expect(manifest[path: "rows_by_source.human"]?.int == 10)
        let judges = manifest[path: "judges"]?.array ?? []
        let relevance = judges.first { $0[path: "dimension"]?.string == "relevance" }
        #expect(relevance?[path: "compared"]?.int == 10)
        #expect(relevance?[path: "agreement"]?.double == 0.9)
        #expect(relevance?[path: "trusted"] == .bool(true))

        // Relevance no longer clears a higher bar: the judge-only samples lack it.
        let strict = try f.export(.judgeSFT) { $0.rule.trustJudge = 0.95; $0.rule.minHuman = 10 }
        #expect(try recorded(f, strict.exportID).count == 10)
        #expect(strict.leftOut["no_final_label"] == 4)
        // Too few human samples to measure on: no judge decides.
        let few = try f.export(.judgeSFT) { $0.rule.trustJudge = 0.5; $0.rule.minHuman = 11 }
        #expect(few.labelSources[.judge] == nil)
        // On exact labels the measure is the same here (two labels per dimension).
        let byLabel = try f.export(.judgeSFT) { $0.rule.trustJudge = 0.9; $0.rule.minHuman = 10; $0.rule.trustOn = .label }
        #expect(byLabel.labelSources[.judge] == 16)
        // Another judge's name picks no version of this one.
        #expect(throws: ExportError.self) { try f.export(.judgeSFT) { $0.rule.trustJudge = 0.5; $0.rule.judge = "nobody" } }
    }

    @Test func theMeasuredAgreementIsTheAccuracyStatsReports() throws {
        let f = try trustFixture()
        var options = AgreementOptions()
        options.bootstrapReplicates = 0
        let report = try AgreementReport(store: f.store, session: f.config, options: options)
        let tag = try #require(report.tasks.first { $0.task == "tag" })
        let trust = try f.store.readExport { reader in
            try JudgeTrust.measure(reader: reader, rubrics: [try #require(f.config.rubric(for: "tag"))],
                                   rule: FinalLabelRule(trustJudge: 0.9, minHuman: 1))
        }
        for entry in trust.entries {
            let stats = try #require(tag.dimensions.first { $0.dimension == entry.dimension && !$0.isAll })
            let judge = try #require(stats.judges.first)
            #expect(entry.compared == judge.comparedItems, "\(entry.dimension)")
            #expect(entry.agreement == judge.accuracy.value, "\(entry.dimension)")
        }
        #expect(trust.entries.count == 4)
    }

    @Test func aContestedDimensionFollowsThePolicy() throws {
        let f = try trustFixture()
        try f.labelTag("t11", by: "alice")
        try f.labelTag("t11", by: "bob", fail: ["relevance"])
        let byJudge = try f.export(.judgeSFT) { $0.rule.trustJudge = 0.9; $0.rule.minHuman = 10 }
        #expect(try recorded(f, byJudge.exportID)["t11"]?["relevance"]?.source == "judge")
        let dropped = try f.export(.judgeSFT) { $0.rule.trustJudge = 0.9; $0.rule.minHuman = 10; $0.rule.contested = .drop }
        #expect(try recorded(f, dropped.exportID)["t11"] == nil)
        #expect(try recorded(f, dropped.exportID)["t12"] != nil, "an unlabelled dimension still goes to the judge")
    }

    @Test func aWithdrawnAnswerDoesNotVote() throws {
        let f = try ExportFixture()
        try f.addTags([("t1", "u1", nil)])
        try f.labelTag("t1", by: "alice", fail: ["relevance"], time: 10)
        try f.labelTag("t1", by: "bob", time: 11)
        let pk = try f.pk("t1")
        try f.store.record(DecisionInput(samplePK: pk, dimension: "relevance", annotator: "alice", label: nil, action: .undo,
                                         rubricVersion: 1, time: 12))
        let r = try f.export(.judgeSFT)
        let labels = try recorded(f, r.exportID)["t1"]
        #expect(labels?["relevance"]?.label == "yes")
        #expect(labels?["relevance"]?.source == "single")
        #expect(labels?["validity"]?.source == "unanimous")
    }

    @Test func ruleOptionsOutOfRangeAreRefused() throws {
        let f = try ExportFixture()
        try f.addTags([("t1", "u1", nil)])
        try f.labelTag("t1", by: "alice")
        #expect(throws: ExportError.self) { try f.export(.judgeSFT) { $0.rule.trustJudge = 1.5 } }
        #expect(throws: ExportError.self) { try f.export(.judgeSFT) { $0.rule.minHuman = 0 } }
        #expect(throws: ExportError.self) { try f.export(.judgeSFT) { $0.rule.consensus.minimumAgreement = 0 } }
        #expect(try f.store.exports().isEmpty)
    }
}
