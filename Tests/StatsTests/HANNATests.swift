// HANNA user study (dig-team/hanna-benchmark-asg @ 282f27536a5d, MIT): 100 LLM-written
// rating explanations, three annotators each (consecutive rows), six binary error flags.
// High-prevalence flags show the "kappa paradox": raters agree on almost every item, yet κ
// and α collapse because chance agreement is nearly total; 'incorrectness' is all 0.
import Foundation
import Testing
@testable import Stats

@Suite("HANNA")
struct HANNATests {
    static let raters = ["r1", "r2", "r3"]

    /// One table per flag column: item = row / 3, rater = position within the item's rows.
    static func load() throws -> [String: Ratings] {
        let text = try String(contentsOf: Paths.shared("hanna/user_study.csv"), encoding: .utf8)
        let rows = try CSV.parse(text)
        let header = try #require(rows.first)
        let body = rows.dropFirst().filter { $0.count == header.count }
        try #require(body.count == 300)
        var tables: [String: Ratings] = [:]
        for (column, flag) in header.enumerated() where flag.hasPrefix("Answer.") {
            let triples = body.enumerated().map { index, row in
                Rating(item: "item\(index / 3)", rater: raters[index % 3], label: row[column])
            }
            tables[flag] = try Ratings(triples, scale: try LabelScale(["0", "1"]), raters: raters)
        }
        return tables
    }

    @Test("every flag matches the reference libraries")
    func matchesReference() throws {
        let fixture = try ReferenceFixture.load()
        let tables = try Self.load()
        #expect(Set(tables.keys) == Set(fixture.hanna.keys))
        #expect(tables.count == 6)
        for (flag, expected) in fixture.hanna {
            try verify(try #require(tables[flag]), against: expected)
        }
    }

    @Test("syntax: 97% pairwise agreement and AC1 0.97, while κ, π and α fall to about zero")
    func kappaParadox() throws {
        let syntax = try #require(try Self.load()["Answer.a-2-syntax.1"])
        let prevalence = Double(syntax.labelCounts()[1]) / 300
        #expect(prevalence < 0.02)
        #expect(try #require(syntax.percentAgreement().value) > 0.96)
        #expect(try #require(syntax.gwetsAC1().value) > 0.96)
        #expect(abs(try #require(syntax.krippendorffsAlpha().value)) < 0.02)
        #expect(abs(try #require(syntax.fleissKappa().value)) < 0.02)
        let kappa = try #require(try syntax.cohensKappa(between: "r1", and: "r2").value)
        let agreement = try #require(try syntax.percentAgreement(between: "r1", and: "r2").value)
        #expect(agreement > 0.95 && abs(kappa) < 0.05)
    }

    @Test("incorrectness is all 0: α, κ and π are undefined, agreement and AC1 are 1")
    func singleClassFlag() throws {
        let flag = try #require(try Self.load()["Answer.a-4-incorrectness.1"])
        #expect(flag.labelCounts() == [300, 0])
        for level in MeasurementLevel.allCases {
            #expect(flag.krippendorffsAlpha(level) == .undefined(.singleCategory))
        }
        #expect(flag.fleissKappa() == .undefined(.singleCategory))
        #expect(try flag.cohensKappa(between: "r1", and: "r3") == .undefined(.singleCategory))
        #expect(try flag.scottsPi(between: "r2", and: "r3") == .undefined(.singleCategory))
        #expect(flag.percentAgreement() == .defined(1))
        #expect(flag.gwetsAC1() == .defined(1))
    }
}
