import TerminalKit

/// A run of text in one style.
struct Segment {
    var text: String
    var style: Style

    init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// One line of a page or pane: segments drawn left to right.
struct Line {
    var segments: [Segment]

    init(_ segments: [Segment]) { self.segments = segments }
    init(_ text: String, _ style: Style = .plain) { segments = [Segment(text, style)] }

    static let blank = Line([])
}

extension Grid {
    /// The hint row at `y`, shared by the screens: with a line editor open, its prompt and
    /// text; else the notice; else the key/what pairs, as many as fit (empty keys skipped).
    mutating func drawHintRow(y: Int, width: Int, editor: (prompt: String, editor: LineEditor)?, notice: Notice?,
                              hints: [(key: String, what: String)]) {
        if let (prompt, editor) = editor {
            put(prompt, x: 0, y: y, style: Theme.prompt)
            let x = displayWidth(prompt)
            put(editor.visibleWindow(width: width - x - 1).text, x: x, y: y)
            return
        }
        if let n = notice {
            draw(Line(" " + n.text + " ", n.isError ? Theme.error : Theme.notice), x: 0, y: y, width: width)
            return
        }
        var x = 0
        for (key, what) in hints where !key.isEmpty {
            let label = " \(what)  "
            guard x + displayWidth(key) + displayWidth(label) <= width else { break }
            x += put(key, x: x, y: y, style: Theme.key)
            x += put(label, x: x, y: y, style: Theme.quiet)
        }
    }

    /// `lines` from `scroll` (kept in range) in the rows `top..<top + rows`, one column in
    /// from each side; when they do not all fit, "a–b of n" on the last row.
    mutating func drawPage(_ lines: [Line], scroll: Int, top: Int, rows: Int, width: Int, highlight: String = "") {
        let start = max(0, min(scroll, lines.count - rows))
        for (i, line) in lines.dropFirst(start).prefix(rows).enumerated() {
            draw(line, x: 1, y: top + i, width: width - 2, highlight: highlight)
        }
        if lines.count > rows {
            let more = "\(start + 1)–\(min(lines.count, start + rows)) of \(lines.count)"
            put(more, x: width - displayWidth(more) - 1, y: top + rows - 1, style: Theme.quiet)
        }
    }

    /// Draws a line from column `x` within `width` columns; the last segment that does not fit
    /// is cut with an ellipsis. Occurrences of `highlight` (ignoring case) are painted.
    mutating func draw(_ line: Line, x: Int, y: Int, width: Int, highlight: String = "") {
        var column = x
        let end = x + width
        for (i, seg) in line.segments.enumerated() {
            let room = end - column
            guard room > 0 else { break }
            let fits = displayWidth(seg.text) <= room
            let isLast = i == line.segments.count - 1
            let text = fits ? seg.text : truncate(seg.text, width: room)
            column += put(text, x: column, y: y, style: seg.style, maxWidth: room)
            if !fits && !isLast { break }
        }
        if !highlight.isEmpty { paintMatches(of: highlight, x: x, y: y, width: width) }
    }

    /// Paints every occurrence of `term` (ignoring case) in the row's cells from `x`.
    mutating func paintMatches(of term: String, x: Int, y: Int, width: Int) {
        let needle = Array(Sanitizer.sanitize(term).lowercased())
        guard !needle.isEmpty else { return }
        var chars: [(Character, Int, Int)] = []      // character, column, width
        var col = x
        while col < min(self.width, x + width) {
            let cell = self[col, y]
            let w = self[col + 1, y].isContinuation ? 2 : 1
            if let c = cell.text.lowercased().first { chars.append((c, col, w)) }
            col += w
        }
        guard chars.count >= needle.count else { return }
        var i = 0
        while i + needle.count <= chars.count {
            if (0..<needle.count).allSatisfy({ chars[i + $0].0 == needle[$0] }) {
                let start = chars[i].1
                let last = chars[i + needle.count - 1]
                paint(Rect(x: start, y: y, width: last.1 + last.2 - start, height: 1), style: Theme.match)
                i += needle.count
            } else {
                i += 1
            }
        }
    }
}

/// `name` then `value` wrapped beside it: continuation lines indent under the value.
func labelled(_ name: String, _ value: String, width: Int, nameWidth: Int, valueStyle: Style = .plain,
              maxLines: Int = .max) -> [Line] {
    let valueWidth = max(1, width - nameWidth)
    var lines = wrap(value, width: valueWidth)
    if lines.isEmpty { lines = [""] }
    var out: [Line] = []
    let name = truncate(name, width: max(0, nameWidth - 1))
    for (i, l) in lines.enumerated() {
        if out.count == maxLines - 1 && i < lines.count - 1 {
            out.append(Line([Segment(pad(i == 0 ? name : "", width: nameWidth), Theme.label),
                             Segment(truncate(l + " " + lines[(i + 1)...].joined(separator: " "), width: valueWidth), valueStyle)]))
            break
        }
        out.append(Line([Segment(pad(i == 0 ? name : "", width: nameWidth), Theme.label), Segment(l, valueStyle)]))
    }
    return out
}

/// Text wrapped to `width`, every line in `style`, indented by `indent` spaces.
func paragraph(_ text: String, width: Int, style: Style = .plain, indent: Int = 0) -> [Line] {
    var text = Substring(text)
    while let c = text.last, c == "\n" || c == " " || c == "\r\n" { text.removeLast() }
    return wrap(String(text), width: max(1, width - indent)).map { Line([Segment(String(repeating: " ", count: indent)), Segment($0, style)]) }
}

/// A bar of `width` cells for `fraction` (0…1): `████░░░░`.
func progressBar(_ fraction: Double, width: Int) -> String {
    guard width > 0 else { return "" }
    let f = fraction.isFinite ? min(1, max(0, fraction)) : 0
    let filled = Int((f * Double(width)).rounded(.down))
    return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
}

/// Text as written in a YAML block (hard line breaks inside paragraphs) reflowed for wrapping:
/// single line breaks become spaces, blank lines stay paragraph breaks, list lines (starting
/// with `-`, `*` or a digit and `.`) keep their own line.
func reflow(_ text: String) -> String {
    var paragraphs: [String] = []
    var current = ""
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let line = raw.trimmingSpaces
        if line.isEmpty {
            if !current.isEmpty { paragraphs.append(current); current = "" }
            continue
        }
        let startsItem = line.hasPrefix("- ") || line.hasPrefix("* ") || (line.first?.isNumber == true && line.dropFirst().hasPrefix(". "))
        if current.isEmpty {
            current = line
        } else if startsItem {
            current += "\n" + line
        } else {
            current += " " + line
        }
    }
    if !current.isEmpty { paragraphs.append(current) }
    return paragraphs.joined(separator: "\n\n")
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s.removeLast() }
        return String(s)
    }
}
