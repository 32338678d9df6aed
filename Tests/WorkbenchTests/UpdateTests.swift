import Testing
import Domain
import Store
import TerminalKit
@testable import Workbench

@Suite("label screen: update over key sequences")
struct UpdateTests {
    init() { enableUTF8Locale() }

    @Test func openingShowsTheFirstUnfinishedSampleAndFocusesTheFirstDimension() {
        let d = Driver.opened()
        #expect(d.state.claimed == [1, 2, 3])
        #expect(d.state.currentPK == 1)
        #expect(d.state.current?.stored.sample.id == "u1029-tag-01")
        #expect(d.state.focus == 0)
        #expect(d.effects.contains(.prefetch([2])))
    }

    @Test func acceptTakesTheJudgesLabelOnTheFocusedDimensionAndMovesFocusOn() {
        var d = Driver.opened()
        d.press("a")
        #expect(d.log.count == 1)
        #expect(d.log[0].dimension == "relevance")
        #expect(d.log[0].label == "yes")
        #expect(d.log[0].action == .accept)
        #expect(d.log[0].judgeLabel == "yes")
        #expect(d.log[0].judgeVersionID == Fixtures.judge.id)
        #expect(d.log[0].annotator == "alice")
        #expect(d.log[0].rubricVersion == Fixtures.tag.version)
        #expect(d.state.current?.labels["relevance"] == "yes")
        #expect(d.state.focus == 1)
        #expect(d.state.savedCount == 1 && d.state.pending.isEmpty)
    }

    @Test func theScreenSaysSavingUntilTheStoreConfirms() {
        var s = Driver.opened().state
        let (next, effects) = update(s, .key(.char("a")))
        s = next
        #expect(s.isSaving)
        #expect(s.savedCount == 0)
        guard case .record(let request, let pk, _)? = effects.first else {
            Issue.record("accept must ask for a write, got \(effects)")
            return
        }
        s = update(s, .recorded(request: request, samplePK: pk, done: false)).0
        #expect(!s.isSaving)
        #expect(s.savedCount == 1)
    }

    @Test func aHotkeyOverridesAndTheJudgesOwnLabelCountsAsAccepting() {
        var d = Driver.opened()
        d.press("2")                         // relevance: weak_relevance, the judge said yes
        d.press("2")                         // consistency: low_consistency, as the judge said
        #expect(d.log.map(\.action) == [.override, .accept])
        #expect(d.log.map(\.label) == ["weak_relevance", "low_consistency"])
        #expect(d.log[0].judgeLabel == "yes")
        #expect(d.state.focus == 2)
    }

    @Test func acceptAllFillsOnlyUnansweredDimensionsThenMovesOn() {
        var d = Driver.opened()
        d.press("2")                         // override relevance first
        d.press("A")
        #expect(d.labels(1) == ["relevance": "weak_relevance", "consistency": "low_consistency", "specificity": "yes", "validity": "yes"])
        #expect(d.log.count == 4)
        #expect(d.state.currentPK == 2)
        #expect(d.state.done.contains(1))
    }

    @Test func acceptAllStopsOnAFailedVerdictAndFocusesIt() {
        var verdicts = Fixtures.verdicts
        verdicts["specificity"] = ShownVerdict(label: nil, failure: "label 'maybe' is not in the rubric")
        var d = Driver(samples: [Fixtures.loaded(1, verdicts: verdicts), Fixtures.loaded(2)])
        d.resolve(.openQueue)
        d.press("A")
        #expect(d.labels(1).keys.sorted() == ["consistency", "relevance", "validity"])
        #expect(d.state.currentPK == 1)
        #expect(d.state.focus == 2)
        #expect(d.state.notice?.isError == true)
        d.press("a")                         // accepting a failed verdict is refused
        #expect(d.log.count == 3)
        d.press("1")
        #expect(d.log.last?.action == .label)     // no usable verdict was shown
        #expect(d.state.done.contains(1))
    }

    @Test func undoAndRedoAppendToTheLogAndRestoreTheScreen() {
        var d = Driver.opened()
        d.press("a", "2")                    // relevance yes, consistency low
        d.press("u")
        #expect(d.log.last?.action == .undo)
        #expect(d.log.last?.dimension == "consistency")
        #expect(d.log.last?.label == nil)
        #expect(d.state.current?.labels["consistency"] == nil)
        d.press("u")
        #expect(d.log.last?.label == nil && d.log.last?.dimension == "relevance")
        d.press("u")
        #expect(d.state.notice?.text == "nothing to undo in this session")
        d.press("r")
        #expect(d.log.last?.action == .redo)
        #expect(d.log.last?.label == "yes")
        #expect(d.state.current?.labels == ["relevance": "yes"])
        #expect(d.log.count == 5)
    }

