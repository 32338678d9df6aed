// PandaLM human test set (WeOpenML/PandaLM @ 3871806e72b4, Apache-2.0): 999 pairs, three
// annotators (0 tie, 1 first better, 2 second better), plus GPT-3.5 and PandaLM-7B verdicts.
// Published: pairwise Cohen's κ 0.85 / 0.88 / 0.86 (README), α nominal 0.8642, majority
// label counts 105 / 422 / 472.
import Foundation
import Testing
@testable import Stats

@Suite("PandaLM")
struct PandaLMTests {
    struct Human: Decodable { let idx: Int; let annotator1, annotator2, annotator3: Int }
    struct GPT: Decodable { let idx: Int; let gptResult: String }
    struct Panda: Decodable { let idx: Int; let pandalmResult: Int }

    static let annotators = ["annotator1", "annotator2", "annotator3"]

    /// Annotators, both judges (GPT "Tie" → "0", an unparsed "garbage" verdict → missing)
    /// and the annotators' strict majority as "majority".
    static func load() throws -> Ratings {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        func read<T: Decodable>(_ file: String, as: T.Type) throws -> T {
            try decoder.decode(T.self, from: Data(contentsOf: Paths.shared("pandalm/\(file)")))
        }
        let humans = try read("testset-v1.json", as: [Human].self)
        let gpt = Dictionary(uniqueKeysWithValues: try read("gpt-3.5-turbo-testset-v1.json", as: [GPT].self)
            .map { ($0.idx, $0.gptResult) })
        let panda = Dictionary(uniqueKeysWithValues: try read("pandalm-7b-testset-v1.json", as: [Panda].self)
            .map { ($0.idx, $0.pandalmResult) })
        var triples: [Rating] = []
        for human in humans {
            let item = String(human.idx)
            for (rater, label) in zip(annotators, [human.annotator1, human.annotator2, human.annotator3]) {
                triples.append(Rating(item: item, rater: rater, label: String(label)))
            }
            switch gpt[human.idx] {
            case "1"?, "2"?: triples.append(Rating(item: item, rater: "gpt-3.5-turbo", label: gpt[human.idx] ?? ""))
            case "Tie"?: triples.append(Rating(item: item, rater: "gpt-3.5-turbo", label: "0"))
            default: break
            }
            if let verdict = panda[human.idx] {
                triples.append(Rating(item: item, rater: "pandalm-7b", label: String(verdict)))
            }
        }
        let ratings = try Ratings(triples, scale: try LabelScale(["0", "1", "2"]),
                                  raters: annotators + ["gpt-3.5-turbo", "pandalm-7b"])
        return try ratings.addingConsensus(of: annotators, as: "majority")
    }

    @Test("pairwise Cohen's κ of the annotators matches the published 0.8520 / 0.8789 / 0.8617")
    func pairwiseKappa() throws {
        let ratings = try Self.load()
        #expect(ratings.itemCount == 999)
        let published = [("annotator1", "annotator2", 0.8520), ("annotator1", "annotator3", 0.8789),
                         ("annotator2", "annotator3", 0.8617)]
        for (a, b, kappa) in published {
            let value = try #require(try ratings.cohensKappa(between: a, and: b).value)
            #expect(value.rounded(toPlaces: 4) == kappa, "\(a)–\(b): \(value)")
        }
    }

    @Test("Krippendorff's α (nominal) of the annotators is 0.8642")
    func alpha() throws {
        let humans = try Self.load().selecting(raters: Self.annotators)
        let alpha = try #require(humans.krippendorffsAlpha(.nominal).value)
        #expect(alpha.rounded(toPlaces: 4) == 0.8642)
    }

    @Test("the annotators' majority labels are 105 ties, 422 first, 472 second")
    func majorityCounts() throws {
        let ratings = try Self.load()
        let majority = try ratings.selecting(raters: ["majority"])
        #expect(majority.labelCounts() == [105, 422, 472])
        // Three annotators over three labels never split three ways here, so plurality agrees.
        let plurality = try ratings.addingConsensus(of: Self.annotators, as: "plurality", rule: .plurality)
        #expect(try plurality.selecting(raters: ["plurality"]).labelCounts() == [105, 422, 472])
    }

    @Test("every statistic and both judges match the reference libraries")
    func matchesReference() throws {
        let fixture = try ReferenceFixture.load()
        #expect(fixture.pandalm.majorityCounts == ["0": 105, "1": 422, "2": 472])
        try verify(try Self.load(), against: fixture.pandalm)
    }

    @Test("a judge's coverage counts its unparsed verdicts as missing")
    func judgeCoverage() throws {
        let report = try Self.load().judgeReport(judge: "gpt-3.5-turbo", reference: "majority", positive: "1")
        #expect(report.referenceItems == 999)
        #expect(report.comparedItems == 974)  // 25 "garbage" verdicts
        #expect(report.coverage == .defined(974.0 / 999.0))
    }
}
