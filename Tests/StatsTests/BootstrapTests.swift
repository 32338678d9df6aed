// Percentile bootstrap intervals are deterministic given the seed, and the generator is
// the same stream the Python benchmark reproduces.
import Testing
@testable import Stats

@Suite("Bootstrap and generator")
struct BootstrapTests {
    func humans() throws -> Ratings { try PandaLMTests.load().selecting(raters: PandaLMTests.annotators) }

    @Test("the same seed gives the same interval; another seed another one")
    func deterministic() throws {
        let ratings = try humans()
        let alpha: (Ratings) -> Estimate = { $0.krippendorffsAlpha(.nominal) }
        let first = try Bootstrap.percentileInterval(of: ratings, replicates: 100, seed: 7, statistic: alpha)
        let again = try Bootstrap.percentileInterval(of: ratings, replicates: 100, seed: 7, statistic: alpha)
        let other = try Bootstrap.percentileInterval(of: ratings, replicates: 100, seed: 8, statistic: alpha)
        #expect(first == again)
        #expect(first.lower != other.lower || first.upper != other.upper)
        #expect(first.estimate == ratings.krippendorffsAlpha(.nominal))
        let (lower, estimate, upper) = (try #require(first.lower.value), try #require(first.estimate.value),
                                        try #require(first.upper.value))
        #expect(lower < estimate && estimate < upper)
        #expect(upper - lower < 0.1)
        #expect(first.undefinedReplicates == 0 && first.replicates == 100 && first.confidence == 0.95)
    }

    @Test("a statistic undefined on every resample gives undefined bounds, never 0 or 1")
    func undefinedReplicates() throws {
        let scale = try LabelScale(["fail", "pass"])
        let triples = (0..<20).flatMap { item in
            ["a", "b"].map { Rating(item: "i\(item)", rater: $0, label: "pass") }
        }
        let ratings = try Ratings(triples, scale: scale)
        let interval = try Bootstrap.percentileInterval(of: ratings, replicates: 50, seed: 1) {
            try $0.cohensKappa(between: "a", and: "b")
        }
        #expect(interval.estimate == .undefined(.singleCategory))
        #expect(interval.lower == .undefined(.singleCategory) && interval.upper == .undefined(.singleCategory))
        #expect(interval.undefinedReplicates == 50)
    }

    @Test("invalid replicate counts and confidence levels are refused")
    func invalidParameters() throws {
        let ratings = try humans()
        #expect(throws: StatsError.self) {
            try Bootstrap.percentileInterval(of: ratings, replicates: 0, seed: 1) { $0.percentAgreement() }
        }
        #expect(throws: StatsError.self) {
            try Bootstrap.percentileInterval(of: ratings, confidence: 1, seed: 1) { $0.percentAgreement() }
        }
    }

    @Test("quantiles interpolate linearly between order statistics, as numpy's percentile")
    func quantiles() {
        #expect(Bootstrap.quantile([1, 2, 3, 4], 0.25) == 1.75)
        #expect(Bootstrap.quantile([1, 2, 3, 4], 1) == 4)
        #expect(Bootstrap.quantile([5], 0.025) == 5)
        #expect(Bootstrap.quantile([], 0.5) == nil)
    }

    @Test("a resample repeats rows by multiplicity and keeps referring to the source ids")
    func resample() throws {
        let scale = try LabelScale(["x", "y"])
        let ratings = try Ratings([Rating(item: "a", rater: "r", label: "x"), Rating(item: "b", rater: "r", label: "y"),
                                   Rating(item: "c", rater: "r", label: "y")], scale: scale)
        let resampled = ratings.resampled(multiplicity: [2, 0, 1])
        #expect(resampled.itemIDs == ["a", "a", "c"])
        #expect((0..<3).map { resampled.label(item: $0, rater: 0) } == ["x", "x", "y"])
        let nested = resampled.resampled(multiplicity: [0, 1, 2])
        #expect(nested.itemIDs == ["a", "c", "c"])
        #expect(nested.itemID(2) == "c" && nested.itemID(3) == nil)
        #expect(try nested.selecting(raters: ["r"]).itemIDs == ["a", "c", "c"])
    }

    @Test("SplitMix64's stream can be read sequentially or by position")
    func generatorPositions() {
        var generator = SplitMix64(seed: 12345)
        for index in 0..<100 {
            #expect(generator.next() == SplitMix64.value(seed: 12345, index: UInt64(index)))
        }
        var bounded = SplitMix64(seed: 3)
        #expect((0..<1000).allSatisfy { _ in (0..<7).contains(bounded.index(below: 7)) })
    }
}
