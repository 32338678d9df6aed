import Testing
@testable import TerminalKit

@Suite struct LayoutTests {
    @Test func latinBreaksAtSpaces() {
        #expect(wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(wrap("the quick brown fox", width: 9) == ["the quick", "brown fox"])
        #expect(wrap("a b", width: 1) == ["a", "b"])
    }

    @Test func cjkBreaksBetweenAnyCharacters() {
        #expect(wrap("户外防水登山鞋", width: 6) == ["户外防", "水登山", "鞋"])
        #expect(wrap("户外防水登山鞋", width: 7) == ["户外防", "水登山", "鞋"])
        #expect(wrap("买了一双Salomon登山鞋，很舒服", width: 10) == ["买了一双", "Salomon登", "山鞋，很舒", "服"])
    }

    @Test func closingPunctuationStaysWithThePreviousCharacter() {
        #expect(wrap("好的，谢谢", width: 4) == ["好", "的，", "谢谢"])
        #expect(wrap("登山鞋。", width: 6) == ["登山", "鞋。"])
    }

    @Test func lineBreaksAreHonoured() {
        #expect(wrap("abc\ndef", width: 10) == ["abc", "def"])
        #expect(wrap("a\n\nb", width: 10) == ["a", "", "b"])
        #expect(wrap("a\r\nb", width: 10) == ["a", "b"])
        #expect(wrap("", width: 10) == [""])
    }

    @Test func longWordsAreCut() {
        #expect(wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(wrap("ab cdefghij", width: 4) == ["ab", "cdef", "ghij"])
    }

    @Test func indentationIsKeptAndBreakSpacesDropped() {
        #expect(wrap("  ab cd", width: 5) == ["  ab", "cd"])
        #expect(wrap("ab    cd", width: 3) == ["ab", "cd"])
    }

    @Test func controlsInWrappedTextAreShown() {
        #expect(wrap("a\u{1B}[2Jb", width: 3) == ["a␛[", "2Jb"])
    }

    @Test func noWidthNoLines() {
        #expect(wrap("abc", width: 0) == [])
    }

    @Test func truncateByDisplayWidth() {
        #expect(truncate("abc", width: 5) == "abc")
        #expect(truncate("abcdef", width: 4) == "abc…")
        #expect(truncate("户外防水登山鞋", width: 7) == "户外防…")
        #expect(truncate("户外防水登山鞋", width: 6) == "户外…")
        #expect(truncate("abcdef", width: 4, ellipsis: "...") == "a...")
        #expect(truncate("abcdef", width: 2, ellipsis: "...") == "ab")
        #expect(truncate("a\u{1B}]0;x\u{07}", width: 20) == "a␛]0;x␇")
        #expect(truncate("abc", width: 0) == "")
    }

    @Test func padToExactWidth() {
        #expect(pad("户外", width: 6) == "户外  ")
        #expect(pad("户外", width: 6, alignment: .right) == "  户外")
        #expect(pad("ab", width: 5, alignment: .center) == " ab  ")
        #expect(pad("户外防水", width: 5) == "户外…")
        #expect(pad("户外防水", width: 6) == "户外… ")  // 防 would cross the ellipsis
        #expect(pad("x", width: 0) == "")
    }
}
