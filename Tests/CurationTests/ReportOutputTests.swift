// The report's JSON (documented schema recjudge.stats/1) and its text tables.
import Foundation
import Testing
import Store
@testable import Curation

@Suite("Report output")
struct ReportOutputTests {
    static func object(_ value: Any?, _ what: String) throws -> [String: Any] {
        try #require(value as? [String: Any], "\(what) is an object")
    }

    static func keys(_ value: Any?, _ what: String) throws -> Set<String> { Set(try object(value, what).keys) }

    static let figureKeys: Set<String> = ["value", "undefined", "lower", "upper", "interval"]

    @Test("JSON parses back and has exactly the documented fields")
    func jsonSchema() throws {
        let s = try JudgeFiguresTests.tenSamples()
        try s.importLabels([("t1", "bob", "relevance", "yes", 1_750_000_000, nil)])
        let text = try s.report { $0.grouping = .week }.json()
        #expect(text.hasSuffix("}\n"))
        let root = try Self.object(try JSONSerialization.jsonObject(with: Data(text.utf8)), "root")
        #expect(Set(root.keys) == ["schema", "session", "options", "tasks"])
        #expect(root["schema"] as? String == "recjudge.stats/1")
        #expect(try Self.keys(root["options"], "options") ==
                ["task", "judge", "annotator", "by", "consensus", "confidence", "bootstrap", "idleSeconds"])
        #expect(try Self.object(root["options"], "options")["by"] as? String == "week")
        let tasks = try #require(root["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["task"] as? String } == ["tag", "interest"])
        let tag = tasks[0]
        #expect(Set(tag.keys) == ["task", "rubricVersion", "samples", "ignoredLabels", "dimensions", "annotators", "groups"])
        let dimensions = try #require(tag["dimensions"] as? [[String: Any]])
        #expect(dimensions.map { $0["dimension"] as? String } == ["relevance", "consistency", "specificity", "validity", "all"])
        #expect(dimensions.map { $0["all"] as? Bool } == [false, false, false, false, true])
        let relevance = dimensions[0]
        #expect(Set(relevance.keys) == ["dimension", "all", "items", "consensusItems", "consensusSources", "labels",
                                        "passRate", "humans", "judges"])
        #expect(try Self.keys(relevance["humans"], "humans") ==
                ["annotators", "pairableItems", "percentAgreement", "krippendorffsAlpha", "fleissKappa", "gwetsAC1", "pairs"])
        let pair = try #require((try Self.object(relevance["humans"], "humans")["pairs"] as? [[String: Any]])?.first)
        #expect(Set(pair.keys) == ["first", "second", "items", "percentAgreement", "cohensKappa"])
        let judge = try #require((relevance["judges"] as? [[String: Any]])?.first)
        #expect(Set(judge.keys) == ["judge", "version", "kind", "model", "rubricVersion", "createdAt", "verdicts",
                                    "failedVerdicts", "referenceItems", "comparedItems", "coverage", "accuracy",
                                    "precision", "recall", "f1", "cohensKappa", "falseFailureRate", "specificity",
                                    "confusion", "labelConfusion", "labelAccuracy", "labelKappa"])
        for key in ["coverage", "accuracy", "precision", "recall", "f1", "cohensKappa", "labelAccuracy"] {
            #expect(try Self.keys(judge[key], key) == Self.figureKeys)
        }
        let confusion = try Self.object(judge["confusion"], "confusion")
        #expect(confusion["labels"] as? [String] == ["pass", "fail"])
        #expect(confusion["rows"] as? [[Int]] == [[5, 1], [1, 3]])
        let accuracy = try Self.object(judge["accuracy"], "accuracy")
        #expect(accuracy["value"] as? Double == 0.8 && accuracy["interval"] as? String == "wilson")
        #expect(accuracy["undefined"] is NSNull)
        #expect((judge["createdAt"] as? String)?.hasSuffix("Z") == true)

        let annotator = try #require((tag["annotators"] as? [[String: Any]])?.first)
        #expect(Set(annotator.keys) == ["annotator", "items", "labels", "decisions", "actions", "adjudications",
                                        "timedItems", "secondsPerItem", "consensusItems", "consensusAgreement", "dimensions"])
        let annotatorDimension = try #require((annotator["dimensions"] as? [[String: Any]])?.first)
        #expect(Set(annotatorDimension.keys) == ["dimension", "all", "labels", "consensusItems", "consensusAgreement",
                                                 "consensusKappa", "judges"])
        let group = try #require((tag["groups"] as? [[String: Any]])?.first)
        #expect(Set(group.keys) == ["by", "key", "detail", "dimensions"])
        #expect(group["by"] as? String == "week")
    }

    @Test("an undefined figure is null with its reason, never a number")
    func undefinedInJSON() throws {
        let s = try TestSession.tags()
        try s.addTagSamples(3)
        try s.importLabels((0..<3).map { ("t\($0)", "alice", "validity", "yes", nil, nil) })
        try s.importVerdicts("ext", (0..<3).map { ("t\($0)", "validity", "yes") })
        let root = try Self.object(try JSONSerialization.jsonObject(with: Data(try s.report().json().utf8)), "root")
        let tag = try #require((root["tasks"] as? [[String: Any]])?.first)
        let validity = try #require((tag["dimensions"] as? [[String: Any]])?.first { $0["dimension"] as? String == "validity" })
        let judge = try #require((validity["judges"] as? [[String: Any]])?.first)
        let kappa = try Self.object(judge["cohensKappa"], "κ")
        #expect(kappa["value"] is NSNull && kappa["lower"] is NSNull && kappa["interval"] is NSNull)
        #expect(kappa["undefined"] as? String == "singleCategory")
        #expect(try Self.object(judge["specificity"], "specificity")["undefined"] as? String == "emptyDenominator")
        let alpha = try Self.object(try Self.object(validity["humans"], "humans")["krippendorffsAlpha"], "α")
        #expect(alpha["undefined"] as? String == "noPairedItems")
    }

    @Test("names with escape sequences are escaped in JSON and kept out of the text layout's way")
    func hostileNames() throws {
        let s = try TestSession.tags()
        try s.addTagSamples(1)
        let pk = try #require(try s.store.sample(id: "t0")).pk
        let name = "\u{1B}[2Jeve\u{202E}\u{9B}31m\n"
        try s.store.record(DecisionInput(samplePK: pk, dimension: "relevance", annotator: name, label: "yes",
                                         action: .label, rubricVersion: 1))
        let report = try s.report()
        let json = report.json()
        #expect(!json.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value == 0x9B })
        #expect(json.contains(#"\u001b[2Jeve\u202e\u009b31m\n"#))
        let root = try Self.object(try JSONSerialization.jsonObject(with: Data(json.utf8)), "root")
        let annotator = try #require(((root["tasks"] as? [[String: Any]])?.first?["annotators"] as? [[String: Any]])?.first)
        #expect(annotator["annotator"] as? String == name)
        // The text holds the name as data; the CLI sanitises every line before printing.
        #expect(report.text().contains { $0.contains("eve") })
    }

    @Test("the text shows every section with three decimals and intervals below")
    func textTables() throws {
        let s = try JudgeFiguresTests.tenSamples()
        try s.importLabels([("t1", "bob", "relevance", "yes", nil, nil)])
        let lines = try s.report { $0.grouping = .judgeVersion }.text()
        let text = lines.joined(separator: "\n")
        for heading in ["task tag — rubric v1 — 10 samples", "human agreement", "consensus labels", "annotator pairs",
                        "judge ext [replay]", "annotator", "by judge version"] {
            #expect(text.contains(heading), "\(heading)")
        }
        let row = try #require(lines.first { $0.contains("relevance") && $0.contains("0.800") })
        #expect(row.contains("0.833") && row.contains("0.583"))
        let below = try #require(lines.firstIndex(of: row)).advanced(by: 1)
        #expect(lines[below].contains(".490–.943"))
        let counts = try #require(lines.first { $0.hasPrefix("   relevance") && $0.hasSuffix("5   1   1   3") })
        #expect(!counts.isEmpty)
        #expect(text.contains("task interest — rubric v1 — 0 samples"))
        #expect(text.contains("no human labels yet"))
    }
}
