import Testing
import Foundation
import Domain
import TerminalKit
import TestSupport
@testable import Workbench

@Suite("keymap: one table for keys, help and rebinding")
struct KeymapTests {
    @Test func everyCommandHasDefaultKeysAndHelpAndNoKeyRunsTwoCommands() {
        #expect(Set(Keymap.table.map(\.command)) == Set(Command.allCases))
        var seen: [Key: Command] = [:]
        for e in Keymap.table {
            #expect(!e.defaultKeys.isEmpty, "\(e.command) has no default key")
            #expect(!e.help.isEmpty)
            for k in e.defaultKeys {
                #expect(seen[k] == nil, "\(k) is bound to \(seen[k].map { "\($0)" } ?? "") and \(e.command)")
                seen[k] = e.command
            }
        }
        let map = Keymap()
        #expect(map.command(for: .char("a")) == .accept)
        #expect(map.command(for: .down) == .focusDown)
        #expect(map.command(for: .ctrl("c")) == .quit)
    }

    @Test func defaultKeysLeaveTheRubricsLabelHotkeysFree() {
        for task in ["interest", "tag", "explanation"] {
            let r = Fixtures.rubric(task)
            let hot = r.dimensions.map { d in DimensionHotkeys(dimension: d.key, labels: d.labels.map { ($0.hotkey, $0.key) }) }
            #expect(Keymap().shadowedHotkeys(of: hot).isEmpty, "\(task)")
        }
    }

    @Test func helpIsGeneratedFromTheTable() {
        var map = Keymap()
        map.bind(.accept, to: [.char("y")])
        let rows = map.helpRows
        #expect(rows.count == Keymap.table.count)
        #expect(rows.first { $0.command == "accept" }?.keys == "y")
        #expect(rows.first { $0.command == "next" }?.keys == "n, right")
        var s = LabelState(setup: Fixtures.setup(keymap: map))
        s.viewport = Viewport(width: 80, height: 24)
        let text = Pages.help(s, width: 78).map { $0.segments.map(\.text).joined() }.joined(separator: "\n")
        #expect(text.contains("  y"))
        #expect(text.contains("accept the judge's label on the focused"))
    }

    @Test func aFileRebindsAndTakesKeysFromOtherCommands() throws {
        let map = try KeymapFile.apply("""
            # my keys
            bind:
              accept: y
              next: [n, down]
              redo: none
              accept_all: "ctrl-a"
            """, file: "keys.yaml", to: Keymap())
        #expect(map.keys(for: .accept) == [.char("y")])
        #expect(map.command(for: .char("a")) == nil)
        #expect(map.keys(for: .next) == [.char("n"), .down])
        #expect(map.keys(for: .focusDown) == [.char("j"), .tab])
        #expect(map.keys(for: .redo).isEmpty)
        #expect(map.command(for: .ctrl("a")) == .acceptAll)
    }

    @Test(arguments: [
        ("bind:\n  acept: a\n", 2, "unknown command 'acept'"),
        ("bind:\n  accept: a\n  next: fn\n", 3, "unknown key name \"fn\""),
        ("bind:\n  accept: [a, x]\n  next: x\n", 3, "key 'x' is also bound to 'accept' on line 2"),
        ("keys:\n  accept: a\n", 1, "unknown key 'keys'"),
        ("bind:\n  accept: {a: 1}\n", 2, "expected a key name"),
        ("bind: [\n", 2, "not valid YAML"),
    ])
    func badFilesNameTheFileAndLine(text: String, line: Int, message: String) {
        do {
            _ = try KeymapFile.apply(text, file: "/home/ann/.config/recjudge/keys.yaml", to: Keymap())
            Issue.record("accepted: \(text)")
        } catch let e as InputError {
            #expect(e.file == "/home/ann/.config/recjudge/keys.yaml")
            #expect(e.line == line, "\(e)")
            #expect(e.description.contains(message), "\(e)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func filesApplyInOrderAndMissingOnesAreSkipped() throws {
        let dir = try temporaryDirectory(prefix: "keys")
        defer { try? FileManager.default.removeItem(at: dir) }
        let user = dir.appendingPathComponent("user.yaml").path
        let session = dir.appendingPathComponent("session.yaml").path
        try "bind:\n  accept: y\n  undo: U\n".write(toFile: user, atomically: true, encoding: .utf8)
        try "bind:\n  accept: Y\n".write(toFile: session, atomically: true, encoding: .utf8)
        let map = try KeymapFile.load([user, dir.appendingPathComponent("missing.yaml").path, session])
        #expect(map.keys(for: .accept) == [.char("Y")])
        #expect(map.keys(for: .undo) == [.char("U")])
        #expect(KeymapFile.userPath(environment: ["XDG_CONFIG_HOME": "/x"]) == "/x/recjudge/keys.yaml")
        #expect(KeymapFile.userPath(environment: ["HOME": "/home/ann"]) == "/home/ann/.config/recjudge/keys.yaml")
    }

    @Test func aBindingThatHidesALabelHotkeyIsReportedOnScreen() {
        var map = Keymap()
        map.bind(.next, to: [.char("2")])
        let s = LabelState(setup: Fixtures.setup(keymap: map))
        #expect(s.notice?.isError == true)
        #expect(s.notice?.text.contains("key 2 runs next") == true)
    }

    @Test func reboundKeysDriveTheScreen() throws {
        let map = try KeymapFile.apply("bind:\n  accept: y\n  next: [down]\n", file: "k.yaml", to: Keymap())
        var d = Driver(setup: Fixtures.setup(keymap: map), samples: [Fixtures.loaded(1), Fixtures.loaded(2)])
        d.resolve(.openQueue)
        d.press("a")
        #expect(d.log.isEmpty)
        d.press("y")
        #expect(d.log.map(\.action) == [.accept])
        d.press("down")
        #expect(d.state.currentPK == 2)
    }
}
