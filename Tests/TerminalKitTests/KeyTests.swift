import Testing
import TerminalKit

@Suite struct KeyNameTests {
    static let bindable: [Key] = [
        .char("q"), .char("Q"), .char("?"), .char("/"), .char(" "), .char("-"), .char("^"), .char("鞋"),
        .enter, .tab, .backTab, .backspace, .delete, .insert, .escape,
        .up, .down, .left, .right, .home, .end, .pageUp, .pageDown,
        .function(1), .function(5), .function(12), .function(63),
        .ctrl("a"), .ctrl("c"), .ctrl("z"), .ctrl("@"), .ctrl("\\"), .ctrl("]"), .ctrl("_"),
    ]

    @Test(arguments: bindable)
    func namesRoundTrip(key: Key) throws {
        #expect(try Key(name: key.name) == key)
    }

    @Test(arguments: [
        ("q", Key.char("q")), ("Q", .char("Q")), ("space", .char(" ")), ("Enter", .enter),
        ("return", .enter), ("esc", .escape), ("ESCAPE", .escape), ("tab", .tab),
        ("shift-tab", .backTab), ("backspace", .backspace), ("del", .delete), ("up", .up),
        ("pgdn", .pageDown), ("PageUp", .pageUp), ("ctrl-z", .ctrl("z")), ("Ctrl-Z", .ctrl("z")),
        ("C-x", .ctrl("x")), ("^x", .ctrl("x")), ("ctrl-space", .ctrl("@")), ("f5", .function(5)),
        ("F12", .function(12)), ("ctrl-m", .enter), ("ctrl-i", .tab), ("ctrl-h", .backspace),
        ("ctrl-[", .escape), ("  home  ", .home), ("鞋", .char("鞋")),
    ])
    func namesParse(name: String, key: Key) throws {
        #expect(try Key(name: name) == key)
    }

    @Test func canonicalNames() {
        #expect(Key.ctrl("z").name == "ctrl-z")
        #expect(Key.pageDown.name == "pgdn")
        #expect(Key.char(" ").name == "space")
        #expect(Key.function(5).name == "f5")
        #expect(Key.escape.description == "esc")
        #expect(Key.resize(width: 80, height: 24).name == "resize")
    }

    @Test(arguments: ["", "   ", "florp", "ctrl-", "ctrl-ab", "ctrl-1", "f0", "f64", "fx", "f+5", "resize", "\u{1B}", "\u{07}"])
    func unknownNamesAreClearErrors(name: String) {
        do {
            _ = try Key(name: name)
            Issue.record("\(name.debugDescription) parsed")
        } catch let error as KeyNameError {
            #expect(error.description.contains("unknown key name"))
            #expect(error.description.contains("ctrl-z"))   // says what to write instead
            #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 })
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func errorNamesTheBadName() {
        #expect(throws: KeyNameError.self) { try Key(name: "ctl-x") }
        let error = try? #require(throws: KeyNameError.self) { try Key(name: "ctl-x") }
        #expect(error?.name == "ctl-x")
        #expect(error?.description.hasPrefix("unknown key name \"ctl-x\"") == true)
    }
}
