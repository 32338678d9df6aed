// Synthetic ratings and timings for `recjudge bench stats`.

/// Times the statistics on synthetic items × raters (the same data as
/// scripts/bench_krippendorff.py generates, so the two can be compared).
///
/// The generator: x(j) is output j (0-based) of SplitMix64 seeded with `seed`. For item i,
/// let b = i·(raters + 1); its true label is x(b) mod categories. Rater r's cell uses
/// x = x(b + 1 + r): missing when (x & 0xFFFF) < round(missingRate · 65536); else the true
/// label when ((x >> 16) & 0xFFFF) < round(agreement · 65536); else (x >> 32) mod categories.
public enum StatsBenchmark {
    public struct Configuration: Sendable, Equatable {
        public var items: Int
        public var raters: Int
        public var categories: Int
        /// Chance that a rating copies the item's true label (else it is uniform).
        public var agreement: Double
        /// Chance that a rating is missing.
        public var missingRate: Double
        public var seed: UInt64
        /// α is timed this many times; the median is reported.
        public var repetitions: Int
        /// Resamples for the bootstrap timing (0 skips it).
        public var bootstrapReplicates: Int
        /// Also time building the table from (item, rater, label) string triples.
        public var timeTripleInput: Bool

        public init(items: Int = 1_000_000, raters: Int = 3, categories: Int = 5,
                    agreement: Double = 0.7, missingRate: Double = 0.05, seed: UInt64 = 42,
                    repetitions: Int = 5, bootstrapReplicates: Int = 100, timeTripleInput: Bool = true) {
            self.items = items
            self.raters = raters
            self.categories = categories
            self.agreement = agreement
            self.missingRate = missingRate
            self.seed = seed
            self.repetitions = repetitions
            self.bootstrapReplicates = bootstrapReplicates
            self.timeTripleInput = timeTripleInput
        }
    }

    /// One timed statistic.
    public struct Timing: Sendable, Equatable {
        public let name: String
        public let seconds: Double
        public let estimate: Estimate
    }

    public struct Figures: Sendable, Equatable {
        public let configuration: Configuration
        /// Generating the synthetic codes and item ids.
        public let generateSeconds: Double
        /// Building the table from string triples, when timed.
        public let tripleInputSeconds: Double?
        /// Median time of nominal α over `repetitions` runs.
        public let alphaNominalSeconds: Double
        public let alphaNominal: Estimate
        /// Every statistic once (multi-rater, each rater pair, judge report).
        public let statistics: [Timing]
        /// Sum of `statistics`.
        public var allStatisticsSeconds: Double { statistics.reduce(0) { $0 + $1.seconds } }
        /// Percentile bootstrap of nominal α, when timed.
        public let bootstrapSeconds: Double?
    }

    /// The synthetic codes, row-major items × raters, −1 missing (see the type's comment).
    /// - Throws: `StatsError.invalidParameter` for counts below 1 or rates outside 0...1.
    public static func syntheticCodes(_ configuration: Configuration) throws -> [Int32] {
        let c = configuration
        guard c.items >= 0, c.raters >= 1, c.categories >= 1 else {
            throw StatsError.invalidParameter("items ≥ 0, raters ≥ 1 and categories ≥ 1 are required")
        }
        guard (0...1).contains(c.agreement), (0...1).contains(c.missingRate) else {
            throw StatsError.invalidParameter("agreement and missingRate must be within 0...1")
        }
        let missing = UInt64((c.missingRate * 65536).rounded())
        let agree = UInt64((c.agreement * 65536).rounded())
        let k = UInt64(c.categories)
        var codes = [Int32](repeating: Ratings.missing, count: c.items * c.raters)
        codes.withUnsafeMutableBufferPointer { codes in
            for item in 0..<c.items {
                let base = UInt64(item) * UInt64(c.raters + 1)
                let truth = Int32(truncatingIfNeeded: SplitMix64.value(seed: c.seed, index: base) % k)
                for rater in 0..<c.raters {
                    let x = SplitMix64.value(seed: c.seed, index: base + 1 + UInt64(rater))
                    guard x & 0xFFFF >= missing else { continue }
                    codes[item * c.raters + rater] = (x >> 16) & 0xFFFF < agree
                        ? truth : Int32(truncatingIfNeeded: (x >> 32) % k)
                }
            }
        }
        return codes
    }

