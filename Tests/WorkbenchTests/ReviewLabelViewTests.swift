import Testing
import Foundation
import Domain
import Store
import TerminalKit
@testable import Workbench

/// The review screen hands a cell's or a list's samples to the label view and takes the
/// terminal back: on a real store, driven by hand and through the screen runner.
@Suite("review → label view → review")
@MainActor
struct ReviewLabelViewTests {
    init() { enableUTF8Locale() }

    /// The label view the review asked for (and the runner would run).
    static func child(_ r: ReviewRuntime) throws -> LabelRuntime {
        let requests = r.takeRequests()
        return try #require(requests.child as? LabelRuntime, "no label view was asked for")
    }

    @Test func aHeatMapCellOpensAsTheLeadAndTheFiguresFollowTheirLabel() throws {
        let f = try ReviewFixture()
        let r = f.runtime()
        let pk3 = try f.t.pk(3)
        r.press("enter")                                  // relevance: weak_relevance × yes, sample 3
        #expect(r.state.heatMap?.counts[1][0] == 1)
        r.press("enter")                                  // enter on a cell: the label view, as `o`
        #expect(try Self.child(r).state.setup.list?.samplePKs == [pk3])
        r.press("o")
        let label = try Self.child(r)
        #expect(r.takeRequests().child == nil)            // asked for once
        let setup = label.state.setup
        #expect(setup.annotator == "lena" && setup.judge == f.judge && !setup.blind)
        #expect(setup.list?.samplePKs == [pk3])
        #expect(setup.list?.title == "relevance: weak_relevance × judge yes")
        label.start(width: 80, height: 24)
        #expect(label.state.currentPK == pk3)
        #expect(label.frame(width: 80, height: 24).rowText(0).contains("review: relevance: weak_relevance × judge yes"))
        label.send(.key(.char("1")))                      // lena: relevance yes (the judge's)
        label.send(.key(.char("q")))
        #expect(label.isFinished)
        let written = try f.lead()
        #expect(written.map(\.role) == [.annotator])
        #expect(written.map(\.label) == ["yes"])
        #expect(written.first?.samplePK == pk3 && written.first?.action == .accept)
        #expect(try f.t.store.holders(samplePK: pk3).map(\.annotator).contains("lena"))
        r.childFinished(label)
        // Sample 3 is now weak, weak, yes: no unanimous reference any more, out of the cell.
        #expect(r.state.view == .heatMap)
        #expect(r.state.heatMap?.counts[1][0] == 0)
        #expect(r.state.item(pk3)?.review.labels["relevance"]?["lena"] == "yes")
        #expect(r.state.notice?.text == "back from the label view: 1 change saved there; figures recomputed")
        #expect(r.state.labelsSaved == 1)
        #expect(r.frame.contains("reference weak_relevance × judge yes: 0 sample(s)"))
    }

    @Test func aListOpensAtTheFocusedSampleAndTheLeadsAdjudicationsStayReadOnly() throws {
        let f = try ReviewFixture()
        let (pk2, pk3) = (try f.t.pk(2), try f.t.pk(3))
        try f.t.store.adjudicate([DecisionInput(samplePK: pk2, dimension: "relevance", annotator: "lena", role: .lead,
                                                label: "weak_relevance", action: .adjudicate, comment: "辅食机", rubricVersion: 1)])
        let r = f.runtime()
        r.press("c", "j", "o")                            // the conflicts of relevance, from the second one
        let label = try Self.child(r)
        #expect(label.state.setup.list?.samplePKs == [pk2, pk3])
        #expect(label.state.setup.list?.start == 1)
        #expect(label.state.setup.list?.adjudicated == [pk2: ["relevance"]])
        label.start(width: 80, height: 24)
        #expect(label.state.currentPK == pk3)
        label.send(.key(.char("p")))
        #expect(label.state.currentPK == pk2)
        #expect(label.state.current?.labels["relevance"] == "weak_relevance")
        #expect(label.state.focusedDimension?.key == "consistency")   // the first one without an answer
        label.send(.key(.char("k")))
        label.send(.key(.char("1")))
        #expect(label.state.notice?.text.contains("you adjudicated relevance") == true)
        #expect(try f.lead().count == 1)                  // the adjudication only
        #expect(try f.t.store.sampleForReview(pk: pk2, judgeVersionID: nil)?.review.adjudications["relevance"]?.label == "weak_relevance")
        label.send(.key(.ctrl("c")))
        r.childFinished(label)
        #expect(r.state.quitting)                         // ctrl-c quits both screens
    }

