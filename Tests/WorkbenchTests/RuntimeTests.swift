import Testing
import Foundation
import Domain
import Store
import TerminalKit
@testable import Workbench

@Suite("label runtime on a real store")
@MainActor
struct RuntimeTests {
    init() { enableUTF8Locale() }

    static func status(_ g: Grid) -> String { g.rowText(g.height - 1) }

    @Test func nothingIsShownAsSavedBeforeItIsInTheStore() throws {
        let t = try TestSession(count: 4, share: 0)
        try t.judgeAll()
        let runtime = LabelRuntime(setup: t.setup(), store: t.store)
        let terminal = ScriptedTerminal(keys: ["a", "<timeout>", "1", "<timeout>", "A", "<timeout>", "q"])
        var savedFrames = 0
        var savingFrames = 0
        terminal.onDraw = { grid in
            let status = Self.status(grid)
            let stored = (try? t.decisions(of: "alice").count) ?? -1
            if status.contains("saved ✓") {
                savedFrames += 1
                #expect(stored > 0, "the screen said saved with nothing in the store")
            }
            if status.contains("saving…") { savingFrames += 1 }
        }
        runtime.run(on: terminal)
        #expect(savingFrames >= 3)
        #expect(savedFrames >= 3)
        let log = try t.decisions(of: "alice")
        #expect(log.map(\.action) == [.accept, .override, .accept, .accept])
        #expect(log.map(\.dimension) == ["relevance", "consistency", "specificity", "validity"])
        #expect(log.map(\.judgeLabel) == ["yes", "low_consistency", "yes", "yes"])
        #expect(log.allSatisfy { $0.judgeVersionID == t.judge?.id && $0.role == .annotator })
        let s1 = try t.pk(1)
        #expect(try t.store.holders(samplePK: s1).first?.done == true)
        #expect(runtime.state.currentPK == (try t.pk(2)))
        #expect(runtime.state.quitting)
    }

    @Test func reopeningAfterACrashFindsEveryDecisionAndResumes() throws {
        let t = try TestSession(count: 4, share: 0)
        try t.judgeAll()
        do {
            let first = LabelRuntime(setup: t.setup(), store: t.store)
            // The terminal vanishes after two keys: no quit, no cleanup.
            first.run(on: ScriptedTerminal(keys: ["A", "<timeout>", "2"]))
        }
        let reopened = try Store(path: t.config.storePath)
        let second = LabelRuntime(setup: t.setup(), store: reopened)
        let terminal = ScriptedTerminal(keys: [])
        second.run(on: terminal)
        let (s1, s2) = (try t.pk(1), try t.pk(2))
        #expect(second.state.claimed.prefix(2) == [s1, s2])
        #expect(second.state.done == [s1])
        #expect(second.state.currentPK == s2)
        #expect(second.state.current?.labels == ["relevance": "weak_relevance"])
        let screen = terminal.lastFrame
        #expect(screen.contains("≠ ✗ weak_relevance"), "\(screen)")
        #expect(screen.contains("u1029-tag-02"))
    }

    @Test func aPasteIsDrawnOnceAndTheCommentIsStored() throws {
        let t = try TestSession(count: 2, share: 0)
        try t.judgeAll()
        let runtime = LabelRuntime(setup: t.setup(), store: t.store)
        var keys = ["c"] + "标签太宽泛，建议加修饰词".map { String($0) }
        keys += ["enter", "<timeout>", "q"]
        let terminal = ScriptedTerminal(keys: keys)
        runtime.run(on: terminal)
        #expect(terminal.frames.count <= 4, "\(terminal.frames.count) frames for one paste")
        let comments = try t.store.comments(samplePK: try t.pk(1))
        #expect(comments.map(\.text) == ["标签太宽泛，建议加修饰词"])
        #expect(comments.first?.dimension == "relevance")
        #expect(comments.first?.annotator == "alice")
    }

    @Test func resizingRedrawsAndATinyTerminalSaysSo() throws {
        let t = try TestSession(count: 2, share: 0)
        try t.judgeAll()
        let runtime = LabelRuntime(setup: t.setup(), store: t.store)
        let terminal = ScriptedTerminal(events: [.key(.resize(width: 60, height: 20)), .timeout,
                                                 .key(.resize(width: 160, height: 48)), .timeout])
        var sizes: [String] = []
        terminal.onDraw = { sizes.append("\($0.width)x\($0.height)") }
        runtime.run(on: terminal)
        #expect(sizes == ["80x24", "60x20", "160x48"])
        #expect(terminal.frames[1].text.contains("terminal too small"))
        #expect(terminal.frames[2].text.contains("u1029-tag-01"))
        #expect(runtime.state.viewport == Viewport(width: 160, height: 48))
    }

