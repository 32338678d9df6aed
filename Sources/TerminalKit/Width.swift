import CWidth

/// Columns `text` takes on the terminal once sanitised, by the C library's `wcwidth` — the
/// same table ncurses uses, so the grid and the screen agree.
///
/// Counted per grapheme: CJK and emoji are 2, combining marks and joiners 0 (drawn on the
/// character before them), a combining mark with nothing before it 1 (drawn on `◌`), a scalar
/// libc gives no width 1 (drawn as U+FFFD). Controls never reach this count: they are measured
/// as the symbols `Sanitizer.sanitize` shows for them.
public func displayWidth(_ text: String) -> Int {
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
    var total = 0
    for character in Sanitizer.sanitize(text) {
        total += sanitizedWidth(character)
    }
    return total
}

/// Columns one character takes, as `displayWidth(_: String)` counts them.
public func displayWidth(_ character: Character) -> Int {
    displayWidth(String(character))
}

/// A combining mark may sit on at most this many ncurses cells' worth of text (CCHARW_MAX 5,
/// one of which is the base); further marks are dropped from display.
let maximumMarksPerCell = 4

/// One cell's worth of drawing: a base scalar plus the zero-width scalars drawn on it.
struct Glyph {
    var base: Unicode.Scalar
    var marks: [Unicode.Scalar]
    var width: Int
}

/// Splits one already-sanitised character into glyphs, by libc widths.
func forEachGlyph(in character: Character, _ body: (Glyph) -> Void) {
    var current: Glyph?
    for scalar in character.unicodeScalars {
        var base = scalar
        var width = scalarWidth(scalar)
        if width < 0 {
            base = "\u{FFFD}"
            width = 1
        }
        if width == 0 {
            if var glyph = current {
                if glyph.marks.count < maximumMarksPerCell { glyph.marks.append(scalar) }
                current = glyph
            } else if isCombiningMark(scalar) {
                current = Glyph(base: "◌", marks: [scalar], width: 1)
            }
            // A lone zero-width format character (ZWSP, word joiner, …) draws nothing.
            continue
        }
        if let glyph = current { body(glyph) }
        current = Glyph(base: base, marks: [], width: width)
    }
    if let glyph = current { body(glyph) }
}

/// Width of one already-sanitised character: the sum of its glyphs' widths.
func sanitizedWidth(_ character: Character) -> Int {
    if let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F { return 1 }
    var total = 0
    forEachGlyph(in: character) { total += $0.width }
    return total
}

/// libc `wcwidth` for one scalar: -1 for controls and for scalars libc does not know.
func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v >= 0x20 && v < 0x7F { return 1 }
    _ = enableUTF8Locale()
    return Int(wcwidth(wchar_t(bitPattern: v)))
}

private func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .spacingMark, .enclosingMark: return true
    default: return false
    }
}