    /// The synthetic table: items "i0", "i1", …, raters "r0", "r1", …, labels "0", "1", ….
    public static func syntheticRatings(_ configuration: Configuration) throws -> Ratings {
        let codes = try syntheticCodes(configuration)
        let scale = try LabelScale((0..<configuration.categories).map(String.init))
        return Ratings(unchecked: scale, itemIDs: (0..<configuration.items).map { "i\($0)" },
                       raterIDs: (0..<configuration.raters).map { "r\($0)" }, codes: codes)
    }

    /// Generates the data and times every statistic on it.
    /// - Throws: `StatsError.invalidParameter` for an invalid configuration.
    public static func run(_ configuration: Configuration) throws -> Figures {
        let clock = ContinuousClock()
        var ratings: Ratings?
        let generate = try clock.measure { ratings = try syntheticRatings(configuration) }
        guard let ratings else { throw StatsError.invalidParameter("no data generated") }

        var tripleSeconds: Double?
        if configuration.timeTripleInput {
            var triples: [Rating] = []
            triples.reserveCapacity(ratings.codes.count)
            let itemIDs = ratings.itemIDs
            for item in 0..<ratings.itemCount {
                for rater in 0..<ratings.raterCount {
                    if let label = ratings.label(item: item, rater: rater) {
                        triples.append(Rating(item: itemIDs[item], rater: ratings.raterIDs[rater], label: label))
                    }
                }
            }
            tripleSeconds = try clock.measure {
                _ = try Ratings(triples, scale: ratings.scale, raters: ratings.raterIDs)
            }.seconds
        }

        var alpha = Estimate.undefined(.noPairedItems)
        var alphaTimes: [Double] = []
        for _ in 0..<max(configuration.repetitions, 1) {
            alphaTimes.append(clock.measure { alpha = ratings.krippendorffsAlpha(.nominal) }.seconds)
        }
        alphaTimes.sort()

        var timings: [Timing] = []
        func time(_ name: String, _ body: () throws -> Estimate) rethrows {
            var estimate = Estimate.undefined(.noPairedItems)
            let elapsed = try clock.measure { estimate = try body() }
            timings.append(Timing(name: name, seconds: elapsed.seconds, estimate: estimate))
        }
        time("percent agreement") { ratings.percentAgreement() }
        time("Fleiss' kappa") { ratings.fleissKappa() }
        time("Gwet's AC1") { ratings.gwetsAC1() }
        for level in MeasurementLevel.allCases {
            time("Krippendorff's alpha (\(level.rawValue))") { ratings.krippendorffsAlpha(level) }
        }
        let raters = ratings.raterIDs
        for (a, first) in raters.enumerated() {
            for second in raters[(a + 1)...] {
                let pair = "\(first)–\(second)"
                try time("percent agreement \(pair)") { try ratings.percentAgreement(between: first, and: second) }
                try time("Cohen's kappa \(pair)") { try ratings.cohensKappa(between: first, and: second) }
                try time("linear kappa \(pair)") { try ratings.cohensKappa(between: first, and: second, weighting: .linear) }
                try time("quadratic kappa \(pair)") { try ratings.cohensKappa(between: first, and: second, weighting: .quadratic) }
                try time("Scott's pi \(pair)") { try ratings.scottsPi(between: first, and: second) }
                try time("Spearman's rho \(pair)") { try ratings.spearmanRho(between: first, and: second) }
                try time("Kendall's tau-b \(pair)") { try ratings.kendallTauB(between: first, and: second) }
            }
        }
        if raters.count >= 2 {
            try time("judge report (r0 vs consensus)") {
                let withReference = try ratings.addingConsensus(of: Array(raters.dropFirst()), as: "consensus")
                return try withReference.judgeReport(judge: raters[0], reference: "consensus",
                                                     positive: ratings.scale.labels[0]).f1
            }
        }

        var bootstrapSeconds: Double?
        if configuration.bootstrapReplicates > 0 {
            bootstrapSeconds = try clock.measure {
                _ = try Bootstrap.percentileInterval(of: ratings, replicates: configuration.bootstrapReplicates,
                                                     seed: configuration.seed) { $0.krippendorffsAlpha(.nominal) }
            }.seconds
        }

        return Figures(configuration: configuration, generateSeconds: generate.seconds,
                       tripleInputSeconds: tripleSeconds,
                       alphaNominalSeconds: alphaTimes[alphaTimes.count / 2], alphaNominal: alpha,
                       statistics: timings, bootstrapSeconds: bootstrapSeconds)
    }
}

extension Duration {
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
