/// The one gate between data or model text and the terminal.
///
/// Every scalar that a terminal could act on is replaced by a visible stand-in, so text that
/// passes through `sanitize` can be drawn without being able to move the cursor, change colours,
/// set the window title, clear the screen or reorder the line. Escape sequences are not parsed
/// (a parser would have to guess where a malformed one ends); instead every control inside them
/// is replaced, so each sequence — CSI, OSC, DCS, APC, PM, SOS, two-character ESC sequences and
/// their 8-bit C1 forms — arrives as inert, readable text: `ESC [ 2 J` shows as `␛[2J`.
///
/// | input | shown as |
/// |---|---|
/// | C0 control U+0000–U+001F (ESC, BEL, NUL, …) | its Control Picture U+2400+code: `␛` `␇` `␀` |
/// | LF, and CR LF as one | a line break if `keepingLineBreaks`, else `␊` (`␍␊`) |
/// | lone CR | `␍` |
/// | TAB | spaces up to the next multiple of `tabWidth` columns in the line |
/// | DEL U+007F | `␡` |
/// | C1 control U+0080–U+009F | `␛` and its 7-bit form (ECMA-48): U+009B (CSI) → `␛[` |
/// | bidi embedding, override and isolate controls U+202A–U+202E, U+2066–U+2069 | `⟨RLO⟩`, `⟨LRI⟩`, … |
/// | LINE / PARAGRAPH SEPARATOR U+2028, U+2029 | a line break if `keepingLineBreaks`, else `␤` |
///
/// Everything else is kept, including U+FFFD, joiners and combining marks. Scalars whose width
/// libc does not know are drawn as U+FFFD by the grid (see `displayWidth`).
public enum Sanitizer {
    /// Returns `text` with every control scalar replaced by a visible stand-in (see the table above).
    ///
    /// - Parameters:
    ///   - keepingLineBreaks: keep LF, CR LF, U+2028 and U+2029 as `"\n"` (for `wrap`);
    ///     otherwise they are shown as symbols and the result is one line.
    ///   - tabWidth: tab stops, in columns from the start of each line (at least 1).
    /// - Returns: text with no scalar below U+0020 other than `"\n"` (only when keeping line
    ///   breaks), no DEL, no C1 control and no bidi control. Sanitising twice changes nothing more.
    public static func sanitize(_ text: String, keepingLineBreaks: Bool = false, tabWidth: Int = 4) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        let tabWidth = max(1, tabWidth)
        var out = String.UnicodeScalarView()
        var column = 0
        var pendingCR = false

        func emit(_ s: Unicode.Scalar) {
            out.append(s)
            let w = scalarWidth(s)
            column += w < 0 ? 1 : w
        }
        func emit(_ s: String) { for scalar in s.unicodeScalars { emit(scalar) } }
        func lineBreak(_ symbol: String) {
            if keepingLineBreaks {
                out.append("\n")
                column = 0
            } else {
                emit(symbol)
            }
        }

        for scalar in text.unicodeScalars {
            if pendingCR {
                pendingCR = false
                if scalar == "\n" {
                    lineBreak("␍␊")
                    continue
                }
                emit("␍")
            }
            let v = scalar.value
            switch v {
            case 0x0D:
                pendingCR = true
            case 0x0A:
                lineBreak("␊")
            case 0x09:
                let spaces = tabWidth - column % tabWidth
                for _ in 0..<spaces { emit(" ") }
            case 0x00..<0x20:
                emit(Unicode.Scalar(0x2400 + v) ?? "?")
            case 0x7F:
                emit("␡")
            case 0x80..<0xA0:
                emit("␛")
                emit(Unicode.Scalar(v - 0x40) ?? "?")
            case 0x2028, 0x2029:
                lineBreak("␤")
            default:
                if let name = bidiControlNames[v] {
                    emit("⟨\(name)⟩")
                } else {
                    emit(scalar)
                }
            }
        }
        if pendingCR { emit("␍") }
        return String(out)
    }

    /// Whether a scalar is one that `sanitize` never lets through (a line break counts).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F..<0xA0).contains(v) || v == 0x2028 || v == 0x2029
            || bidiControlNames[v] != nil
    }

    private static let bidiControlNames: [UInt32: String] = [
        0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO",
        0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI",
    ]
}
