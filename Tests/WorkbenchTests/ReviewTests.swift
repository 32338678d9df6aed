import Testing
import Foundation
import Domain
import Store
import TerminalKit
@testable import Workbench

/// A task where two annotators labelled relevance on four samples (judge: relevance yes):
/// 1 both yes (unanimous with the judge), 2 yes vs weak (a tie), 3 both weak (against the
/// judge), 4 alice alone says yes.
@MainActor
final class ReviewFixture {
    let t: TestSession
    let judge: JudgeShown

    init(settle: Bool = true) throws {
        t = try TestSession(count: 5, share: 0, outputs: [2: (tag: "宝宝辅食机蒸煮搅拌一体", reason: "近期搜索辅食食谱并收藏婴儿餐椅")])
        judge = try t.judgeAll()
        let votes: [(Int, String, String)] = [(1, "alice", "yes"), (1, "bob", "yes"), (2, "alice", "yes"), (2, "bob", "weak_relevance"),
                                              (3, "alice", "weak_relevance"), (3, "bob", "weak_relevance"), (4, "alice", "yes")]
        for (n, who, label) in votes {
            try t.store.record(DecisionInput(samplePK: try t.pk(n), dimension: "relevance", annotator: who, label: label,
                                             action: .label, rubricVersion: t.rubric.version))
        }
        try t.store.comment(samplePK: try t.pk(2), dimension: "relevance", annotator: "bob", text: "辅食机和亲子育儿关系不大")
        self.settle = settle
    }

    let settle: Bool

    var setup: ReviewSetup {
        ReviewSetup(session: "wbtest", task: "tag", lead: "lena", rubric: t.rubric, judges: [judge], settleUnanimous: settle)
    }

    /// The screen's data as the CLI makes it, with a simple reference rule (an adjudication,
    /// else a label every annotator gave) standing in for the stats' consensus.
    func data(_ versionID: Int64?) throws -> ReviewData {
        let items = try t.store.reviewItems(task: "tag", judgeVersionID: versionID).map { r in
            var reference: [String: String] = [:]
            for (d, votes) in r.labels where Set(votes.values).count == 1 { reference[d] = votes.values.first }
            for (d, a) in r.adjudications { reference[d] = a.label }
            return ReviewItem(review: r, reference: reference)
        }
        let rows = t.rubric.dimensions.map { FigureRow(dimension: $0.key, items: 4, passRate: 0.5, humanPercent: 0.5, humanKappa: 0.2,
                                                      ac1: 0.35, judge: JudgeFigures(compared: 3, accuracy: 0.67, precision: 0.5,
                                                                                     recall: 1, f1: 0.67, kappa: 0.4)) }
            + [FigureRow(dimension: "all", isAll: true, items: 4)]
        let versions = ["relevance": [TrendPoint(key: "0a1b2c3d4e5f6071", detail: "rules", compared: 3, accuracy: 0.6, kappa: 0.3),
                                      TrendPoint(key: judge.version, detail: "rules", compared: 3, accuracy: 0.67, kappa: 0.4)]]
        let weeks = ["relevance": [TrendPoint(key: "2025-W24", detail: "2025-06-09", compared: 2, accuracy: 0.5, kappa: nil),
                                   TrendPoint(key: "2025-W25", detail: "2025-06-16", compared: 3, accuracy: 0.9, kappa: 0.85)]]
        return ReviewData(figures: ReviewFigures(rows: rows, byVersion: versions, byWeek: weeks), items: items)
    }

    func runtime() -> ReviewRuntime {
        let r = ReviewRuntime(setup: setup, store: t.store) { [self] id in try self.data(id) }
        r.start(width: 80, height: 24)
        return r
    }

    func lead() throws -> [StoredDecision] { try t.decisions(of: "lena") }
}

extension ReviewRuntime {
    func press(_ names: String...) {
        for n in names { send(.key((try? Key(name: n)) ?? .char("?"))) }
    }
    func type(_ text: String) { for c in text { send(.key(.char(c))) } }
    var frame: String { render(state, width: 80, height: 24).text }
}