    @Test func undoReachesBackAcrossSamples() {
        var d = Driver.opened()
        d.press("A")                         // sample 1 done, now on 2
        #expect(d.state.currentPK == 2)
        d.press("u")
        #expect(d.state.currentPK == 1)
        #expect(d.state.current?.labels.isEmpty == true)
        #expect(!d.state.done.contains(1))
        let undone = d.log.suffix(4)
        #expect(undone.allSatisfy { $0.action == .undo && $0.label == nil && $0.samplePK == 1 })
        // The write comes before the read, so the screen shows the undone state.
        let lastTwo = d.effects.suffix(2).compactMap { e -> String? in
            switch e { case .record: "record"; case .load: "load"; default: nil }
        }
        #expect(lastTwo == ["record", "load"])
    }

    @Test func aNewAnswerClearsRedo() {
        var d = Driver.opened()
        d.press("a", "u")
        #expect(d.state.redoStack.count == 1)
        d.press("2")
        #expect(d.state.redoStack.isEmpty)
        d.press("r")
        #expect(d.state.notice?.text == "nothing to redo")
    }

    @Test func aFailedWriteIsNeverShownAsSaved() {
        var d = Driver.opened()
        d.failWrites = "database is locked"
        d.press("a")
        #expect(d.state.current?.labels["relevance"] == nil)
        #expect(d.state.saveError == "database is locked")
        #expect(d.state.savedCount == 0)
        #expect(d.state.undoStack.isEmpty)
        #expect(d.state.notice?.isError == true)
        let g = render(d.state, width: 80, height: 24)
        #expect(g.rowText(23).contains("NOT SAVED"))
        d.failWrites = nil
        d.press("a")
        #expect(d.state.saveError == nil)
        #expect(render(d.state, width: 80, height: 24).rowText(23).hasSuffix("1 saved ✓"))
    }

    @Test func blindHidesTheJudgeUntilEveryDimensionIsAnswered() {
        var d = Driver.opened(setup: Fixtures.setup(blind: true))
        #expect(!d.state.judgeVisible)
        d.press("a")
        #expect(d.log.isEmpty)
        #expect(d.state.notice?.text.hasPrefix("blind") == true)
        d.press("A")
        #expect(d.log.isEmpty)
        d.press("1", "1", "2")
        #expect(!d.state.judgeVisible)
        #expect(d.log.allSatisfy { $0.action == .label && $0.judgeLabel == nil && $0.judgeVersionID == nil })
        d.press("1")
        #expect(d.state.judgeVisible)
        #expect(d.log.count == 4)
    }

    @Test func blindRefusesFiltersThatWouldShowTheJudge() {
        var d = Driver.opened(setup: Fixtures.setup(blind: true))
        d.press("f", "x")
        #expect(d.state.notice?.isError == true)
        d.press("d")
        #expect(!d.effects.contains { if case .applyFilter = $0 { true } else { false } })
        d.press("u")
        #expect(d.effects.last == .applyFilter(QueueFilter(unlabelled: true)))
    }

    @Test func filterKeysAskForTheFilteredQueueAndMoveIntoIt() {
        var d = Driver.opened()
        d.press("f")
        #expect(d.state.mode == .filterMenu)
        d.press("u")
        #expect(d.effects.last == .applyFilter(QueueFilter(unlabelled: true)))
        d.press("3")
        #expect(d.effects.last == .applyFilter(QueueFilter(dimension: "specificity")))
        d.press("x")
        #expect(d.effects.last == .applyFilter(QueueFilter(judgeFailed: true)))
        d.press("d")
        #expect(d.effects.last == .applyFilter(QueueFilter(disagreement: true)))
        d.press("l")
        d.type("low_consistency")
        d.press("enter")
        #expect(d.effects.last == .applyFilter(QueueFilter(label: "low_consistency")))
        d.press("l")
        d.type("maybe")
        d.press("enter")
        #expect(d.state.notice?.text.hasPrefix("no label “maybe”") == true)
        // The store's answer: sample 1 (on screen) is filtered out, so the screen moves to 3.
        d.send(.filtered(QueueFilter(disagreement: true), [3]))
        #expect(d.state.currentPK == 3)
        #expect(d.state.visible == [3])
        d.press("esc")
        #expect(d.state.mode == .browse)
        d.press("n")
        #expect(d.state.notice?.text == "end of the filtered queue")
    }

