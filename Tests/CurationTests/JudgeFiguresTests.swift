// Judge against human consensus on small hand-built cases whose answers are known.
import Foundation
import Testing
import Store
@testable import Curation

@Suite("Judge figures on hand-built cases")
struct JudgeFiguresTests {
    /// Ten tag samples; alice labels relevance yes on t0–t5 and weak_relevance on t6–t9; the
    /// judge says yes on t0–t4 and t6, weak on t5 and t7–t9: TP 5, FN 1, FP 1, TN 3.
    static func tenSamples() throws -> TestSession {
        let s = try TestSession.tags()
        try s.addTagSamples(10)
        try s.importLabels((0..<10).map { ("t\($0)", "alice", "relevance", $0 < 6 ? "yes" : "weak_relevance", nil, nil) })
        let judged: [String] = ["yes", "yes", "yes", "yes", "yes", "weak_relevance", "yes", "weak_relevance",
                                "weak_relevance", "weak_relevance"]
        try s.importVerdicts("ext", judged.enumerated().map { ("t\($0.offset)", "relevance", $0.element) })
        return s
    }

    @Test("ACC, P, R, F1 and κ with pass as the positive class")
    func figuresAgainstOneAnnotator() throws {
        let relevance = try Self.tenSamples().report().task("tag").dimension("relevance")
        let judge = try relevance.judge("ext")
        #expect((judge.truePositives, judge.falseNegatives, judge.falsePositives, judge.trueNegatives) == (5, 1, 1, 3))
        // scikit-learn, y_true = 6×yes + 4×weak, y_pred as above, pos_label="yes":
        // accuracy_score 0.8, precision_score 0.8333333333333334, recall_score 0.8333333333333334,
        // f1_score 0.8333333333333334, cohen_kappa_score 0.5833333333333333 (po 0.8, pe 0.52).
        expectValue(judge.accuracy, 0.8, "accuracy")
        expectValue(judge.precision, 5.0 / 6, "precision")
        expectValue(judge.recall, 5.0 / 6, "recall")
        expectValue(judge.f1, 5.0 / 6, "F1")
        expectValue(judge.cohensKappa, 7.0 / 12, "κ")
        expectValue(judge.specificity, 0.75, "specificity")
        expectValue(judge.falseFailureRate, 1.0 / 6, "false failure rate")
        expectValue(judge.coverage, 1, "coverage")
        #expect(judge.verdicts == 10 && judge.failedVerdicts == 0)
        // Wilson 95% for 8/10: [0.4902, 0.9433] (statsmodels proportion_confint(8, 10, method="wilson")).
        #expect(try #require(judge.accuracy.lower).rounded(toPlaces: 4) == 0.4902)
        #expect(try #require(judge.accuracy.upper).rounded(toPlaces: 4) == 0.9433)
        #expect(judge.accuracy.method == .wilson && judge.cohensKappa.method == .bootstrap)
        #expect(judge.labelConfusion.rows == [[5, 1], [1, 3]])
    }

    @Test("a tie between annotators has no consensus; a lead's adjudication settles it")
    func consensusAndAdjudication() throws {
        let s = try Self.tenSamples()
        try s.importLabels([("t0", "bob", "relevance", "weak_relevance", nil, nil),
                            ("t1", "bob", "relevance", "yes", nil, nil),
                            ("t6", "bob", "relevance", "weak_relevance", nil, nil)])
        var relevance = try s.report().task("tag").dimension("relevance")
        var judge = try relevance.judge("ext")
        // t0 (yes vs weak) has no consensus: TP t1–t4, FN t5, FP t6, TN t7–t9.
        #expect(relevance.consensusItems == 9 && judge.referenceItems == 9)
        expectValue(judge.accuracy, 7.0 / 9, "accuracy")
        expectValue(judge.f1, 0.8, "F1")
        #expect(relevance.consensusSources == [.unanimous: 2, .single: 7, .majority: 0, .adjudicated: 0])
        let pair = try #require(relevance.humans.pairs.first)
        #expect(pair.first == "alice" && pair.second == "bob" && pair.items == 3)
        expectValue(pair.percentAgreement, 2.0 / 3, "alice–bob agreement")

        try s.importLabels([("t0", "lee", "relevance", "weak_relevance", nil, "lead")])
        let task = try s.report().task("tag")
        relevance = try task.dimension("relevance")
        judge = try relevance.judge("ext")
        // The judge said yes on t0: one more false positive.
        #expect((judge.truePositives, judge.falseNegatives, judge.falsePositives, judge.trueNegatives) == (4, 1, 2, 3))
        expectValue(judge.accuracy, 0.7, "accuracy")
        expectValue(judge.precision, 4.0 / 6, "precision")
        expectValue(judge.f1, 8.0 / 11, "F1")
        #expect(relevance.consensusSources[.adjudicated] == 1)
        // The lead is not an annotator of the agreement figures.
        #expect(relevance.humans.annotators == ["alice", "bob"])
        // Each annotator against the others: alice lost t0 to the adjudication, bob agreed throughout.
        let alice = try task.annotator("alice").dimensions.first { $0.dimension == "relevance" }
        #expect(alice?.consensusItems == 3 && alice?.consensusAgreed == 2)
        let bob = try task.annotator("bob").dimensions.first { $0.dimension == "relevance" }
        #expect(bob?.consensusItems == 3 && bob?.consensusAgreed == 3)
        #expect(try task.annotator("lee").adjudications == 1)
    }

