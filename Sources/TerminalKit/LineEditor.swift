/// A one-line text field that edits by character (grapheme) and measures by display width,
/// so CJK, emoji and combining marks edit as whole characters.
public struct LineEditor: Hashable, Sendable {
    /// The text, one element per character.
    public private(set) var characters: [Character]
    /// Insertion point: an index into `characters` (0...count).
    public private(set) var cursor: Int

    /// An editor holding `text` (sanitised onto one line), cursor at the end.
    public init(_ text: String = "") {
        characters = Array(LineEditor.clean(text))
        cursor = characters.count
    }

    /// The text being edited.
    public var text: String { String(characters) }

    /// Inserts `string` at the cursor and moves past it. Line breaks and tabs become spaces;
    /// other control characters are dropped. A combining mark joins the character before it.
    public mutating func insert(_ string: String) {
        let inserted = LineEditor.clean(string)
        guard !inserted.isEmpty else { return }
        let before = String(characters[..<cursor]) + inserted
        let after = String(characters[cursor...])
        let joined = Array(before + after)
        cursor = min(before.count, joined.count)
        characters = joined
    }

    /// Deletes the character before the cursor.
    public mutating func backspace() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    /// Deletes the character under the cursor.
    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    public mutating func moveLeft() { cursor = max(0, cursor - 1) }
    public mutating func moveRight() { cursor = min(characters.count, cursor + 1) }
    public mutating func moveToStart() { cursor = 0 }
    public mutating func moveToEnd() { cursor = characters.count }

    /// Deletes everything before the cursor (ctrl-u).
    public mutating func killToStart() {
        characters.removeSubrange(0..<cursor)
        cursor = 0
    }

    /// Deletes everything from the cursor on (ctrl-k).
    public mutating func killToEnd() {
        characters.removeSubrange(cursor...)
    }

    /// Deletes the word before the cursor and the spaces after it (ctrl-w).
    public mutating func deleteWordBackward() {
        var start = cursor
        while start > 0 && characters[start - 1] == " " { start -= 1 }
        while start > 0 && characters[start - 1] != " " { start -= 1 }
        characters.removeSubrange(start..<cursor)
        cursor = start
    }

    /// Replaces the text, cursor at the end.
    public mutating func setText(_ text: String) {
        self = LineEditor(text)
    }

    /// Applies the usual editing keys: characters insert; backspace, delete, left, right,
    /// home, end; ctrl-a/e (start/end), ctrl-b/f (left/right), ctrl-d (delete), ctrl-u, ctrl-k,
    /// ctrl-w. Returns false for any other key, which the caller handles (enter, esc, …).
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c): insert(String(c))
        case .backspace: backspace()
        case .delete, .ctrl("d"): deleteForward()
        case .left, .ctrl("b"): moveLeft()
        case .right, .ctrl("f"): moveRight()
        case .home, .ctrl("a"): moveToStart()
        case .end, .ctrl("e"): moveToEnd()
        case .ctrl("u"): killToStart()
        case .ctrl("k"): killToEnd()
        case .ctrl("w"): deleteWordBackward()
        default: return false
        }
        return true
    }

    /// The part of the line to show in a field `width` columns wide, and the cursor's column
    /// in it (by display width; on a wide character, its left half).
    ///
    /// Shows from the start while the cursor fits (leaving a column for the cursor after the
    /// last character); otherwise scrolls so the cursor sits at the right edge. The text never
    /// exceeds `width` columns and the cursor column is always in `0..<width` (0 when `width` < 1).
    public func visibleWindow(width: Int) -> (text: String, cursorColumn: Int) {
        guard width > 0 else { return ("", 0) }
        let widths = characters.map { displayWidth($0) }
        let cursorCell = cursor < characters.count ? max(1, widths[cursor]) : 1
        var start = 0
        var beforeCursor = widths[..<cursor].reduce(0, +)
        while start < cursor && beforeCursor + cursorCell > width {
            beforeCursor -= widths[start]
            start += 1
        }
        var shown = ""
        var used = 0
        for i in start..<characters.count {
            if used + widths[i] > width { break }
            shown.append(characters[i])
            used += widths[i]
        }
        return (Sanitizer.sanitize(shown), min(beforeCursor, width - 1))
    }

    private static func clean(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if s == "\n" || s == "\r" || s == "\t" || s == "\u{2028}" || s == "\u{2029}" {
                scalars.append(" ")
            } else if !Sanitizer.isControl(s) {
                scalars.append(s)
            }
        }
        return String(scalars)
    }
}
