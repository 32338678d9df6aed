import Testing
@testable import TerminalKit

/// True when no scalar of `text` could make a terminal act: no C0 control (a line break only
/// when allowed), no DEL, no C1 control, no bidi embedding/override/isolate control.
func isInert(_ text: String, allowingLineBreaks: Bool = false) -> Bool {
    text.unicodeScalars.allSatisfy { scalar in
        if allowingLineBreaks && scalar == "\n" { return true }
        let v = scalar.value
        return v >= 0x20 && !(0x7F...0x9F).contains(v) && !(0x202A...0x202E).contains(v)
            && !(0x2066...0x2069).contains(v) && v != 0x2028 && v != 0x2029
    }
}

@Suite struct SanitizerTests {
    @Test(arguments: [
        ("\u{1B}]0;title\u{07}", "␛]0;title␇"),            // OSC: set window title, BEL-terminated
        ("\u{1B}]2;t\u{1B}\\", "␛]2;t␛\\"),                // OSC, ST-terminated
        ("\u{1B}[2J", "␛[2J"),                              // CSI: clear screen
        ("\u{1B}[31mred", "␛[31mred"),                      // CSI: SGR colour
        ("\u{9B}31m", "␛[31m"),                             // 8-bit CSI (C1)
        ("\u{9D}0;x\u{9C}", "␛]0;x␛\\"),                    // 8-bit OSC … ST
        ("\u{1B}P1$r\u{1B}\\", "␛P1$r␛\\"),                // DCS
        ("\u{1B}_apc\u{1B}\\", "␛_apc␛\\"),                // APC
        ("\u{1B}^pm\u{1B}\\", "␛^pm␛\\"),                  // PM
        ("\u{1B}Xsos\u{1B}\\", "␛Xsos␛\\"),                // SOS
        ("\u{1B}c", "␛c"),                                  // two-character ESC sequence (reset)
        ("\u{07}", "␇"),
        ("\u{00}", "␀"),
        ("\u{7F}", "␡"),
        ("\u{85}", "␛E"),                                   // NEL
        ("a\u{202E}b", "a⟨RLO⟩b"),
        ("\u{2066}x\u{2069}", "⟨LRI⟩x⟨PDI⟩"),
        ("\u{202A}\u{202B}\u{202C}\u{202D}", "⟨LRE⟩⟨RLE⟩⟨PDF⟩⟨LRO⟩"),
        ("\u{2067}\u{2068}", "⟨RLI⟩⟨FSI⟩"),
        ("a\tb", "a   b"),                                  // tab to the next multiple of 4
        ("\tx", "    x"),
        ("户\tx", "户  x"),
        ("a\rb", "a␍b"),
        ("a\r\nb", "a␍␊b"),
        ("a\nb", "a␊b"),
        ("a\u{2028}b", "a␤b"),
        ("bad \u{FFFD} byte", "bad \u{FFFD} byte"),
        ("户外 e\u{301} 👨‍👩‍👧", "户外 e\u{301} 👨‍👩‍👧"),
    ])
    func controlsBecomeVisibleSymbols(input: String, shown: String) {
        let output = Sanitizer.sanitize(input)
        #expect(output == shown)
        #expect(isInert(output))
        #expect(Sanitizer.sanitize(output) == output)
    }

    @Test func lineBreaksKeptOnRequest() {
        #expect(Sanitizer.sanitize("a\nb\r\nc\u{2029}d\re", keepingLineBreaks: true) == "a\nb\nc\nd␍e")
        #expect(Sanitizer.sanitize("x\ty\n\tz", keepingLineBreaks: true, tabWidth: 8) == "x       y\n        z")
    }

    @Test func plainTextIsUnchanged() {
        for text in ["", "hello", "户外防水登山鞋", "e\u{301}", "emoji 😀 ok"] {
            #expect(Sanitizer.sanitize(text) == text)
        }
    }

