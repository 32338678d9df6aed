import Testing
import Foundation
import Domain
import Store
import TerminalKit
@testable import Workbench

/// Screens of the review's new parts, for the snapshots: the table with the focused row's
/// annotators, and the label view over a review list.
@MainActor
enum ReviewScreens {
    static let people: [String: [AnnotatorRow]] = [
        "relevance": [AnnotatorRow(annotator: "alice", labels: 4, consensusAgreement: 0.75, consensusKappa: 0.5,
                                   judgeAgreement: 0.75, judgeKappa: 0.33, secondsPerItem: 12.4),
                      AnnotatorRow(annotator: "bob", labels: 3, consensusAgreement: 1, consensusKappa: nil,
                                   judgeAgreement: 0.33, judgeKappa: -0.2, secondsPerItem: 190),
                      AnnotatorRow(annotator: "lena", labels: 1)],
        "all": [AnnotatorRow(annotator: "alice", labels: 4, consensusAgreement: 0.5, consensusKappa: 0.1, secondsPerItem: 12.4)],
    ]

    static func table(_ f: ReviewFixture, annotators: [String: [AnnotatorRow]] = people) throws -> ReviewState {
        var s = ReviewState(setup: f.setup)
        var data = try f.data(f.judge.id)
        data.figures.annotators = annotators
        (s, _) = update(s, .loaded(data))
        return s
    }

    static func labelList(_ f: ReviewFixture) throws -> LabelState {
        let r = f.runtime()
        r.press("c", "o")
        let label = try ReviewLabelViewTests.child(r)
        label.start(width: 80, height: 24)
        label.send(.key(.char("2")))
        return label.state
    }

    static func all(_ f: ReviewFixture) throws -> [(String, Grid)] {
        let table = try table(f)
        let list = try labelList(f)
        return [("review-annotators@80x24", render(table, width: 80, height: 24)),
                ("review-annotators@160x48", render(table, width: 160, height: 48)),
                ("label-review-list@80x24", render(list, width: 80, height: 24))]
    }
}

@Suite("review: each annotator under the focused row")
@MainActor
struct ReviewAnnotatorTests {
    init() { enableUTF8Locale() }

    @Test func theFocusedRowListsItsAnnotatorsInTheTablesColumns() throws {
        let f = try ReviewFixture()
        var s = try ReviewScreens.table(f)
        let text = render(s, width: 80, height: 24).text
        let lines = text.split(separator: "\n").map(String.init)
        let at = try #require(lines.firstIndex { $0.contains("▶ relevance") })
        #expect(lines[at + 1].hasPrefix("    alice"))
        #expect(lines[at + 1].contains("0.75") && lines[at + 1].contains("0.50") && lines[at + 1].contains("0.33!"))
        #expect(lines[at + 1].hasSuffix("12s"))
        #expect(lines[at + 2].hasPrefix("    bob") && lines[at + 2].contains("-0.20!") && lines[at + 2].hasSuffix("3m"))
        #expect(lines[at + 3].hasPrefix("    lena") && lines[at + 3].hasSuffix("—"))
        #expect(lines[at + 4].contains("consistency"))
        #expect(text.contains("per annotator: %agr κ vs others' consensus · ACC κ vs judge · median s/item"))
        // Another row: its own annotators, relevance's fold away.
        (s, _) = update(s, .key(.char("j")))
        #expect(!render(s, width: 80, height: 24).text.contains("    bob"))
        for _ in 0..<3 { (s, _) = update(s, .key(.char("j"))) }
        let all = render(s, width: 80, height: 24).text
        #expect(all.contains("    alice") && all.contains("0.10!"))
        // Without a judge the judge columns stay empty.
        var noJudge = s
        noJudge.judgeIndex = nil
        (noJudge, _) = update(noJudge, .key(.char("k")))
        for _ in 0..<3 { (noJudge, _) = update(noJudge, .key(.char("k"))) }
        let row = render(noJudge, width: 80, height: 24).text.split(separator: "\n").first { $0.hasPrefix("    alice") } ?? ""
        #expect(!row.contains("0.33"), "\(row)")
    }

    @Test func moreAnnotatorsThanFitAreCounted() throws {
        let f = try ReviewFixture()
        let many = (1...20).map { AnnotatorRow(annotator: "annotator\($0)", labels: $0) }
        let s = try ReviewScreens.table(f, annotators: ["relevance": many])
        let g = render(s, width: 80, height: 24)
        let text = g.text
        #expect(text.contains("more annotators (a taller terminal shows them)"))
        #expect(text.contains("judge per version"))          // the chart keeps its room
        for y in 0..<24 { #expect(displayWidth(g.rowText(y)) <= 80) }
        let tall = render(s, width: 160, height: 60).text
        #expect(tall.contains("annotator20") && !tall.contains("more annotators"))
    }

    @Test func durationsFitANarrowColumn() {
        #expect(durationText(12.4) == "12s")
        #expect(durationText(99.4) == "99s")
        #expect(durationText(190) == "3m")
        #expect(durationText(7200) == "2h")
        #expect(durationText(.nan) == "—")
    }

    @Test func snapshots() throws {
        let f = try ReviewFixture()
        var failures: [String] = []
        for (key, grid) in try ReviewScreens.all(f) {
            let text = grid.text
            if let dir = ProcessInfo.processInfo.environment["RECJUDGE_WRITE_SNAPSHOTS"] {
                try text.write(toFile: "\(dir)/\(key).txt", atomically: true, encoding: .utf8)
                continue
            }
            guard let expected = ReviewSnapshots.screens[key] else { failures.append("no snapshot \(key)"); continue }
            if text != expected { failures.append("\(key) differs:\n\(text)") }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
    }
}
