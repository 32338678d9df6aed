import Testing
import Foundation
import Domain
import Store
import TerminalKit
@testable import Workbench

/// Screen states as the annotator reaches them, for the snapshots.
enum Screens {
    static func browse(blind: Bool = false) -> LabelState {
        var d = Driver.opened(setup: Fixtures.setup(blind: blind))
        d.press("a", "1")                                 // relevance accepted, consistency overridden
        return d.state
    }

    static var all: [(String, LabelState)] {
        var out: [(String, LabelState)] = [("browse", browse())]
        var d = Driver.opened(setup: Fixtures.setup(blind: true))
        d.press("1")
        out.append(("blind", d.state))
        d = Driver.opened()
        d.press("c")
        d.type("理由太笼统，需要具体的修饰词")
        out.append(("comment", d.state))
        d = Driver.opened()
        d.press("?")
        out.append(("help", d.state))
        d = Driver.opened()
        d.press("j", "j", "g")
        out.append(("guideline", d.state))
        d = Driver.opened()
        d.press("2", "c")
        d.type("只买过帽子")
        d.press("enter", "z")
        out.append(("zoom", d.state))
        d = Driver.opened()
        d.press("f", "u")
        d.send(.filtered(QueueFilter(unlabelled: true), [1, 2, 3]))
        out.append(("filter", d.state))
        var verdicts = Fixtures.verdicts
        verdicts["specificity"] = ShownVerdict(label: nil, failure: "the reply was not JSON: 好的，我来评估")
        d = Driver(samples: [Fixtures.loaded(1, sample: Fixtures.sample(1, tag: "衣服", reason: ""), verdicts: verdicts)])
        d.resolve(.openQueue)
        d.press("A")
        out.append(("failed", d.state))
        d = Driver(samples: [])
        d.resolve(.openQueue)
        out.append(("empty", d.state))
        return out
    }
}

@Suite("label screen: render")
struct RenderTests {
    init() { enableUTF8Locale() }

    @Test(arguments: [(80, 24), (160, 48)])
    func snapshots(width: Int, height: Int) throws {
        var failures: [String] = []
        if let dir = ProcessInfo.processInfo.environment["RECJUDGE_WRITE_SNAPSHOTS"] {
            try render(Screens.browse(), width: 79, height: 24).text.write(toFile: "\(dir)/too-small@79x24.txt", atomically: true, encoding: .utf8)
        }
        for (name, state) in Screens.all {
            let key = "\(name)@\(width)x\(height)"
            let text = render(state, width: width, height: height).text
            if let dir = ProcessInfo.processInfo.environment["RECJUDGE_WRITE_SNAPSHOTS"] {
                try text.write(toFile: "\(dir)/\(key).txt", atomically: true, encoding: .utf8)
                continue
            }
            guard let expected = Snapshots.screens[key] else {
                failures.append("no snapshot \(key)")
                continue
            }
            if text != expected {
                let a = text.split(separator: "\n", omittingEmptySubsequences: false)
                let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
                let row = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
                failures.append("\(key) differs from row \(row):\n\(text)")
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
    }

    @Test func tooSmallSaysSoAtAnyTinySize() {
        let s = Screens.browse()
        #expect(render(s, width: 79, height: 24).text == Snapshots.screens["too-small@79x24"])
        for (w, h) in [(80, 23), (40, 10), (1, 1), (0, 0)] {
            let g = render(s, width: w, height: h)
            #expect(g.width == w && g.height == h)
            if w >= 20 && h >= 4 { #expect(g.text.contains("too small")) }
        }
    }

    @Test(arguments: [(80, 24), (81, 25), (100, 30), (119, 40), (120, 24), (160, 48), (237, 61)])
    func nothingOverflowsAndEveryBarIsThere(width: Int, height: Int) {
        for (name, state) in Screens.all {
            let g = render(state, width: width, height: height)
            for y in 0..<height { #expect(displayWidth(g.rowText(y)) <= width, "\(name) row \(y)") }
            #expect(g.rowText(0).hasPrefix(" recjudge label"), "\(name)")
            #expect(g.rowText(height - 1).hasPrefix(" demo · tag · alice │"), "\(name)")
        }
    }

    @Test func theScreenReadsTheSameWithoutColour() {
        // Every distinction the colours draw is also in the text or in an attribute that
        // survives 8 colours and none.
        let g = render(Screens.browse(), width: 80, height: 24)
        let rows = g.styledRows
        let focused = rows.flatMap { $0 }.first { $0.text.hasPrefix("specificity") }
        for mode in [ColorMode.colors8, .monochrome] {
            #expect(focused?.style.adapted(to: mode).reverse == true)
            #expect(Theme.bar.adapted(to: mode) != Style.plain.adapted(to: mode))
            #expect(Theme.status.adapted(to: mode) != Style.plain.adapted(to: mode))
            #expect(Theme.match.adapted(to: mode) != Style.plain.adapted(to: mode))
            #expect(Theme.error.adapted(to: mode) != Style.plain.adapted(to: mode))
        }
        #expect(g.text.contains("▶ specificity"))
        #expect(g.text.contains("≠ ✓ yes"))            // overridden: marked in text, not colour alone
        #expect(g.text.contains("✗ low_consistency"))
    }

    @Test func blindHidesEveryJudgeLabelAndRationale() {
        var d = Driver.opened(setup: Fixtures.setup(blind: true))
        d.press("1", "1", "1")
        let hidden = render(d.state, width: 160, height: 48).text
        #expect(!hidden.contains("low_consistency"))
        #expect(!hidden.contains("rules:"))
        d.press("1")
        let shown = render(d.state, width: 160, height: 48).text
        #expect(shown.contains("✗ low_consistency"))
        #expect(shown.contains("rules: tag.purchased"))
    }

    @Test func theTimelineScrollsAndSaysWhatIsHidden() {
        var d = Driver.opened()
        let before = render(d.state, width: 80, height: 24).text
        #expect(!before.contains("newer above") && !before.contains("older below"))
        #expect(before.contains("2025-06-22 click 亲子装夏季母女装"))
        d.press("J")
        let after = render(d.state, width: 80, height: 24).text
        #expect(after.contains("5 newer above (K)"))
        #expect(!after.contains("2025-06-22 click"))
        #expect(after.contains("2025-06-12 cart  儿童防晒衣 冰丝"))
    }

    @Test func searchMatchesAreHighlighted() {
        var s = Screens.browse()
        s.searchTerm = "防晒"
        let g = render(s, width: 80, height: 24)
        let marked = g.styledRows.flatMap { $0 }.filter { $0.style == Theme.match }.map(\.text)
        #expect(marked.count >= 2)
        #expect(marked.allSatisfy { $0 == "防晒" })
    }

    @Test func theEditorCursorSitsAfterTheWideText() {
        var d = Driver.opened()
        d.press("c")
        d.type("理由太笼统")
        let at = cursorPosition(d.state, width: 80, height: 24)
        #expect(at?.y == 22)
        #expect(at?.x == displayWidth("comment on relevance> ") + 10)
        d.press("home")
        #expect(cursorPosition(d.state, width: 80, height: 24)?.x == displayWidth("comment on relevance> "))
        #expect(cursorPosition(Screens.browse(), width: 80, height: 24) == nil)
    }
}