    @Test func nextAtTheEndClaimsMoreWork() {
        var d = Driver(samples: (1...7).map { Fixtures.loaded(Int64($0)) })
        d.resolve(.openQueue)
        #expect(d.state.claimed == [1, 2, 3, 4, 5])
        d.press("n", "n", "n")
        // claimAhead is 1: on sample 4 one is left ahead, so the screen claimed ahead (idle).
        #expect(d.effects.contains(.claim(count: 5, ahead: true)))
        #expect(d.state.claimed == [1, 2, 3, 4, 5, 6, 7])
        d.press("n", "n", "n")
        #expect(d.state.currentPK == 7)
        d.press("n")
        #expect(d.state.currentPK == 7)
        #expect(d.state.notice?.text.hasPrefix("end of your queue") == true)
    }

    @Test func nextUnlabelledSkipsFinishedSamples() {
        var d = Driver.opened(count: 4)
        d.press("n", "A")                    // finish 2, now on 3
        d.press("home")
        #expect(d.state.currentPK == 1)
        d.press("space")
        #expect(d.state.currentPK == 3)
        d.press("A", "A")                    // finish 3 and 4
        d.press("space")
        #expect(d.state.currentPK == 1)      // wraps back to the first unfinished
    }

    @Test func commentsTakeWideTextAndEditing() {
        var d = Driver.opened()
        d.press("c")
        d.type("理由太笼统")
        d.press("left", "left", "backspace")
        d.type("很")
        d.press("end")
        d.type("，需要具体")
        guard case .comment(let editor) = d.state.mode else {
            Issue.record("expected the comment field")
            return
        }
        #expect(editor.text == "理由很笼统，需要具体")
        d.press("enter")
        #expect(d.effects.last == .comment(samplePK: 1, dimension: "relevance", text: "理由很笼统，需要具体"))
        #expect(d.state.current?.comments.map(\.text) == ["理由很笼统，需要具体"])
        d.press("c")
        d.type("丢弃")
        d.press("esc")
        #expect(d.state.mode == .browse)
        #expect(d.state.current?.comments.count == 1)
    }

    @Test func searchLooksAfterTheCurrentSampleFirst() {
        var d = Driver.opened()
        d.press("n", "/")
        d.type("防晒")
        d.press("enter")
        #expect(d.effects.last == .search(term: "防晒", candidates: [3, 1, 2]))
        d.send(.searched(term: "防晒", found: 3))
        #expect(d.state.currentPK == 3)
        #expect(d.state.searchTerm == "防晒")
    }

    @Test func ctrlCQuitsFromAnyMode() {
        var d = Driver.opened()
        d.press("c")
        d.type("未完")
        d.press("ctrl-c")
        #expect(d.state.quitting)
        var e = Driver.opened()
        e.press("q")
        #expect(e.state.quitting)
    }

    @Test func leasesAreRenewedOnlyWhileTheAnnotatorWorks() {
        var s = Driver.opened().state
        s.activeSinceRenewal = false
        s.lastRenewal = 1000
        #expect(update(s, .tick(now: 1000 + 3600)).1.isEmpty)
        s = update(s, .key(.char("j"))).0
        #expect(update(s, .tick(now: 1001)).1.isEmpty)
        #expect(update(s, .tick(now: 1000 + 600)).1 == [.renewLeases])
    }

    @Test func pagesOpenAndCloseAndScrollWithinTheirLength() {
        var d = Driver.opened()
        d.press("?")
        #expect(d.state.mode == .help(scroll: 0))
        d.press("pgdn", "pgdn", "pgdn", "pgdn", "pgdn", "pgdn")
        guard case .help(let s) = d.state.mode else { Issue.record("help closed"); return }
        let lines = Pages.help(d.state, width: 78).count
        #expect(s == max(0, lines - 21))
        d.press("esc", "g")
        #expect(d.state.mode == .guideline(scroll: 0))
        d.press("g", "z")
        #expect(d.state.mode == .zoom(scroll: 0))
        d.press("q")
        #expect(d.state.mode == .browse)
        #expect(!d.state.quitting)
    }

    @Test func anUnboundKeySaysSo() {
        var d = Driver.opened()
        d.press("w")
        #expect(d.state.notice?.text == "w: no such key here (? lists every key)")
        #expect(d.log.isEmpty)
    }
}
