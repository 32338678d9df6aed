// Shared test helpers: locating shared data, the reference fixture, and comparisons.
import Foundation
import Testing
@testable import Stats

enum Paths {
    /// The repository root: three levels up from Tests/StatsTests/Support.swift (symlinks
    /// resolved, so a scratch package that links the test folder still finds the clone).
    static let repoRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// Read-only real data sets, beside the clone.
    static let sharedData = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    static let fixtures = repoRoot.appendingPathComponent("Tests/StatsTests/Fixtures")

    static func shared(_ path: String) -> URL { sharedData.appendingPathComponent(path) }
}

/// |actual − expected| ≤ tolerance, or both undefined.
func expectMatch(_ actual: Estimate, _ expected: Double?, tolerance: Double = 1e-9,
                 _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    switch (actual, expected) {
    case (.defined(let value), .some(let reference)):
        #expect(abs(value - reference) <= tolerance, "\(what): \(value) ≠ \(reference)",
                sourceLocation: sourceLocation)
    case (.undefined, .none):
        break
    default:
        Issue.record("\(what): got \(actual), expected \(expected.map { "\($0)" } ?? "undefined")",
                     sourceLocation: sourceLocation)
    }
}

// MARK: - The fixture written by scripts/reference_stats.py

struct ReferenceFixture: Decodable {
    struct Multi: Decodable {
        let percentAgreement, gwetAc1, fleissKappa: Double?
        let alphaNominal, alphaOrdinal, alphaInterval: Double?
    }
    struct Pair: Decodable {
        let first, second: String
        let n: Int
        let percentAgreement, cohenKappa, cohenKappaLinear, cohenKappaQuadratic: Double?
        let scottPi, spearmanRho, kendallTauB: Double?
    }
    struct Judge: Decodable {
        let judge, reference, positive: String
        let referenceItems, comparedItems: Int
        let accuracy, precision, recall, f1, coverage, falseFailureRate, specificity: Double?
        let confusion: [[Int]]
    }
    /// Expected values over a table; `ratings` present for the synthetic cases only.
    struct Table: Decodable {
        let name: String
        let labels: [String]
        let values: [Double]
        let raters: [String]
        let ratings: [[String]]?
        /// The raters the multi-rater statistics run on.
        let multiRaters: [String]
        let multi: Multi
        let pairs: [Pair]
        let judges: [Judge]
        let majorityCounts: [String: Int]?
    }
    struct Synthetic: Decodable {
        struct Config: Decodable {
            let items, raters, categories: Int
            let agreement, missingRate: Double
            let seed: UInt64
        }
        let config: Config
        let codes: [Int32]
        let alpha: [String: Double]
    }

    let packages: [String: String]
    let cases: [Table]
    let pandalm: Table
    let hanna: [String: Table]
    let synthetic: Synthetic

    static func load() throws -> ReferenceFixture {
        let data = try Data(contentsOf: Paths.fixtures.appendingPathComponent("reference_stats.json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(ReferenceFixture.self, from: data)
    }
}

/// Compares every statistic of `ratings` with the reference values of `table`.
func verify(_ ratings: Ratings, against table: ReferenceFixture.Table) throws {
    let name = table.name
    let group = try ratings.selecting(raters: table.multiRaters)
    expectMatch(group.percentAgreement(), table.multi.percentAgreement, "\(name) percent agreement")
    expectMatch(group.gwetsAC1(), table.multi.gwetAc1, "\(name) Gwet's AC1")
    expectMatch(group.fleissKappa(), table.multi.fleissKappa, "\(name) Fleiss' κ")
    expectMatch(group.krippendorffsAlpha(.nominal), table.multi.alphaNominal, "\(name) α nominal")
    expectMatch(group.krippendorffsAlpha(.ordinal), table.multi.alphaOrdinal, "\(name) α ordinal")
    expectMatch(group.krippendorffsAlpha(.interval), table.multi.alphaInterval, "\(name) α interval")

    for pair in table.pairs {
        let (a, b) = (pair.first, pair.second)
        let what = "\(name) \(a)–\(b)"
        #expect(try ratings.confusionMatrix(between: a, and: b).total == pair.n, "\(what) paired items")
        expectMatch(try ratings.percentAgreement(between: a, and: b), pair.percentAgreement, "\(what) agreement")
        expectMatch(try ratings.cohensKappa(between: a, and: b), pair.cohenKappa, "\(what) κ")
        expectMatch(try ratings.cohensKappa(between: a, and: b, weighting: .linear), pair.cohenKappaLinear,
                    "\(what) linear κ")
        expectMatch(try ratings.cohensKappa(between: a, and: b, weighting: .quadratic), pair.cohenKappaQuadratic,
                    "\(what) quadratic κ")
        expectMatch(try ratings.scottsPi(between: a, and: b), pair.scottPi, "\(what) Scott's π")
        expectMatch(try ratings.spearmanRho(between: a, and: b), pair.spearmanRho, "\(what) Spearman's ρ")
        expectMatch(try ratings.kendallTauB(between: a, and: b), pair.kendallTauB, "\(what) Kendall's τ-b")
    }

    for judge in table.judges {
        let what = "\(name) \(judge.judge) vs \(judge.reference) (+\(judge.positive))"
        let report = try ratings.judgeReport(judge: judge.judge, reference: judge.reference, positive: judge.positive)
        #expect(report.referenceItems == judge.referenceItems, "\(what) reference items")
        #expect(report.comparedItems == judge.comparedItems, "\(what) compared items")
        #expect(report.confusion.rows == judge.confusion, "\(what) confusion matrix")
        #expect(report.confusion.labels == table.labels, "\(what) confusion labels")
        expectMatch(report.accuracy, judge.accuracy, "\(what) accuracy")
        expectMatch(report.precision, judge.precision, "\(what) precision")
        expectMatch(report.recall, judge.recall, "\(what) recall")
        expectMatch(report.f1, judge.f1, "\(what) F1")
        expectMatch(report.coverage, judge.coverage, "\(what) coverage")
        expectMatch(report.falseFailureRate, judge.falseFailureRate, "\(what) false-failure rate")
        expectMatch(report.specificity, judge.specificity, "\(what) specificity")
    }
}

// MARK: - CSV (RFC 4180: quoted fields may hold commas, quotes and newlines)

enum CSV {
    struct Malformed: Error {}

    static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text).makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let following = next() {
                        if following == "\"" { field.append("\"") } else { quoted = false; pending = following }
                    } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else {
                switch c {
                case "\"": guard field.isEmpty else { throw Malformed() }; quoted = true
                case ",": row.append(field); field = ""
                case "\n", "\r\n": row.append(field); field = ""; rows.append(row); row = []
                case "\r": break
                default: field.append(c)
                }
            }
        }
        guard !quoted else { throw Malformed() }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
