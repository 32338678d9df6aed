// Every statistic against scikit-learn, statsmodels, krippendorff, irrCAC and scipy on small
// tables (missing data, unused labels, ordered string labels, one class only, no pairs).
// Expected values: Fixtures/reference_stats.json, written by scripts/reference_stats.py.
import Foundation
import Testing
@testable import Stats

@Suite("Reference libraries")
struct ReferenceLibraryTests {
    static let caseNames: [String] = (try? ReferenceFixture.load().cases.map(\.name)) ?? ["<fixture unreadable>"]

    @Test("the fixture records the library versions and every kind of case")
    func fixtureIsComplete() throws {
        let fixture = try ReferenceFixture.load()
        for package in ["scikit-learn", "statsmodels", "krippendorff", "irrCAC", "scipy"] {
            #expect(fixture.packages[package] != nil, "version of \(package)")
        }
        let names = Set(fixture.cases.map(\.name))
        for required in ["krippendorff-docstring", "ordered-strings", "likert-unused-labels", "one-class", "no-pairs",
                         "missing-four-labels", "judge-never-passes"] {
            #expect(names.contains(required), "case \(required)")
        }
    }

    @Test("statistics equal the reference libraries", arguments: caseNames)
    func matchesReference(_ name: String) throws {
        let fixture = try ReferenceFixture.load()
        let table = try #require(fixture.cases.first { $0.name == name })
        let triples = try #require(table.ratings).map { Rating(item: $0[0], rater: $0[1], label: $0[2]) }
        let scale = try LabelScale(table.labels, values: table.values)
        let ratings = try Ratings(triples, scale: scale, raters: table.raters)
        try verify(ratings, against: table)
    }

    @Test("the package's documented α values are reproduced")
    func krippendorffDocstring() throws {
        // krippendorff.alpha docstring: nominal 0.691358, interval 0.810845 (Krippendorff 2011).
        let table = try #require(try ReferenceFixture.load().cases.first { $0.name == "krippendorff-docstring" })
        let triples = try #require(table.ratings).map { Rating(item: $0[0], rater: $0[1], label: $0[2]) }
        let ratings = try Ratings(triples, scale: try LabelScale(table.labels, values: table.values))
        #expect(try #require(ratings.krippendorffsAlpha(.nominal).value).rounded(toPlaces: 6) == 0.691358)
        #expect(try #require(ratings.krippendorffsAlpha(.interval).value).rounded(toPlaces: 6) == 0.810845)
    }

    @Test("plain κ ignores unused labels; weighted κ follows the scale order")
    func weightedKappaUsesFullOrder() throws {
        let table = try #require(try ReferenceFixture.load().cases.first { $0.name == "likert-unused-labels" })
        let triples = try #require(table.ratings).map { Rating(item: $0[0], rater: $0[1], label: $0[2]) }
        let full = try Ratings(triples, scale: try LabelScale(table.labels))
        let used = Set(triples.map(\.label))
        let trimmed = try Ratings(triples, scale: try LabelScale(table.labels.filter(used.contains)))
        // Unweighted κ ignores unused labels…
        #expect(try full.cohensKappa(between: "r1", and: "r2") == trimmed.cohensKappa(between: "r1", and: "r2"))
        // …but reordering the scale changes weighted κ.
        let reversedMiddle = try Ratings(triples, scale: try LabelScale(["1", "3", "2", "4", "5", "6", "7"]))
        #expect(try full.cohensKappa(between: "r1", and: "r2", weighting: .linear)
                != reversedMiddle.cohensKappa(between: "r1", and: "r2", weighting: .linear))
    }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let scale = (0..<places).reduce(1.0) { value, _ in value * 10 }
        return (self * scale).rounded() / scale
    }
}
