// LLMBar (princeton-nlp/LLMBar @ 900616bff90b, MIT): GPT-4 Vanilla_NoRules verdicts on
// each pair in both orders against one gold label. Published (each folder's
// statistics.json): Natural 92% / 95% / 93.5% average, 97% order consistency; MT-Bench
// 79.5% / 82.5% / 81.0%. Upstream computed them in LLMEvaluator/evaluate.py.
import Foundation
import Testing
@testable import Stats

@Suite("LLMBar")
struct LLMBarTests {
    struct Instance: Decodable { let input: String; let label: Int }
    struct Verdict: Decodable { let winner: String? }
    struct Result: Decodable {
        let input: String
        let label: Int
        let results: [[String: Verdict]]
    }

    /// The upstream statistics.json, parsed from its "92 / 100 = 92.0%" strings.
    struct Published {
        let correctFalse: (Int, Int), correctTrue: (Int, Int), equal: (Int, Int)
        let correctAverage: Double
        let kappaFalse, kappaTrue, kappaAgreement: Double
    }

    static let folders = ["LLMBar/Natural", "Processed/MT-Bench"]

    static func published(_ folder: String) throws -> Published {
        let url = Paths.shared("llmbar/\(folder)/evaluators/GPT-4/Vanilla_NoRules/statistics.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        func fraction(_ key: String) throws -> (Int, Int) {
            let text = try #require(json[key] as? String)
            let parts = text.split(separator: "=")[0].split(separator: "/")
            return (try #require(Int(parts[0].trimmingCharacters(in: .whitespaces))),
                    try #require(Int(parts[1].trimmingCharacters(in: .whitespaces))))
        }
        let average = try #require(json["correct_average"] as? String)
        return Published(
            correctFalse: try fraction("correct_False"), correctTrue: try fraction("correct_True"),
            equal: try fraction("equal"),
            correctAverage: try #require(Double(average.dropLast())) / 100,
            kappaFalse: try #require(json["kappa_False"] as? Double),
            kappaTrue: try #require(json["kappa_True"] as? Double),
            kappaAgreement: try #require(json["kappa_agreement"] as? Double))
    }

    /// Raters "gold", "no swap", "swap" over items keyed by position; labels "1", "2".
    static func ratings(_ folder: String) throws -> Ratings {
        let base = Paths.shared("llmbar/\(folder)")
        let dataset = try JSONDecoder().decode([Instance].self, from: Data(contentsOf: base.appendingPathComponent("dataset.json")))
        let results = try JSONDecoder().decode(
            [Result].self,
            from: Data(contentsOf: base.appendingPathComponent("evaluators/GPT-4/Vanilla_NoRules/result.json")))
        try #require(dataset.count == results.count)
        var triples: [Rating] = []
        for (index, (instance, result)) in zip(dataset, results).enumerated() {
            #expect(instance.input == result.input && instance.label == result.label, "item \(index) aligned")
            let item = String(index)
            triples.append(Rating(item: item, rater: "gold", label: String(instance.label)))
            let final = try #require(result.results.last)
            for (key, rater) in [("swap = False", "no swap"), ("swap = True", "swap")] {
                if let winner = final[key]?.winner {
                    triples.append(Rating(item: item, rater: rater, label: winner))
                }
            }
        }
        return try Ratings(triples, scale: try LabelScale(["1", "2"]), raters: ["gold", "no swap", "swap"])
    }

    @Test("accuracy in each order, their average and order consistency equal statistics.json",
          arguments: folders)
    func accuracy(_ folder: String) throws {
        let published = try Self.published(folder)
        let ratings = try Self.ratings(folder)
        let noSwap = try ratings.judgeReport(judge: "no swap", reference: "gold", positive: "1")
        let swap = try ratings.judgeReport(judge: "swap", reference: "gold", positive: "1")
        // Upstream divides by all items: every item must have a verdict for the figures to agree.
        #expect(noSwap.coverage == .defined(1) && swap.coverage == .defined(1))
        let expectedNoSwap = Double(published.correctFalse.0) / Double(published.correctFalse.1)
        let expectedSwap = Double(published.correctTrue.0) / Double(published.correctTrue.1)
        expectMatch(noSwap.accuracy, expectedNoSwap, "\(folder) accuracy, no swap")
        expectMatch(swap.accuracy, expectedSwap, "\(folder) accuracy, swap")
        let average = try #require(noSwap.accuracy.value).advanced(by: try #require(swap.accuracy.value)) / 2
        #expect(abs(average - published.correctAverage) < 1e-9)
        expectMatch(try ratings.percentAgreement(between: "no swap", and: "swap"),
                    Double(published.equal.0) / Double(published.equal.1), "\(folder) order consistency")
    }

    @Test("accuracy reproduces the published 92 / 95 / 93.5 / 97 and 79.5 / 82.5 / 81.0 / 87", arguments: zip(folders, [
        (0.92, 0.95, 0.935, 0.97), (0.795, 0.825, 0.81, 0.87),
    ]))
    func publishedFigures(_ folder: String, _ figures: (Double, Double, Double, Double)) throws {
        let ratings = try Self.ratings(folder)
        let noSwap = try #require(try ratings.judgeReport(judge: "no swap", reference: "gold", positive: "1").accuracy.value)
        let swap = try #require(try ratings.judgeReport(judge: "swap", reference: "gold", positive: "1").accuracy.value)
        #expect(abs(noSwap - figures.0) < 1e-9)
        #expect(abs(swap - figures.1) < 1e-9)
        #expect(abs((noSwap + swap) / 2 - figures.2) < 1e-9)
        let consistency = try #require(try ratings.percentAgreement(between: "no swap", and: "swap").value)
        #expect(abs(consistency - figures.3) < 1e-9)
    }

    @Test("Cohen's κ equals upstream's scikit-learn κ, including its label mapping", arguments: folders)
    func upstreamKappa(_ folder: String) throws {
        // evaluate.py maps a verdict to int(v) if v in ("0", "1") else 0 — so "2" becomes 0 —
        // and compares it with the gold label (1 or 2). Reproduce that mapping, then κ.
        let published = try Self.published(folder)
        let ratings = try Self.ratings(folder)
        var triples: [Rating] = []
        for item in 0..<ratings.itemCount {
            let id = try #require(ratings.itemID(item))
            triples.append(Rating(item: id, rater: "gold", label: try #require(ratings.label(item: item, rater: 0))))
            for rater in 1...2 {
                let verdict = ratings.label(item: item, rater: rater)
                triples.append(Rating(item: id, rater: ratings.raterIDs[rater], label: verdict == "1" ? "1" : "0"))
            }
        }
        let mapped = try Ratings(triples, scale: try LabelScale(["0", "1", "2"]))
        expectMatch(try mapped.cohensKappa(between: "no swap", and: "gold"), published.kappaFalse, "\(folder) kappa_False")
        expectMatch(try mapped.cohensKappa(between: "swap", and: "gold"), published.kappaTrue, "\(folder) kappa_True")
        expectMatch(try mapped.cohensKappa(between: "no swap", and: "swap"), published.kappaAgreement,
                    "\(folder) kappa_agreement")
    }
}
