// Published figures, reproduced through the real import path: the converted fixtures
// (scripts/convert_pandalm.py, scripts/convert_llmbar.py) go through the importer that
// `recjudge import --labels` / `--verdicts` runs, into a real store, and the agreement
// report is read back from it.
import Foundation
import Testing
@testable import Curation

@Suite("Golden figures through the store")
struct GoldenTests {
    // PandaLM (WeOpenML/PandaLM @ 3871806e72b4, Apache-2.0): 999 pairs, three annotators.
    // Published pairwise Cohen's κ 0.8520 / 0.8789 / 0.8617, Krippendorff's α 0.8642,
    // majority labels 105 tie / 422 first / 472 second.
    /// Imported once and shared by the PandaLM tests.
    static let pandalmReport = Result { try makePandalm() }
    static func pandalm() throws -> AgreementReport { try pandalmReport.get() }

    static func makePandalm() throws -> AgreementReport {
        let session = try TestSession.pairwise(judges: ["gpt-3.5-turbo", "pandalm-7b"])
        _ = try session.importer.importSamples(file: Paths.fixture("pandalm.samples.jsonl"))
        _ = try session.importer.importLabels(file: Paths.fixture("pandalm.labels.jsonl"))
        for judge in ["gpt-3.5-turbo", "pandalm-7b"] {
            _ = try session.importer.importVerdicts(file: Paths.fixture("pandalm.verdicts.\(judge).jsonl"), judge: judge)
        }
        return try session.report()
    }

    @Test("PandaLM: pairwise κ 0.8520 / 0.8789 / 0.8617 and α 0.8642, to four places")
    func pandalmAgreement() throws {
        let preference = try Self.pandalm().task("pairwise").dimension("preference")
        #expect(preference.items == 999)
        #expect(preference.humans.annotators == ["annotator1", "annotator2", "annotator3"])
        #expect(preference.humans.pairableItems == 999)
        let published = [("annotator1", "annotator2", 0.8520), ("annotator1", "annotator3", 0.8789),
                         ("annotator2", "annotator3", 0.8617)]
        for (first, second, kappa) in published {
            let pair = try #require(preference.humans.pairs.first { $0.first == first && $0.second == second })
            #expect(pair.items == 999)
            #expect(try #require(pair.cohensKappa.value).rounded(toPlaces: 4) == kappa, "\(first)–\(second)")
        }
        #expect(try #require(preference.humans.krippendorffsAlpha.value).rounded(toPlaces: 4) == 0.8642)
        // Three annotators: Fleiss' κ is defined, and everything has an interval.
        #expect(preference.humans.fleissKappa.value != nil)
        #expect(preference.humans.krippendorffsAlpha.method == .bootstrap)
        let alpha = preference.humans.krippendorffsAlpha
        #expect(try #require(alpha.lower) < alpha.value ?? 0 && alpha.value ?? 0 < alpha.upper ?? 0)
    }

    @Test("PandaLM: the majority consensus is 105 tie / 422 first / 472 second")
    func pandalmConsensus() throws {
        let preference = try Self.pandalm().task("pairwise").dimension("preference")
        #expect(preference.labels.map(\.label) == ["tie", "first", "second"])
        #expect(preference.labels.map(\.consensus) == [105, 422, 472])
        #expect(preference.consensusItems == 999)
        #expect(preference.labels.map(\.ratings).reduce(0, +) == 2997)
    }

    @Test("PandaLM: GPT-3.5's 25 unparsed verdicts count as not covered")
    func pandalmJudgeCoverage() throws {
        let report = try Self.pandalm().task("pairwise")
        let gpt = try report.dimension("preference").judge("gpt-3.5-turbo")
        #expect(gpt.referenceItems == 999 && gpt.comparedItems == 974)
        expectValue(gpt.coverage, 974.0 / 999.0, "coverage")
        let panda = try report.dimension("preference").judge("pandalm-7b")
        #expect(panda.comparedItems == 999)
        // The label-level table has every label, and its total is the compared items.
        #expect(panda.labelConfusion.labels == ["tie", "first", "second"])
        #expect(panda.labelConfusion.total == 999)
    }

    @Test("the PandaLM fixture is the faithful conversion of shared/data")
    func pandalmFixtureMatchesSource() throws {
        let source = Paths.sharedData.appendingPathComponent("pandalm/testset-v1.json")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: source)) as? [[String: Any]])
        let names = [0: "tie", 1: "first", 2: "second"]
        var expected: [String] = []
        for row in rows {
            let idx = try #require(row["idx"] as? Int)
            for annotator in ["annotator1", "annotator2", "annotator3"] {
                let code = try #require(row[annotator] as? Int)
                let label = try #require(names[code])
                expected.append("pandalm-\(idx)|\(annotator)|\(label)")
            }
        }
        let fixture = try String(contentsOfFile: Paths.fixture("pandalm.labels.jsonl"), encoding: .utf8)
        let converted = try fixture.split(separator: "\n").map { line in
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            return "\(o["sample"] ?? "")|\(o["annotator"] ?? "")|\(o["label"] ?? "")"
        }
        #expect(converted == expected)
    }

    // LLMBar (princeton-nlp/LLMBar @ 900616bff90b, MIT): GPT-4 Vanilla_NoRules against the
    // gold label, without and with swapping the outputs; statistics.json publishes both.
    static let llmbar = [("llmbar-natural", "LLMBar/Natural"), ("llmbar-mtbench", "Processed/MT-Bench")]

    /// "92 / 100 = 92.0%" → (92, 100).
    static func published(_ folder: String, _ key: String) throws -> (Int, Int) {
        let url = Paths.sharedData.appendingPathComponent("llmbar/\(folder)/evaluators/GPT-4/Vanilla_NoRules/statistics.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let text = try #require(json[key] as? String)
        let parts = text.split(separator: "=")[0].split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }
        return (try #require(Int(parts[0])), try #require(Int(parts[1])))
    }

    @Test("LLMBar: GPT-4's accuracy against the gold labels equals statistics.json", arguments: llmbar)
    func llmbarAccuracy(_ name: String, _ folder: String) throws {
        let session = try TestSession.pairwise(judges: ["gpt-4", "gpt-4-swap"])
        _ = try session.importer.importSamples(file: Paths.fixture("\(name).samples.jsonl"))
        _ = try session.importer.importLabels(file: Paths.fixture("\(name).labels.jsonl"))
        for judge in ["gpt-4", "gpt-4-swap"] {
            _ = try session.importer.importVerdicts(file: Paths.fixture("\(name).verdicts.\(judge).jsonl"), judge: judge)
        }
        let preference = try session.report().task("pairwise").dimension("preference")
        for (judge, key) in [("gpt-4", "correct_False"), ("gpt-4-swap", "correct_True")] {
            let (correct, total) = try Self.published(folder, key)
            let figures = try preference.judge(judge)
            #expect(figures.referenceItems == total && figures.comparedItems == total, "\(name) \(judge)")
            // Two labels are used (first, second): pass/fail accuracy is the exact-label accuracy.
            expectValue(figures.accuracy, Double(correct) / Double(total), "\(name) \(judge) accuracy")
            expectValue(figures.labelAccuracy, Double(correct) / Double(total), "\(name) \(judge) label accuracy")
            #expect(figures.truePositives + figures.trueNegatives == correct)
        }
    }
}