@Suite("review: store queries and the rules of conflicts")
@MainActor
struct ReviewRulesTests {
    init() { enableUTF8Locale() }

    @Test func reviewItemsHoldEveryAnnotatorTheJudgeAndTheStandingAdjudication() throws {
        let f = try ReviewFixture()
        let pk2 = try f.t.pk(2)
        try f.t.store.adjudicate([DecisionInput(samplePK: pk2, dimension: "relevance", annotator: "lena", role: .lead,
                                                label: "weak_relevance", action: .adjudicate, comment: "辅食机不是防晒", rubricVersion: 1)])
        let items = try f.t.store.reviewItems(task: "tag", judgeVersionID: f.judge.id)
        #expect(items.map(\.sampleID) == ["u1029-tag-01", "u1029-tag-02", "u1029-tag-03", "u1029-tag-04"])
        let two = try #require(items.first { $0.samplePK == pk2 })
        #expect(two.labels["relevance"] == ["alice": "yes", "bob": "weak_relevance"])   // the lead is no vote
        #expect(two.adjudications["relevance"] == StandingAdjudication(lead: "lena", label: "weak_relevance", reason: "辅食机不是防晒"))
        #expect(two.verdicts["relevance"]?.label == "yes")
        // A withdrawn adjudication leaves none; an annotator's withdrawn label leaves no vote.
        try f.t.store.adjudicate([DecisionInput(samplePK: pk2, dimension: "relevance", annotator: "lena", role: .lead,
                                                label: nil, action: .undo, comment: "undo", rubricVersion: 1)])
        try f.t.store.record(DecisionInput(samplePK: pk2, dimension: "relevance", annotator: "bob", label: nil, action: .undo, rubricVersion: 1))
        let again = try #require(try f.t.store.sampleForReview(pk: pk2, judgeVersionID: f.judge.id))
        #expect(again.review.adjudications.isEmpty)
        #expect(again.review.labels["relevance"] == ["alice": "yes"])
        #expect(again.comments == [ReviewComment(annotator: "bob", dimension: "relevance", text: "辅食机和亲子育儿关系不大")])
    }

    @Test func anAdjudicationMustBeALeadDecision() throws {
        let f = try ReviewFixture()
        #expect(throws: AdjudicationError.self) {
            try f.t.store.adjudicate([DecisionInput(samplePK: try f.t.pk(1), dimension: "relevance", annotator: "lena",
                                                    label: "yes", action: .adjudicate, rubricVersion: 1)])
        }
        #expect(try f.lead().isEmpty)
    }

    @Test func unanimousSamplesSettleThemselvesUnlessSettlingIsOff() throws {
        let f = try ReviewFixture()
        let items = try f.data(f.judge.id).items
        let dims = f.t.rubric.dimensions.map(\.key)
        let pks = try (1...4).map { try f.t.pk($0) }
        #expect(items.first { $0.samplePK == pks[0] }?.status("relevance") == .unanimous)
        #expect(items.first { $0.samplePK == pks[3] }?.status("relevance") == .open)
        #expect(ReviewRules.conflicts(items, dimension: "relevance", dimensions: dims, settle: true).samplePKs == [pks[1], pks[2]])
        #expect(ReviewRules.conflicts(items, dimension: "relevance", dimensions: dims, settle: false).samplePKs == [pks[0], pks[1], pks[2]])
        // Behind the heat map's yes × yes cell: sample 1 (settled, hidden) and sample 4.
        let map = ReviewRules.heatMap(items, dimension: "relevance", rubric: f.t.rubric)
        #expect(map.rows == ["yes", "weak_relevance", "—"])
        #expect(map.counts == [[2, 0, 0], [1, 0, 0], [1, 0, 0]])
        let settled = ReviewRules.cell(map, row: 0, column: 0, items: items, dimension: "relevance", dimensions: dims, settle: true)
        #expect(settled.samplePKs == [pks[3]])
        #expect(settled.settledHidden == 1)
        let all = ReviewRules.cell(map, row: 0, column: 0, items: items, dimension: "relevance", dimensions: dims, settle: false)
        #expect(all.samplePKs == [pks[0], pks[3]])
        #expect(all.settledHidden == 0)
    }

    @Test func strengthThresholdsAreTheDocumentedOnes() {
        #expect(Strength.of(coefficient: 0.39) == .weak)
        #expect(Strength.of(coefficient: 0.4) == .moderate)
        #expect(Strength.of(coefficient: 0.79) == .substantial)
        #expect(Strength.of(coefficient: 0.8) == .strong)
        #expect(Strength.of(proportion: 0.69) == .weak)
        #expect(Strength.of(proportion: 0.9) == .strong)
        #expect(format2(0.666) == "0.67")
        #expect(format2(-0.05) == "-0.05")
        #expect(format2(1) == "1.00")
    }
}

