/// One character cell of the screen.
public struct Cell: Hashable, Sendable {
    /// The character drawn here; `nil` for the right half of a wide character, whose left half
    /// is the cell before.
    public var scalar: Unicode.Scalar?
    /// Zero-width scalars drawn on `scalar` (combining marks, variation selectors, joiners), at
    /// most four.
    public var marks: [Unicode.Scalar]
    public var style: Style

    public init(scalar: Unicode.Scalar?, marks: [Unicode.Scalar] = [], style: Style = .plain) {
        self.scalar = scalar
        self.marks = marks
        self.style = style
    }

    /// A space in the default style.
    public static let blank = Cell(scalar: " ")

    /// Whether this is the right half of a wide character.
    public var isContinuation: Bool { scalar == nil }

    /// The text of the cell: its scalar and marks; empty for a right half.
    public var text: String {
        guard let scalar else { return "" }
        var view = String.UnicodeScalarView()
        view.append(scalar)
        view.append(contentsOf: marks)
        return String(view)
    }
}

/// A rectangle of cells; empty when `width` or `height` is not positive.
public struct Rect: Hashable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// A run of cells of one style in a row, for checking styles in tests.
public struct StyledRun: Hashable, Sendable, CustomStringConvertible {
    /// Column of the first cell.
    public var x: Int
    public var text: String
    public var style: Style

    public init(x: Int, text: String, style: Style) {
        self.x = x
        self.text = text
        self.style = style
    }

    public var description: String { "\(x):\(text.debugDescription)" }
}

/// An in-memory screen: the whole of what a render produces and a backend draws.
///
/// Invariants kept by every mutation: no cell holds a control scalar (text goes through
/// `Sanitizer`), and a wide character is always a left cell followed by a continuation cell
/// on the same row — never half of one, never straddling the right edge.
public struct Grid: Hashable, Sendable {
    public let width: Int
    public let height: Int
    private var cells: [Cell]

    /// A blank grid; negative sizes count as 0.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The cell at column `x`, row `y`; `Cell.blank` outside the grid.
    public subscript(x: Int, y: Int) -> Cell {
        contains(x: x, y: y) ? cells[y * width + x] : .blank
    }

    /// The cells of row `y` (empty outside the grid).
    public func row(_ y: Int) -> ArraySlice<Cell> {
        guard y >= 0 && y < height else { return [] }
        return cells[(y * width)..<((y + 1) * width)]
    }

    /// Draws `text` from column `x` of row `y`, sanitised and laid out by display width.
    ///
    /// Stops at the right edge, or after `maxWidth` columns when given; a wide character that
    /// would cross that limit is not drawn at all. Columns left of 0 are skipped (text scrolled
    /// off the left is clipped). Wide characters partly overwritten elsewhere are blanked whole.
    /// - Returns: columns advanced past `x` (clipped columns included, the unfit rest not).
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0 && y < height else { return 0 }
        let limit = min(width, maxWidth.map { x + max(0, $0) } ?? width)
        var column = x
        for character in Sanitizer.sanitize(text) {
            var stop = false
            forEachGlyph(in: character) { glyph in
                guard !stop else { return }
                if column + glyph.width > limit {
                    stop = true
                    return
                }
                if column >= 0 {
                    set(Cell(scalar: glyph.base, marks: glyph.marks, style: style), x: column, y: y)
                    if glyph.width == 2 {
                        set(Cell(scalar: nil, style: style), x: column + 1, y: y)
                    }
                } else if column + glyph.width > 0 {
                    // A wide character cut by the left edge: show its visible half as a space.
                    set(Cell(scalar: " ", style: style), x: 0, y: y)
                }
                column += glyph.width
            }
            if stop { break }
        }
        return column - x
    }

    /// Fills `rect` (clipped to the grid) with `character` — sanitised; a wide or empty one
    /// fills with spaces — in `style`.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
        var glyphs: [Glyph] = []
        for shown in Sanitizer.sanitize(String(character)).prefix(1) {
            forEachGlyph(in: shown) { glyphs.append($0) }
        }
        var cell = Cell(scalar: " ", style: style)
        if let glyph = glyphs.first, glyph.width == 1 {
            cell = Cell(scalar: glyph.base, marks: glyph.marks, style: style)
        }
        forEachPosition(in: rect) { x, y in set(cell, x: x, y: y) }
    }

    /// Blanks `rect` (clipped to the grid): spaces in the default style.
    public mutating func clear(_ rect: Rect) {
        fill(rect)
    }

    /// Blanks the whole grid.
    public mutating func clear() {
        cells = Array(repeating: .blank, count: width * height)
    }

    /// Changes the style of the cells in `rect` (clipped), keeping their text — for highlighting.
    public mutating func paint(_ rect: Rect, style: Style) {
        forEachPosition(in: rect) { x, y in cells[y * width + x].style = style }
    }

    /// Row `y` as text: wide characters once, right halves skipped, trailing spaces trimmed.
    public func rowText(_ y: Int) -> String {
        var line = ""
        for cell in row(y) where !cell.isContinuation {
            line += cell.text
        }
        while line.last == " " { line.removeLast() }
        return line
    }

    /// The screen as text in the form of `tmux capture-pane -p`: rows joined by `"\n"`, trailing
    /// spaces of each row trimmed.
    public var text: String {
        (0..<height).map(rowText).joined(separator: "\n")
    }

    /// Each row as runs of equally styled cells, trailing default-style spaces dropped.
    public var styledRows: [[StyledRun]] {
        (0..<height).map { y in
            var runs: [StyledRun] = []
            for (x, cell) in row(y).enumerated() where !cell.isContinuation {
                if let last = runs.last, last.style == cell.style {
                    runs[runs.count - 1].text += cell.text
                } else {
                    runs.append(StyledRun(x: x, text: cell.text, style: cell.style))
                }
            }
            while let last = runs.last, last.style == .plain, last.text.last == " " {
                var text = last.text
                while text.last == " " { text.removeLast() }
                if text.isEmpty { runs.removeLast() } else { runs[runs.count - 1].text = text }
            }
            return runs
        }
    }

    // MARK: - Private

    private func contains(x: Int, y: Int) -> Bool {
        x >= 0 && x < width && y >= 0 && y < height
    }

    private func forEachPosition(in rect: Rect, _ body: (Int, Int) -> Void) {
        let x0 = max(0, rect.x), x1 = min(width, rect.x + max(0, rect.width))
        let y0 = max(0, rect.y), y1 = min(height, rect.y + max(0, rect.height))
        guard x0 < x1 && y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 { body(x, y) }
        }
    }

    /// Stores one cell, first blanking any wide character it would cut in half.
    private mutating func set(_ cell: Cell, x: Int, y: Int) {
        guard contains(x: x, y: y) else { return }
        let i = y * width + x
        if cells[i].isContinuation && x > 0 {
            // Overwriting a right half would orphan its left half.
            cells[i - 1] = Cell(scalar: " ", style: cells[i - 1].style)
        }
        if x + 1 < width && cells[i + 1].isContinuation {
            // Overwriting a left half would orphan its right half.
            cells[i + 1] = Cell(scalar: " ", style: cells[i + 1].style)
        }
        cells[i] = cell
    }
}
