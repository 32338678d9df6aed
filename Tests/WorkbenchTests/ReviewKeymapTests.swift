import Testing
import Foundation
import Domain
import TerminalKit
import TestSupport
@testable import Workbench

@Suite("keymap files: the review section")
@MainActor
struct ReviewKeymapFileTests {
    init() { enableUTF8Locale() }

    @Test func aReviewSectionRebindsTheReviewScreenBesideTheLabelOne() throws {
        let maps = try KeymapFile.apply("""
            bind:
              accept: y
            review:
              label_view: O
              conflicts: [c, x]
              trend: none
              down: [j, n]              # n leaves next, which keeps pgdn
            """, file: "keys.yaml", to: Keymaps())
        #expect(maps.label.keys(for: .accept) == [.char("y")])
        #expect(maps.review.keys(for: .labelView) == [.char("O")])
        #expect(maps.review.request(for: .char("o")) == nil)
        #expect(maps.review.request(for: .char("x")) == .conflicts)
        #expect(maps.review.keys(for: .trend).isEmpty)
        #expect(maps.review.keys(for: .next) == [.pageDown])
        #expect(maps.review.request(for: .char("n")) == .down)
        // The same key on two screens is no clash.
        let both = try KeymapFile.apply("bind:\n  accept: x\nreview:\n  conflicts: x\n", file: "k.yaml", to: Keymaps())
        #expect(both.label.command(for: .char("x")) == .accept)
        #expect(both.review.request(for: .char("x")) == .conflicts)
    }

    @Test(arguments: [
        ("review:\n  label_veiw: O\n", 2, "review.label_veiw: unknown review request 'label_veiw'"),
        ("review:\n  open: enter\n  back: fn\n", 3, "unknown key name \"fn\""),
        ("review:\n  open: [enter, x]\n  conflicts: x\n", 3, "key 'x' is also bound to 'open' on line 2"),
        ("bind:\n  accept: a\nreview:\n  trend: [w]\nreview:\n  trend: W\n", 5, "'review' appears twice (first on line 3)"),
        ("review: [o]\n", 1, "expected review request: key lines under 'review'"),
        ("reviews:\n  open: o\n", 1, "unknown key 'reviews'"),
    ])
    func badReviewSectionsNameTheFileAndLine(text: String, line: Int, message: String) {
        do {
            _ = try KeymapFile.apply(text, file: "/home/lena/.config/recjudge/keys.yaml", to: Keymaps())
            Issue.record("accepted: \(text)")
        } catch let e as InputError {
            #expect(e.file == "/home/lena/.config/recjudge/keys.yaml")
            #expect(e.line == line, "\(e)")
            #expect(e.description.contains(message), "\(e)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func nothingOfABadFileIsApplied() throws {
        let dir = try temporaryDirectory(prefix: "keys")
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("user.yaml").path
        let bad = dir.appendingPathComponent("session.yaml").path
        try "review:\n  trend: W\n".write(toFile: good, atomically: true, encoding: .utf8)
        // A good bind and a good review line before the bad one.
        try "bind:\n  accept: y\nreview:\n  conflicts: x\n  reload: nope-key\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) { try KeymapFile.loadAll([good, bad]) }
        let maps = try KeymapFile.loadAll([good])
        #expect(maps.review.keys(for: .trend) == [.char("W")])
        #expect(maps.review.keys(for: .conflicts) == [.char("c")])
        #expect(maps.label == Keymap())
        // The label-only reader reads the same files and ignores nothing: a bad review section is refused there too.
        #expect(throws: InputError.self) { try KeymapFile.load([bad]) }
    }

    @Test func theReviewScreenRunsOnTheReboundKeysAndItsHelpAndHintsShowThem() throws {
        let maps = try KeymapFile.apply("review:\n  conflicts: x\n  label_view: O\n  open: [enter, space]\n", file: "k.yaml", to: Keymaps())
        var setup = ReviewSetup(session: "s", task: "tag", lead: "lena", rubric: Fixtures.tag, keymap: maps.review)
        setup.judges = [Fixtures.judge]
        var s = ReviewState(setup: setup)
        s.data = ReviewData(figures: ReviewFigures(rows: []), items: [])
        (s, _) = update(s, .key(.char("c")))
        #expect(s.view == .table)
        #expect(s.notice?.text == "c: no such key here (? lists every key)")
        (s, _) = update(s, .key(.char("x")))
        #expect(s.view == .queue)
        (s, _) = update(s, .key(.escape))
        (s, _) = update(s, .key(.char(" ")))
        #expect(s.view == .heatMap)
        let hints = render(s, width: 80, height: 24).rowText(22)
        #expect(hints.contains("enter label view") && hints.contains("s list") && hints.contains("x conflicts"), "\(hints)")
        (s, _) = update(s, .key(.char("s")))               // the cell's list
        #expect(s.view == .queue)
        (s, _) = update(s, .key(.escape))
        (s, _) = update(s, .key(.char("?")))
        let help = render(s, width: 120, height: 60).text
        #expect(help.contains("enter, space") && help.contains("label-view"))
        #expect(help.contains("  O "))
        #expect(help.contains("review: section"))
    }

    @Test func aReviewBindingOnALabelHotkeyIsReported() {
        var km = ReviewKeymap()
        km.bind(.trend, to: [.char("2")])
        let s = ReviewState(setup: ReviewSetup(session: "s", task: "tag", lead: "lena", rubric: Fixtures.tag, keymap: km))
        #expect(s.notice?.isError == true)
        #expect(s.notice?.text.contains("key 2 runs trend, so it cannot pick") == true)
        #expect(ReviewState(setup: ReviewSetup(session: "s", task: "tag", lead: "lena", rubric: Fixtures.tag)).notice == nil)
    }
}