@Suite("review screen: keys, adjudication, rendering")
@MainActor
struct ReviewScreenTests {
    init() { enableUTF8Locale() }

    @Test func navigatingToAConflictAndAdjudicatingWritesALeadDecisionWithTheReason() throws {
        let f = try ReviewFixture()
        let r = f.runtime()
        #expect(r.state.view == .table)
        r.press("c")                                      // conflicts of relevance
        #expect(r.state.view == .queue)
        #expect(r.state.queue?.samplePKs == [try f.t.pk(2), try f.t.pk(3)])
        r.press("enter")
        #expect(r.state.view == .adjudicate)
        #expect(r.state.current?.stored.sample.id == "u1029-tag-02")
        #expect(r.state.focusedDimension?.key == "relevance")
        r.press("2")
        guard case .reason = r.state.mode else { Issue.record("no reason field after a label key"); return }
        r.press("enter")                                  // an empty reason is refused
        #expect(r.state.notice?.isError == true)
        #expect(try f.lead().isEmpty)
        r.type("辅食机x")
        r.press("backspace")
        r.type("与防晒无关")
        r.press("enter")
        let written = try f.lead()
        #expect(written.count == 1)
        let d = try #require(written.first)
        #expect(d.role == .lead && d.action == .adjudicate)
        #expect(d.label == "weak_relevance" && d.dimension == "relevance")
        #expect(d.comment == "辅食机与防晒无关")
        #expect(d.judgeLabel == "yes" && d.judgeVersionID == f.judge.id)
        #expect(r.state.savedCount == 1)
        #expect(r.frame.contains("1 saved ✓"))
        #expect(r.frame.contains("✓ weak_relevance"))
        // The next conflict, then back to the queue, where the sample shows as adjudicated.
        r.press("n")
        #expect(r.state.current?.stored.sample.id == "u1029-tag-03")
        r.press("esc")
        #expect(r.state.view == .queue)
        #expect(r.frame.contains("✓ relevance"))
    }

    @Test func escapeDiscardsAndUndoWithdrawsOnlyByAppending() throws {
        let f = try ReviewFixture()
        let r = f.runtime()
        r.press("c", "enter", "1")
        r.type("不写")
        r.press("esc")
        #expect(r.state.mode == .browse)
        #expect(try f.lead().isEmpty)
        r.press("a")                                      // the judge's label, with a reason
        r.type("judge is right")
        r.press("enter")
        #expect(try f.lead().map(\.label) == ["yes"])
        r.press("u")
        let log = try f.lead()
        #expect(log.map(\.action) == [.adjudicate, .undo])
        #expect(log.last?.label == nil)
        #expect(try f.t.store.reviewItems(task: "tag", judgeVersionID: nil).allSatisfy { $0.adjudications.isEmpty })
        #expect(r.state.current?.review.adjudications.isEmpty == true)
        r.press("u")
        #expect(r.state.notice?.text == "nothing to undo in this session")
    }

