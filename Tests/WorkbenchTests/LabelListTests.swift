import Testing
import Domain
import Store
import TerminalKit
@testable import Workbench

/// The label screen over a fixed list (what the review screen hands it): no claims, the
/// list's order and start, read-only adjudicated dimensions, esc and q go back.
@Suite("label screen over a review list")
struct LabelListTests {
    init() { enableUTF8Locale() }

    static func list(_ pks: [Int64] = [2, 3, 1], start: Int = 0, adjudicated: [Int64: Set<String>] = [:]) -> LabelSetup {
        var s = Fixtures.setup()
        s.annotator = "lena"
        s.source = .list(SampleList(title: "relevance: yes × judge weak_relevance", samplePKs: pks, start: start,
                                    adjudicated: adjudicated))
        return s
    }

    /// A driver whose queue opens as the runtime opens a list: the list as given, nothing claimed.
    static func opened(_ setup: LabelSetup, done: Set<Int64> = []) -> Driver {
        var d = Driver(setup: setup, samples: (1...3).map { Fixtures.loaded(Int64($0)) })
        d.send(.queueOpened(claimed: setup.list?.samplePKs ?? [], done: done, exhausted: true))
        return d
    }

    @Test func theListOpensAtItsStartInItsOrderAndNeverClaims() {
        var d = Self.opened(Self.list(start: 1), done: [3])
        #expect(d.state.visible == [2, 3, 1])
        #expect(d.state.currentPK == 3)                   // the start, even though it is done
        d.press("n")
        #expect(d.state.currentPK == 1)
        d.press("n")
        #expect(d.state.currentPK == 1)
        #expect(d.state.notice?.text == "last sample of this review list")
        d.press("space")                                  // the next unfinished wraps to the start
        #expect(d.state.currentPK == 2)
        #expect(!d.effects.contains { if case .claim = $0 { true } else { false } })
        #expect(!d.state.claimsJoinView)
    }

    @Test func answersAreTheLeadsOwnAnnotatorLabels() {
        var d = Self.opened(Self.list())
        d.press("2")                                      // relevance: weak_relevance, the judge said yes
        let decision = d.log.first
        #expect(decision?.annotator == "lena")
        #expect(decision?.role == .annotator)
        #expect(decision?.action == .override)
        #expect(decision?.samplePK == 2)
    }

    @Test func anAdjudicatedDimensionIsReadOnly() {
        var d = Self.opened(Self.list(adjudicated: [2: ["relevance"]]))
        d.base[2]?.labels = [:]
        d.press("1")
        #expect(d.log.isEmpty)
        #expect(d.state.notice?.isError == true)
        #expect(d.state.notice?.text.contains("you adjudicated relevance on this sample") == true)
        d.press("a")
        #expect(d.log.isEmpty)
        d.press("j", "1")                                 // consistency is free
        #expect(d.log.map(\.dimension) == ["consistency"])
        d.press("n", "k", "1")                            // sample 3: relevance is not adjudicated there
        #expect(d.log.map(\.samplePK) == [2, 3])
    }

    @Test func escAndQGoBackCtrlCInterrupts() {
        var d = Self.opened(Self.list())
        d.press("esc")
        #expect(d.state.quitting && !d.state.interrupted)
        d = Self.opened(Self.list())
        d.press("q")
        #expect(d.state.quitting && !d.state.interrupted)
        d = Self.opened(Self.list())
        d.press("ctrl-c")
        #expect(d.state.quitting && d.state.interrupted)
        // On the annotator's own queue esc stays what it was: nothing.
        var own = Driver.opened()
        own.press("esc")
        #expect(!own.state.quitting)
    }

    @Test func filtersAreRefusedAndSearchWalksTheList() {
        var d = Self.opened(Self.list())
        d.press("f")
        #expect(d.state.mode == .browse)
        #expect(d.state.notice?.text.contains("this review list stays as it is") == true)
        d.press("/")
        d.type("防晒")
        d.press("enter")
        #expect(d.effects.contains(.search(term: "防晒", candidates: [3, 1, 2])))   // from the next one, wrapping
    }

    @Test func aLapsedLeaseIsNoNewsOnAList() {
        var lapsed = Fixtures.loaded(1)
        lapsed.held = false
        var d = Driver(setup: Self.list([1]), samples: [lapsed])
        d.send(.queueOpened(claimed: [1], done: [], exhausted: true))
        #expect(d.state.current?.held == false)
        #expect(d.state.notice == nil)
        #expect(!render(d.state, width: 80, height: 24).rowText(0).contains("lease lapsed"))
    }

    @Test func theHeaderNamesTheListAndTheHintsGoBack() {
        var d = Self.opened(Self.list(adjudicated: [2: ["relevance"]]))
        d.base[2]?.labels = ["relevance": "yes"]
        d.send(.loaded(Fixtures.loaded(2, labels: ["relevance": "yes"])))
        let g = render(d.state, width: 80, height: 24)
        #expect(g.rowText(0).contains("review: relevance: yes × judge weak_relevance"))
        #expect(g.rowText(0).contains("u1029-tag-02"))
        #expect(g.rowText(22).contains("q back to review"))
        #expect(g.text.contains("final: ✓ yes · relevant"), "\(g.text)")
        d.press("?")
        let help = Pages.help(d.state, width: 78).map { $0.segments.map(\.text).joined() }.joined(separator: "\n")
        #expect(help.contains("A review list: relevance: yes × judge weak_relevance"))
        #expect(help.contains("not adjudications"))
    }
}