    @Test("a stricter consensus drops items; a looser one keeps more")
    func consensusIsConfigurable() throws {
        let s = try Self.tenSamples()
        try s.importLabels([("t1", "bob", "relevance", "yes", nil, nil)])
        let strict = try s.report { $0.consensus = HumanConsensus(minimumAnnotators: 2) }
        #expect(try strict.task("tag").dimension("relevance").consensusItems == 1)
        #expect(try strict.task("tag").dimension("relevance").judge("ext").referenceItems == 1)
    }

    @Test("a figure that cannot be computed is undefined, never 0 or 1")
    func undefinedFigures() throws {
        let s = try TestSession.tags()
        try s.addTagSamples(4)
        try s.importLabels((0..<4).map { ("t\($0)", "alice", "consistency", "yes", nil, nil) })
        try s.importVerdicts("ext", (0..<4).map { ("t\($0)", "consistency", "yes") })
        let report = try s.report()
        let judge = try report.task("tag").dimension("consistency").judge("ext")
        expectValue(judge.accuracy, 1, "accuracy")
        #expect(judge.cohensKappa.estimate == .undefined(.singleCategory))
        #expect(judge.specificity.estimate == .undefined(.emptyDenominator))
        #expect(judge.cohensKappa.lower == nil && judge.cohensKappa.method == .none)
        // One annotator: no pair, α undefined.
        #expect(try report.task("tag").dimension("consistency").humans.krippendorffsAlpha.estimate
                == .undefined(.noPairedItems))
        let text = report.text().joined(separator: "\n")
        #expect(text.contains("undefined"))
        // The judge row: accuracy 1.000, κ printed as undefined.
        let row = try #require(report.text().first {
            $0.contains("consistency") && $0.contains("100.0%") && $0.contains("1.000")
        })
        #expect(row.hasSuffix("undefined"))
    }

    @Test("several fail labels: pass/fail figures use pass/fail consensus, exact labels their own")
    func multiLabelDimension() throws {
        let s = try TestSession.tags()
        let line = #"{"id": "i0", "task": "interest", "user": {"id": "u1", "behaviors": []}, "output": {"interest": "户外徒步"}}"#
        _ = try s.importer.importSamples(file: try s.write("interest.jsonl", [line]))
        try s.importLabels([("i0", "alice", "reasonableness", "weak_correlation", nil, nil),
                            ("i0", "bob", "reasonableness", "no_correlation", nil, nil)])
        try s.importVerdicts("ext", [("i0", "reasonableness", "hallucination")])
        let dim = try s.report().task("interest").dimension("reasonableness")
        let judge = try dim.judge("ext")
        // No label has a majority, but both annotators fail the interest, as does the judge.
        #expect(dim.consensusItems == 0)
        #expect(judge.comparedItems == 1 && judge.trueNegatives == 1)
        expectValue(judge.accuracy, 1, "pass/fail accuracy")
        #expect(judge.labelConfusion.total == 0)
        #expect(judge.labelAccuracy.estimate == .undefined(.noPairedItems))
        expectValue(dim.passRate, 0, "pass rate")
    }

    @Test("every dimension passes: fails on any failing dimension, passes only when all pass")
    func everyDimension() throws {
        let s = try TestSession.tags()
        try s.addTagSamples(4)
        let dims = ["relevance", "consistency", "specificity", "validity"]
        var labels: [(String, String, String, String, Double?, String?)] = []
        for d in dims {
            labels.append(("t0", "alice", d, "yes", nil, nil))
            labels.append(("t1", "alice", d, d == "validity" ? "invalid_tag" : "yes", nil, nil))
        }
        labels.append(("t2", "alice", "relevance", "yes", nil, nil))             // incomplete: undefined
        labels.append(("t3", "alice", "relevance", "weak_relevance", nil, nil))  // fails already
        try s.importLabels(labels)
        try s.importVerdicts("ext", dims.flatMap { d in [("t0", d, "yes"), ("t1", d, "yes")] } + [("t3", "relevance", "yes")])
        let all = try #require(try s.report().task("tag").all)
        #expect(all.dimension == AgreementReport.allDimensions && all.isAll)
        #expect(all.labels.map(\.consensus) == [1, 2])  // t0 passes; t1 and t3 fail; t2 unknown
        let judge = try all.judge("ext")
        // The judge passes t0 and t1 on every dimension; on t3 it has one verdict of four.
        #expect(judge.referenceItems == 3 && judge.comparedItems == 2)
        #expect((judge.truePositives, judge.falsePositives) == (1, 1))
        expectValue(judge.precision, 0.5, "precision")
        expectValue(judge.recall, 1, "recall")
        #expect(judge.verdicts == 2 && judge.failedVerdicts == nil)
    }
}