    @Test func theHeatMapCellOpensTheSamplesBehindIt() throws {
        let f = try ReviewFixture()
        let r = f.runtime()
        r.press("enter")                                  // relevance's heat map
        #expect(r.state.view == .heatMap)
        // It opens on the busiest disagreement: reference weak × judge yes (sample 3).
        #expect(r.state.cellRow == 1 && r.state.cellColumn == 0)
        #expect(r.frame.contains("reference weak_relevance × judge yes: 1 sample(s)"))
        r.press("s")                                      // the cell's samples as a list
        #expect(r.state.view == .queue)
        #expect(r.state.queue?.samplePKs == [try f.t.pk(3)])
        r.press("esc", "k", "s")                          // yes × yes: sample 1 settled, sample 4 listed
        #expect(r.state.queue?.samplePKs == [try f.t.pk(4)])
        #expect(r.state.queue?.settledHidden == 1)
        r.press("esc", "esc")
        #expect(r.state.view == .table)
        r.press("s")                                      // not a heat map: nothing listed
        #expect(r.state.view == .table && r.state.notice?.text.contains("open a row's heat map first") == true)
        r.press("j", "j", "j", "j")
        #expect(r.state.focusedRowDimension == nil)       // "all pass"
        r.press("c")
        #expect(r.state.queue?.samplePKs == [try f.t.pk(2), try f.t.pk(3)])
    }

    @Test func withSettlingOffUnanimousSamplesAreQueued() throws {
        let f = try ReviewFixture(settle: false)
        let r = f.runtime()
        r.press("c")
        #expect(r.state.queue?.samplePKs == [try f.t.pk(1), try f.t.pk(2), try f.t.pk(3)])
        #expect(r.frame.contains("unanimous reviewed"))
    }

    @Test func rendersFitEverySizeAndShowChineseText() throws {
        let f = try ReviewFixture()
        let r = f.runtime()
        func check(_ name: String) {
            for (w, h) in [(80, 24), (160, 48)] {
                let g = render(r.state, width: w, height: h)
                for y in 0..<h { #expect(displayWidth(g.rowText(y)) <= w, "\(name) \(w)x\(h) row \(y)") }
            }
        }
        check("table")
        let table = r.frame
        #expect(table.contains("▶ relevance"))
        #expect(table.contains("all pass"))
        #expect(table.contains("0.20!"))                 // weak human κ, marked without colour
        #expect(table.contains("judge per version"))
        r.press("w")
        #expect(r.frame.contains("2025-W25"))
        r.press("enter")
        check("heat map")
        #expect(r.frame.contains("reference (rows) × judge rules"))
        r.press("esc", "c", "enter")
        check("adjudicate")
        let big = render(r.state, width: 160, height: 48).text
        #expect(big.contains("宝宝辅食机蒸煮搅拌一体"))
        #expect(big.contains("辅食机和亲子育儿关系不大"))
        #expect(big.contains("rules: the tag's interest"))
        let small = r.frame
        #expect(small.contains("alice") && small.contains("bob") && small.contains("judge"))
        #expect(small.contains("≠ choose"))
        r.press("?")
        check("help")
        #expect(r.frame.contains("accept-judge"))
        #expect(render(r.state, width: 60, height: 20).text.contains("terminal too small"))
    }

    @Test func everyDefaultKeyNameParsesAndNoKeyIsBoundTwice() {
        var seen = Set<Key>()
        for e in ReviewKeymap.table {
            #expect(!e.keys.isEmpty, "\(e.request.rawValue) has no key")
            for k in e.keys { #expect(seen.insert(k).inserted, "\(k.name) is bound twice") }
        }
        #expect(Set(ReviewKeymap.table.map(\.request)) == Set(ReviewRequest.allCases))
        // Label hotkeys (digits) stay free for the adjudication view.
        #expect(seen.allSatisfy { if case .char(let c) = $0 { !c.isNumber } else { true } })
    }
}
