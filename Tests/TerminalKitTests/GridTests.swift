import Testing
@testable import TerminalKit

@Suite struct GridTests {
    @Test func wideCharacterOccupiesTwoCells() {
        var g = Grid(width: 10, height: 1)
        #expect(g.put("a户b", x: 0, y: 0) == 4)
        #expect(g[1, 0].scalar == "户")
        #expect(g[2, 0].isContinuation)
        #expect(g[3, 0].scalar == "b")
        #expect(g.text == "a户b")
    }

    @Test func wideCharacterNeverStraddlesTheRightEdge() {
        var g = Grid(width: 5, height: 1)
        #expect(g.put("ab户外", x: 0, y: 0) == 4)
        #expect(g.text == "ab户")
        #expect(g[4, 0] == .blank)
    }

    @Test func maxWidthStopsBeforeAWideCharacterThatWouldCrossIt() {
        var g = Grid(width: 20, height: 1)
        #expect(g.put("户外防水", x: 2, y: 0, maxWidth: 5) == 4)
        #expect(g.put("xyz", x: 10, y: 0, maxWidth: 2) == 2)
        #expect(g.put("never", x: 15, y: 0, maxWidth: 0) == 0)
        #expect(g.text == "  户外    xy")
    }

    @Test func textLeftOfTheGridIsClipped() {
        var g = Grid(width: 6, height: 1)
        #expect(g.put("户外ab", x: -1, y: 0) == 6)
        #expect(g.text == " 外ab")
        #expect(!g[0, 0].isContinuation)
    }

    @Test func outOfRangeWritesAndReadsAreHarmless() {
        var g = Grid(width: 3, height: 2)
        #expect(g.put("x", x: 0, y: 5) == 0)
        #expect(g.put("x", x: 0, y: -1) == 0)
        #expect(g[10, 10] == .blank)
        #expect(g[-1, 0] == .blank)
        g.fill(Rect(x: -5, y: -5, width: 100, height: 100), with: "#")
        #expect(g.text == "###\n###")
        #expect(Grid(width: -4, height: 2).text == "\n")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var g = Grid(width: 6, height: 1)
        g.put("户外防", x: 0, y: 0)
        g.put("x", x: 1, y: 0)            // right half of 户
        #expect(g.text == " x外防")
        g.put("y", x: 2, y: 0)            // left half of 外
        #expect(g.text == " xy 防")
        g.put("鞋", x: 3, y: 0)           // straddles the halves of nothing / 防
        #expect(g.text == " xy鞋")
        #expect(wideCharactersAreWhole(g))
    }

    @Test func controlsArePutAsSymbols() {
        var g = Grid(width: 30, height: 1)
        g.put("a\u{1B}[2Jb\nc", x: 0, y: 0)
        #expect(g.text == "a␛[2Jb␊c")
    }

    @Test func combiningMarksShareTheirBaseCell() {
        var g = Grid(width: 5, height: 1)
        #expect(g.put("e\u{301}x", x: 0, y: 0) == 2)
        #expect(g[0, 0].scalar == "e")
        #expect(g[0, 0].marks == ["\u{301}"])
        #expect(g[1, 0].scalar == "x")
        #expect(g.text == "e\u{301}x")
    }

    @Test func stylesAreKeptPerCell() {
        var g = Grid(width: 12, height: 2)
        let title = Style(foreground: .black, background: .cyan, bold: true)
        g.fill(Rect(x: 0, y: 0, width: 12, height: 1), style: title)
        g.put("户外", x: 1, y: 0, style: title)
        g.put("ok", x: 0, y: 1, style: Style(foreground: .green))
        g.put("!", x: 3, y: 1)
        #expect(g.styledRows[0] == [StyledRun(x: 0, text: " 户外       ", style: title)])
        #expect(g.styledRows[1] == [
            StyledRun(x: 0, text: "ok", style: Style(foreground: .green)),
            StyledRun(x: 2, text: " !", style: .plain),
        ])
        g.paint(Rect(x: 0, y: 1, width: 1, height: 1), style: Style(reverse: true))
        #expect(g[0, 1].style.reverse)
        #expect(g[0, 1].scalar == "o")
    }

    @Test func clearBlanksARectangle() {
        var g = Grid(width: 4, height: 2)
        g.fill(Rect(x: 0, y: 0, width: 4, height: 2), with: "x", style: Style(bold: true))
        g.clear(Rect(x: 1, y: 0, width: 2, height: 1))
        #expect(g.text == "x  x\nxxxx")
        #expect(g[1, 0] == .blank)
        g.clear()
        #expect(g == Grid(width: 4, height: 2))
    }

    @Test func fillWithAWideCharacterFillsWithSpaces() {
        var g = Grid(width: 3, height: 1)
        g.fill(Rect(x: 0, y: 0, width: 3, height: 1), with: "户")
        #expect(g.text == "")
        g.fill(Rect(x: 0, y: 0, width: 3, height: 1), with: "\u{1B}")
        #expect(g.text == "␛␛␛")
    }

    @Test(arguments: [(40, 10), (20, 5), (3, 2), (1, 1), (0, 0)])
    func anySizeRendersWithoutStraddling(width: Int, height: Int) {
        var g = Grid(width: width, height: height)
        for y in 0..<max(1, height) {
            g.put("户外防水登山鞋 hiking boots 😀", x: y % 3 - 1, y: y)
        }
        #expect(wideCharactersAreWhole(g))
        #expect(g.text.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy { displayWidth(String($0)) <= width })
    }
}
