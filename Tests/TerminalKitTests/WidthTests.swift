import Testing
@testable import TerminalKit

@Suite struct WidthTests {
    @Test(arguments: [
        ("户外防水登山鞋", 14),
        ("ＡＢＣ", 6),              // fullwidth Latin
        ("😀👍", 4),               // emoji
        ("e\u{301}", 1),           // e + combining acute
        ("\u{E9}", 1),             // precomposed é
        ("A鞋b登c", 7),
        ("한국어", 6),
        ("plain ascii", 11),
        ("", 0),
    ])
    func widthByLibc(text: String, width: Int) {
        #expect(displayWidth(text) == width)
    }

    @Test func controlsAreMeasuredAsTheSymbolsShownForThem() {
        #expect(displayWidth("\u{1B}[2J") == 4)          // ␛[2J
        #expect(displayWidth("a\u{07}") == 2)            // a␇
        #expect(displayWidth("\u{9B}") == 2)             // ␛[
    }

    @Test func zeroWidthAndUnknownScalars() {
        #expect(displayWidth("a\u{200B}b") == 2)         // zero-width space draws nothing
        #expect(displayWidth("\u{301}") == 1)            // a mark with no base sits on ◌
        #expect(displayWidth("\u{378}") == 1)            // unassigned: drawn as U+FFFD
        #expect(displayWidth("\u{FFFD}") == 1)
    }

    @Test func characterWidthMatchesStringWidth() {
        #expect(displayWidth(Character("户")) == 2)
        #expect(displayWidth(Character("e\u{301}")) == 1)
        for text in ["户外 hiking 鞋", "e\u{301}\u{302}x", "a\u{200B}\u{301}", "👨‍👩‍👧 family", "🇨🇳"] {
            let sum = Sanitizer.sanitize(text).reduce(0) { $0 + displayWidth($1) }
            #expect(sum == displayWidth(text), "\(text.debugDescription)")
        }
    }

    @Test func localeIsUTF8() {
        #expect(enableUTF8Locale())
    }
}
