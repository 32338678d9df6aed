// Bad input gives clear errors; the documented definitions hold on hand-made tables.
import Testing
@testable import Stats

@Suite("Input and definitions")
struct InputAndDefinitionTests {
    let passFail = try! LabelScale(["fail", "pass"])

    /// Rows of labels (nil = missing) for raters "a", "b", "c", … on items "i0", "i1", ….
    func table(_ rows: [[String?]], scale: LabelScale) throws -> Ratings {
        let raters = (0..<(rows.first?.count ?? 0)).map { String(UnicodeScalar(UInt8(97 + $0))) }
        var triples: [Rating] = []
        for (item, row) in rows.enumerated() {
            for (rater, label) in zip(raters, row) {
                if let label { triples.append(Rating(item: "i\(item)", rater: rater, label: label)) }
            }
        }
        return try Ratings(triples, scale: scale, raters: raters)
    }

    @Test("a scale rejects repeated labels and values that are not strictly increasing")
    func scaleValidation() throws {
        #expect(throws: StatsError.duplicateLabel("ok")) { try LabelScale(["ok", "bad", "ok"]) }
        #expect(throws: StatsError.invalidScaleValues(labels: 2, values: 3)) {
            try LabelScale(["a", "b"], values: [1, 2, 3])
        }
        #expect(throws: StatsError.invalidScaleValues(labels: 3, values: 3)) {
            try LabelScale(["a", "b", "c"], values: [1, 3, 2])
        }
        #expect(throws: StatsError.invalidScaleValues(labels: 2, values: 2)) {
            try LabelScale(["a", "b"], values: [1, .nan])
        }
        #expect(try LabelScale(["low", "high"]).values == [0, 1])
    }

    @Test("ratings reject labels off the scale, repeated ratings and unlisted raters")
    func ratingsValidation() {
        #expect(throws: StatsError.unknownLabel("maybe", item: "x", rater: "r")) {
            try Ratings([Rating(item: "x", rater: "r", label: "maybe")], scale: passFail)
        }
        #expect(throws: StatsError.duplicateRating(item: "x", rater: "r")) {
            try Ratings([Rating(item: "x", rater: "r", label: "pass"), Rating(item: "x", rater: "r", label: "pass")],
                        scale: passFail)
        }
        #expect(throws: StatsError.unknownRater("s")) {
            try Ratings([Rating(item: "x", rater: "s", label: "pass")], scale: passFail, raters: ["r"])
        }
        #expect(throws: StatsError.duplicateRater("r")) {
            try Ratings([], scale: passFail, raters: ["r", "r"])
        }
        #expect(throws: StatsError.self) {
            try Ratings(scale: passFail, itemIDs: ["x"], raterIDs: ["r", "s"], codes: [0])
        }
        #expect(throws: StatsError.self) {
            try Ratings(scale: passFail, itemIDs: ["x"], raterIDs: ["r"], codes: [2])
        }
        #expect(throws: StatsError.self) {
            try Ratings(scale: passFail, itemIDs: ["x", "x"], raterIDs: ["r"], codes: [0, 1])
        }
        let error = StatsError.unknownLabel("maybe", item: "x", rater: "r")
        #expect(error.description.contains("maybe") && error.description.contains("not on the scale"))
    }

    @Test("statistics name the unknown rater or positive label instead of guessing")
    func unknownNames() throws {
        let ratings = try table([["pass", "fail"]], scale: passFail)
        #expect(throws: StatsError.unknownRater("z")) { try ratings.cohensKappa(between: "a", and: "z") }
        #expect(throws: StatsError.unknownRater("z")) { try ratings.selecting(raters: ["z"]) }
        #expect(throws: StatsError.self) { try ratings.judgeReport(judge: "b", reference: "a", positive: "ok") }
        #expect(throws: StatsError.duplicateRater("a")) { try ratings.addingConsensus(of: ["a", "b"], as: "a") }
    }

    @Test("a table keeps item order, columns, missing cells and label counts")
    func tableLayout() throws {
        // Triples never mention an item nobody rated: i1 has no row.
        let ratings = try table([["pass", nil, "fail"], [nil, nil, nil], ["pass", "pass", nil]], scale: passFail)
        #expect(ratings.itemIDs == ["i0", "i2"])
        #expect(ratings.raterIDs == ["a", "b", "c"])
        #expect(ratings.label(item: 0, rater: 2) == "fail")
        #expect(ratings.label(item: 0, rater: 1) == nil)
        #expect(ratings.code(item: 9, rater: 0) == nil)
        #expect(ratings.labelCounts() == [1, 3])
        let selected = try ratings.selecting(raters: ["c", "a"])
        #expect(selected.raterIDs == ["c", "a"])
        #expect(selected.label(item: 0, rater: 0) == "fail" && selected.label(item: 1, rater: 1) == "pass")
        // Codes can carry an unrated item.
        let coded = try Ratings(scale: passFail, itemIDs: ["x", "y", "z"], raterIDs: ["r", "s"],
                                codes: [1, 0, -1, -1, 1, -1])
        #expect(coded.itemCount(withAtLeast: 1) == 2)
        #expect(coded.itemCount(withAtLeast: 2) == 1)
        #expect(coded.label(item: 2, rater: 0) == "pass")
    }

    @Test("Fleiss' κ refuses items with different numbers of ratings and ignores unrated items")
    func fleissRatingCounts() throws {
        let uneven = try table([["pass", "pass", "fail"], ["pass", "fail", nil]], scale: passFail)
        #expect(uneven.fleissKappa() == .undefined(.unequalRatingCounts))
        let withEmpty = try table([["pass", "pass"], [nil, nil], ["fail", "pass"], ["fail", "fail"]], scale: passFail)
        let complete = try table([["pass", "pass"], ["fail", "pass"], ["fail", "fail"]], scale: passFail)
        #expect(withEmpty.fleissKappa() == complete.fleissKappa())
        // With two ratings per item, Fleiss' κ is Scott's π.
        let pi = try #require(try complete.scottsPi(between: "a", and: "b").value)
        #expect(abs(try #require(complete.fleissKappa().value) - pi) < 1e-12)
        let single = try table([["pass", nil], [nil, "fail"]], scale: passFail)
        #expect(single.fleissKappa() == .undefined(.noPairedItems))
    }

    @Test("percent agreement is the mean share of agreeing rater pairs per item")
    func percentAgreementDefinition() throws {
        // Item 0: 3 raters, 1 of 3 pairs agree; item 1: 2 raters agree; item 2: 1 rating (ignored).
        let ratings = try table([["pass", "pass", "fail"], ["fail", nil, "fail"], [nil, "pass", nil]], scale: passFail)
        let expected: Double = (1.0 / 3 + 1) / 2
        expectMatch(ratings.percentAgreement(), expected, tolerance: 1e-15, "mean pair share")
        #expect(try ratings.percentAgreement(between: "a", and: "c") == .defined(0.5))
        #expect(try ratings.percentAgreement(between: "b", and: "c") == .defined(0))
    }

    @Test("a rater pair with no co-rated item is undefined, not 0")
    func noPairs() throws {
        let ratings = try table([["pass", nil], [nil, "fail"]], scale: passFail)
        #expect(try ratings.cohensKappa(between: "a", and: "b") == .undefined(.noPairedItems))
        #expect(try ratings.percentAgreement(between: "a", and: "b") == .undefined(.noPairedItems))
        #expect(try ratings.kendallTauB(between: "a", and: "b") == .undefined(.noPairedItems))
        #expect(ratings.krippendorffsAlpha() == .undefined(.noPairedItems))
        #expect(ratings.gwetsAC1() == .undefined(.noPairedItems))
        #expect(Estimate.undefined(.noPairedItems).value == nil)
        #expect(Estimate.undefined(.noPairedItems).description.hasPrefix("undefined"))
    }

    @Test("rank correlations: reversed order gives −1, a constant side is undefined")
    func rankCorrelations() throws {
        let scale = try LabelScale(["1", "2", "3", "4"])
        let reversed = try table([["1", "4"], ["2", "3"], ["3", "2"], ["4", "1"]], scale: scale)
        expectMatch(try reversed.spearmanRho(between: "a", and: "b"), -1, tolerance: 1e-15, "ρ")
        expectMatch(try reversed.kendallTauB(between: "a", and: "b"), -1, tolerance: 1e-15, "τ-b")
        let constant = try table([["1", "2"], ["2", "2"], ["3", "2"]], scale: scale)
        #expect(try constant.spearmanRho(between: "a", and: "b") == .undefined(.singleCategory))
        #expect(try constant.kendallTauB(between: "a", and: "b") == .undefined(.singleCategory))
    }

    @Test("a judge report: pass is positive, false failures are passes the judge failed")
    func judgeDefinitions() throws {
        // reference a, judge b: TP 2, FN 1, FP 1, TN 1, one item unjudged.
        let ratings = try table([["pass", "pass"], ["pass", "pass"], ["pass", "fail"], ["fail", "pass"],
                                 ["fail", "fail"], ["pass", nil]], scale: passFail)
        let report = try ratings.judgeReport(judge: "b", reference: "a", positive: "pass")
        #expect([report.truePositives, report.falseNegatives, report.falsePositives, report.trueNegatives] == [2, 1, 1, 1])
        #expect(report.confusion.rows == [[1, 1], [1, 2]])
        #expect(report.coverage == .defined(5.0 / 6))
        #expect(report.accuracy == .defined(3.0 / 5))
        #expect(report.precision == .defined(2.0 / 3))
        #expect(report.recall == .defined(2.0 / 3))
        #expect(report.falseFailureRate == .defined(1.0 / 3))
        #expect(report.specificity == .defined(0.5))
        #expect(report.f1 == .defined(4.0 / 6))
    }

    @Test("consensus: majority needs more than half the ratings, plurality a unique mode")
    func consensusRules() throws {
        let scale = try LabelScale(["x", "y", "z"])
        let ratings = try table([["x", "x", "y", "y", "z"], ["x", "x", "y", "z", nil], ["y", nil, nil, nil, nil],
                                 [nil, nil, nil, nil, nil], ["z", "z", "z", "x", "y"]], scale: scale)
        let raters = ratings.raterIDs
        let majority = try ratings.addingConsensus(of: raters, as: "m", rule: .majority)
        let plurality = try ratings.addingConsensus(of: raters, as: "p", rule: .plurality)
        // The all-missing row names no item, so four items remain.
        #expect(majority.itemCount == 4)
        #expect((0..<4).map { majority.label(item: $0, rater: 5) } == [nil, nil, "y", "z"])
        #expect((0..<4).map { plurality.label(item: $0, rater: 5) } == [nil, "x", "y", "z"])
        #expect(majority.raterIDs.last == "m" && majority.label(item: 0, rater: 4) == "z")
    }
}
