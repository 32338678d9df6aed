// The synthetic generator is the one scripts/bench_krippendorff.py reimplements, and the
// benchmark reports every statistic (figures only: timings are never asserted).
import Testing
@testable import Stats

@Suite("Benchmark")
struct BenchmarkTests {
    func configuration(_ fixture: ReferenceFixture.Synthetic.Config) -> StatsBenchmark.Configuration {
        StatsBenchmark.Configuration(items: fixture.items, raters: fixture.raters, categories: fixture.categories,
                                     agreement: fixture.agreement, missingRate: fixture.missingRate,
                                     seed: fixture.seed, repetitions: 1, bootstrapReplicates: 3)
    }

    @Test("Swift's generator produces exactly the Python generator's codes")
    func sameDataAsPython() throws {
        let synthetic = try ReferenceFixture.load().synthetic
        let codes = try StatsBenchmark.syntheticCodes(configuration(synthetic.config))
        #expect(codes == synthetic.codes)
        #expect(codes.contains(-1))
    }

    @Test("α on the synthetic data equals the krippendorff package's", arguments: MeasurementLevel.allCases)
    func alphaMatchesPython(_ level: MeasurementLevel) throws {
        let synthetic = try ReferenceFixture.load().synthetic
        let ratings = try StatsBenchmark.syntheticRatings(configuration(synthetic.config))
        expectMatch(ratings.krippendorffsAlpha(level), synthetic.alpha[level.rawValue], "α \(level)")
    }

    @Test("a run reports every statistic, with the value computed directly")
    func runReportsEverything() throws {
        let config = StatsBenchmark.Configuration(items: 3000, raters: 3, categories: 4, agreement: 0.7,
                                                  missingRate: 0, seed: 9, repetitions: 2, bootstrapReplicates: 3)
        let figures = try StatsBenchmark.run(config)
        let ratings = try StatsBenchmark.syntheticRatings(config)
        #expect(figures.alphaNominal == ratings.krippendorffsAlpha(.nominal))
        #expect(figures.statistics.count == 6 + 3 * 7 + 1)
        #expect(figures.statistics.allSatisfy { $0.estimate.value != nil }, "complete data: all defined")
        #expect(figures.statistics.first { $0.name == "Fleiss' kappa" }?.estimate == ratings.fleissKappa())
        #expect(figures.tripleInputSeconds != nil && figures.bootstrapSeconds != nil)
        #expect(figures.allStatisticsSeconds >= 0)
    }

    @Test("missing ratings make Fleiss' κ refuse in the benchmark too")
    func missingRatings() throws {
        let config = StatsBenchmark.Configuration(items: 500, missingRate: 0.2, repetitions: 1,
                                                  bootstrapReplicates: 0, timeTripleInput: false)
        let figures = try StatsBenchmark.run(config)
        #expect(figures.statistics.first { $0.name == "Fleiss' kappa" }?.estimate == .undefined(.unequalRatingCounts))
        #expect(figures.bootstrapSeconds == nil && figures.tripleInputSeconds == nil)
    }

    @Test("invalid configurations are refused")
    func invalidConfiguration() {
        #expect(throws: StatsError.self) { try StatsBenchmark.syntheticCodes(.init(items: 10, raters: 0)) }
        #expect(throws: StatsError.self) { try StatsBenchmark.syntheticCodes(.init(items: 10, agreement: 1.5)) }
        #expect(throws: StatsError.self) { try StatsBenchmark.syntheticCodes(.init(items: -1)) }
    }
}