    @Test func isControlMatchesWhatIsReplaced() {
        for v: UInt32 in [0, 7, 0x1B, 0x1F, 0x7F, 0x80, 0x9B, 0x9F, 0x202E, 0x2066] {
            #expect(Sanitizer.isControl(Unicode.Scalar(v)!))
        }
        for v: UInt32 in [0x20, 0x41, 0xA0, 0x6237, 0x200D, 0xFFFD] {
            #expect(!Sanitizer.isControl(Unicode.Scalar(v)!))
        }
    }
}

/// A small deterministic generator (SplitMix64) so fuzz failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random bytes, weighted towards the ones that make trouble, decoded as UTF-8 (invalid
/// sequences become U+FFFD, as for any data read from a file).
func randomText(_ rng: inout SeededGenerator) -> String {
    let pieces: [[UInt8]] = [
        [0x1B], [0x07], [0x00], [0x7F], [0x0D], [0x0A], [0x09], [0x1B, 0x5B], [0x1B, 0x5D],
        [0xC2, 0x9B], [0xC2, 0x85], [0xE2, 0x80, 0xAE], [0xE2, 0x81, 0xA6], [0xCC, 0x81],
        [0xE6, 0x88, 0xB7], [0xF0, 0x9F, 0x98, 0x80], [0xE2, 0x80, 0x8D], [0xE2, 0x80, 0xA8],
        Array("ab ".utf8), Array("户外 ".utf8),
    ]
    var bytes: [UInt8] = []
    for _ in 0..<Int.random(in: 0...48, using: &rng) {
        if Bool.random(using: &rng) {
            bytes.append(UInt8.random(in: 0...255, using: &rng))
        } else {
            bytes += pieces.randomElement(using: &rng)!
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

@Suite struct FuzzTests {
    @Test func randomBytesNeverReachTheGridAsControls() {
        var rng = SeededGenerator(state: 20_240_601)
        var failures: [String] = []
        for _ in 0..<2000 {
            let text = randomText(&rng)
            var problems: [String] = []
            if !isInert(Sanitizer.sanitize(text)) { problems.append("sanitize") }
            if !isInert(Sanitizer.sanitize(text, keepingLineBreaks: true), allowingLineBreaks: true) {
                problems.append("sanitize keeping line breaks")
            }
            var grid = Grid(width: displayWidth(text) + 1, height: 1)
            if grid.put(text, x: 0, y: 0) != displayWidth(text) { problems.append("put width ≠ displayWidth") }
            var narrow = Grid(width: Int.random(in: 1...9, using: &rng), height: 1)
            narrow.put(text, x: Int.random(in: -3...3, using: &rng), y: 0)
            for g in [grid, narrow] where !isInert(g.text, allowingLineBreaks: true) || !wideCharactersAreWhole(g) {
                problems.append("grid \(g.width) wide")
            }
            let width = Int.random(in: 2...12, using: &rng)
            if !wrap(text, width: width).allSatisfy({ isInert($0) && displayWidth($0) <= width }) {
                problems.append("wrap at \(width)")
            }
            if displayWidth(truncate(text, width: width)) > width { problems.append("truncate at \(width)") }
            if !problems.isEmpty { failures.append("\(text.debugDescription): \(problems)") }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }
}

/// Every continuation cell follows a two-column character, and every two-column character is
/// followed by its continuation.
func wideCharactersAreWhole(_ grid: Grid) -> Bool {
    func isWide(_ cell: Cell) -> Bool {
        guard let scalar = cell.scalar else { return false }
        return scalar.value >= 0x7F && displayWidth(cell.text) == 2
    }
    for y in 0..<grid.height {
        for x in 0..<grid.width {
            let cell = grid[x, y]
            if cell.isContinuation && (x == 0 || !isWide(grid[x - 1, y])) { return false }
            if isWide(cell) && (x + 1 >= grid.width || !grid[x + 1, y].isContinuation) { return false }
        }
    }
    return true
}