    @Test func theTableHasNoCellToOpen() throws {
        let f = try ReviewFixture()
        let r = f.runtime()
        r.press("o")
        #expect(r.takeRequests().child == nil)
        #expect(r.state.notice?.text.contains("open a heat-map cell") == true)
        r.press("enter", "j", "j", "j", "l", "l")          // the empty — × — cell
        #expect(r.state.heatMap?.counts[2][2] == 0)
        r.press("o")
        #expect(r.takeRequests().child == nil)
        #expect(r.state.notice?.text == "no samples here to open")
    }

    @Test func theRunnerHandsTheTerminalOverAndTakesItBack() throws {
        let f = try ReviewFixture()
        let r = ReviewRuntime(setup: f.setup, store: f.t.store) { [f] id in try f.data(id) }
        // heat map, open the cell in the label view, answer, back, then quit the review.
        let terminal = ScriptedTerminal(keys: ["enter", "o", "<timeout>", "1", "<timeout>", "q", "<timeout>", "q"])
        var screens: [String] = []
        terminal.onDraw = { g in
            let top = g.rowText(0)
            let name = top.contains("recjudge label") ? "label" : top.contains("recjudge review") ? "review" : "?"
            if screens.last != name { screens.append(name) }
        }
        r.run(on: terminal)
        #expect(screens == ["review", "label", "review"])
        #expect(r.state.quitting)
        #expect(r.state.labelsSaved == 1)
        #expect(try f.lead().map(\.label) == ["yes"])
        let last = terminal.frames.last.map { $0.text } ?? ""
        #expect(last.contains("reference weak_relevance × judge yes: 0 sample(s)"), "\(last)")
    }

    @Test func theTerminalGoingAwayInTheLabelViewEndsTheReviewToo() throws {
        let f = try ReviewFixture()
        let r = ReviewRuntime(setup: f.setup, store: f.t.store) { [f] id in try f.data(id) }
        let outcome = ScreenRunner(terminal: ScriptedTerminal(keys: ["enter", "o", "1"])).run(r)
        #expect(outcome == .endOfInput)
        #expect(!r.state.quitting)
        #expect(try f.lead().count == 1)                  // what was shown as saved is on disk
    }

    @Test func standingAdjudicationsAreThePersonsNewestLeadDecisions() throws {
        let f = try ReviewFixture()
        let (pk1, pk2, pk3) = (try f.t.pk(1), try f.t.pk(2), try f.t.pk(3))
        func lead(_ pk: Int64, _ label: String?, by who: String = "lena") throws {
            try f.t.store.adjudicate([DecisionInput(samplePK: pk, dimension: "relevance", annotator: who, role: .lead, label: label,
                                                    action: label == nil ? .undo : .adjudicate, comment: "r", rubricVersion: 1)])
        }
        try lead(pk1, "yes")
        try lead(pk2, "yes")
        try lead(pk2, nil)                                // withdrawn
        try lead(pk3, "yes")
        try f.t.store.record(DecisionInput(samplePK: pk3, dimension: "relevance", annotator: "lena", label: "yes",
                                           action: .label, rubricVersion: 1))   // then a vote: no longer an adjudication
        try lead(try f.t.pk(4), "yes", by: "otto")
        let found = try f.t.store.standingAdjudications(by: "lena", samplePKs: [pk1, pk2, pk3, try f.t.pk(4)])
        #expect(found == [pk1: ["relevance"]])
        #expect(try f.t.store.standingAdjudications(by: "lena", samplePKs: []).isEmpty)
    }
}