    @Test func escapeSequencesInDataAreShownNeverSent() throws {
        let evil = "\u{1B}]0;pwned\u{07}危险\u{1B}[2J\u{9B}31m"
        let t = try TestSession(count: 1, share: 0, outputs: [1: (tag: evil, reason: "\u{1B}[1;1H\u{1B}[Kreason")])
        try t.judgeAll()
        let runtime = LabelRuntime(setup: t.setup(), store: t.store)
        let terminal = ScriptedTerminal(width: 160, height: 48, keys: ["z"])
        runtime.run(on: terminal)
        for g in terminal.frames {
            for y in 0..<g.height {
                for cell in g.row(y) {
                    if let s = cell.scalar { #expect(!Sanitizer.isControl(s)) }
                    for m in cell.marks { #expect(!Sanitizer.isControl(m)) }
                }
            }
        }
        let first = terminal.frames[0].text
        #expect(first.contains("␛]0;pwned␇危险␛[2J␛[31m"))
        #expect(first.contains("␛[1;1H␛[Kreason"))
        #expect(terminal.frames.last?.text.contains("␛]0;pwned␇") == true)
    }

    @Test func twoAnnotatorsAtOnceNeverSeeEachOther() throws {
        let t = try TestSession(count: 3, overlap: 2, share: 1)
        try t.judgeAll()
        let alice = LabelRuntime(setup: t.setup(annotator: "alice"), store: t.store)
        let bob = LabelRuntime(setup: t.setup(annotator: "bob"), store: try Store(path: t.config.storePath))
        alice.start(width: 80, height: 24)
        bob.start(width: 80, height: 24)
        #expect(alice.state.claimed == bob.state.claimed)     // overlap 2 on every sample
        alice.send(.key(.char("2")))                          // relevance: weak_relevance
        alice.send(.key(.char("A")))
        bob.send(.key(.ctrl("l")))                             // nothing: bob's view is his own
        #expect(bob.state.current?.labels.isEmpty == true)
        let bobScreen = bob.frame(width: 80, height: 24).text
        #expect(!bobScreen.contains("weak_relevance · weakly relevant\n"))
        #expect(!bobScreen.contains("≠"))
        bob.send(.key(.char("A")))
        let log = try t.decisions(of: "bob")
        #expect(log.count == 4)
        #expect(log.allSatisfy { $0.action == .accept })
        #expect(try t.decisions(of: "alice").count == 4)
    }

    @Test func blindAnswersAreRecordedAsLabelsWithoutTheJudge() throws {
        let t = try TestSession(count: 2, share: 0)
        try t.judgeAll()
        let runtime = LabelRuntime(setup: t.setup(blind: true), store: t.store)
        runtime.start(width: 80, height: 24)
        #expect(runtime.frame(width: 80, height: 24).text.contains("hidden until you answer"))
        for k in ["1", "1", "2"] { runtime.send(.key(.char(Character(k)))) }
        #expect(runtime.frame(width: 80, height: 24).text.contains("hidden until you answer"))
        runtime.send(.key(.char("1")))
        let screen = runtime.frame(width: 80, height: 24).text
        #expect(!screen.contains("hidden until you answer"))
        #expect(screen.contains("✗ low_consistency"))
        let log = try t.decisions(of: "alice")
        #expect(log.count == 4)
        #expect(log.allSatisfy { $0.action == .label && $0.judgeLabel == nil && $0.judgeVersionID == nil })
    }

    @Test func undoAndRedoAcrossSamplesOnlyAppend() throws {
        let t = try TestSession(count: 3, share: 0)
        try t.judgeAll()
        let runtime = LabelRuntime(setup: t.setup(), store: t.store)
        runtime.start(width: 80, height: 24)
        let (s1, s2) = (try t.pk(1), try t.pk(2))
        for k: Character in ["A", "a", "u", "u"] { runtime.send(.key(.char(k))) }
        #expect(runtime.state.currentPK == s1)
        #expect(try t.store.currentLabels(samplePK: s1, annotator: "alice").isEmpty)
        #expect(try t.store.currentLabels(samplePK: s2, annotator: "alice").isEmpty)
        #expect(try t.store.holders(samplePK: s1).first?.done == false)
        runtime.send(.key(.char("r")))
        #expect(try t.store.currentLabels(samplePK: s1, annotator: "alice").count == 4)
        #expect(try t.store.holders(samplePK: s1).first?.done == true)
        let actions = try t.decisions(of: "alice").map(\.action)
        #expect(actions == [.accept, .accept, .accept, .accept, .accept, .undo, .undo, .undo, .undo, .undo,
                            .redo, .redo, .redo, .redo])
    }

    @Test func filtersAndSearchGoThroughTheStore() throws {
        let t = try TestSession(count: 4, share: 0, outputs: [3: (tag: "轻量防水登山鞋", reason: "收藏登山杖")])
        try t.judgeAll(failing: [4: "validity"])
        let runtime = LabelRuntime(setup: t.setup(), store: t.store)
        runtime.start(width: 80, height: 24)
        let (s2, s3, s4) = (try t.pk(2), try t.pk(3), try t.pk(4))
        runtime.send(.key(.char("A")))                       // finish sample 1
        for k: Character in ["f", "u"] { runtime.send(.key(.char(k))) }
        #expect(runtime.state.visible == [s2, s3, s4])
        #expect(runtime.state.currentPK == s2)
        runtime.send(.key(.char("u")))
        runtime.send(.key(.char("x")))
        #expect(runtime.state.visible == [s4])
        #expect(runtime.state.currentPK == s4)
        runtime.send(.key(.escape))
        #expect(runtime.frame(width: 80, height: 24).rowText(0).contains("filter: judge failed"))
        runtime.send(.key(.char("f")))
        runtime.send(.key(.char("a")))
        runtime.send(.key(.escape))
        #expect(runtime.state.visible.count == 4)
        runtime.send(.key(.char("/")))
        for c in "登山" { runtime.send(.key(.char(c))) }
        runtime.send(.key(.enter))
        #expect(runtime.state.currentPK == s3)
        #expect(runtime.state.notice?.text == "found “登山”")
        let g = runtime.frame(width: 80, height: 24)
        let highlighted = g.styledRows.flatMap { $0 }.filter { $0.style == Theme.match }.map(\.text)
        #expect(highlighted.contains("登山"))
    }
}
