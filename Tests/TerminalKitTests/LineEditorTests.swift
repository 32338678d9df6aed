import Testing
import TerminalKit

@Suite struct LineEditorTests {
    @Test func chineseInsertBackspaceAndCursorWidth() {
        var e = LineEditor()
        e.insert("户外")
        e.insert("鞋")
        #expect(e.text == "户外鞋")
        #expect(e.cursor == 3)
        #expect(e.visibleWindow(width: 20) == ("户外鞋", 6))
        e.backspace()
        #expect(e.text == "户外")
        #expect(e.visibleWindow(width: 20).cursorColumn == 4)
        e.moveLeft()
        e.insert("防")
        #expect(e.text == "户防外")
        #expect(e.visibleWindow(width: 20).cursorColumn == 4)
        e.deleteForward()
        #expect(e.text == "户防")
    }

    @Test func pastedTextArrivingAsKeysJustWorks() {
        var e = LineEditor()
        for c in "户外防水登山鞋 boots" {
            let handled = e.handle(.char(c))
            #expect(handled)
        }
        #expect(e.text == "户外防水登山鞋 boots")
        #expect(e.visibleWindow(width: 40) == ("户外防水登山鞋 boots", 20))
    }

    @Test func combiningMarkJoinsThePreviousCharacter() {
        var e = LineEditor()
        e.handle(.char("e"))
        e.handle(.char("\u{301}"))
        #expect(e.characters == ["e\u{301}"])
        #expect(e.visibleWindow(width: 10).cursorColumn == 1)
        e.backspace()
        #expect(e.text == "")
    }

    @Test func movementAndKills() {
        var e = LineEditor("hello big world")
        e.handle(.ctrl("w"))
        #expect(e.text == "hello big ")
        e.handle(.home)
        e.handle(.right)
        e.handle(.ctrl("k"))
        #expect(e.text == "h")
        e.insert("ey you")
        e.handle(.left)
        e.handle(.left)
        e.handle(.ctrl("u"))
        #expect(e.text == "ou")
        #expect(e.cursor == 0)
        e.handle(.end)
        #expect(e.cursor == 2)
        let before = e
        let handledEnter = e.handle(.enter)
        let handledEscape = e.handle(.escape)
        #expect(!handledEnter && !handledEscape)
        #expect(e == before)
    }

    @Test func controlCharactersNeverEnterTheText() {
        var e = LineEditor("a\u{1B}]0;x\u{07}")
        #expect(e.text == "a]0;x")
        e.insert("\tb\nc\u{202E}")
        #expect(e.text == "a]0;x b c")
    }

    @Test func windowScrollsToKeepTheCursorVisible() {
        var e = LineEditor("户外防水登山鞋户外防")
        #expect(e.visibleWindow(width: 8) == ("户外防", 6))
        e.moveToStart()
        #expect(e.visibleWindow(width: 8) == ("户外防水", 0))
        e.moveToEnd()
        e.moveLeft()
        // cursor on the last 防: it needs two columns at the right edge
        #expect(e.visibleWindow(width: 8) == ("鞋户外防", 6))
        #expect(e.visibleWindow(width: 0) == ("", 0))
        #expect(e.visibleWindow(width: 1).cursorColumn == 0)
    }
}
