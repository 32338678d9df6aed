import CNCursesW
import TerminalKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ncurses screen: draws `Grid`s and turns ncurses input into `Key`s. The only place in
/// recjudge that calls curses; every call stays on the main actor because ncurses is not
/// thread-safe.
///
/// Input runs in raw mode: ctrl-c, ctrl-z and ctrl-\ arrive as keys (`.ctrl("c")`, …) rather
/// than signals, so a keypress can never kill the program halfway through a store write; the
/// program decides what they do (see `suspend`). ESC waits 25 ms for the rest of a sequence.
@MainActor
public final class CursesTerminal: TerminalDevice {
    /// The colour mode in use (resolved: never `.auto`).
    public let colorMode: ColorMode

    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private let defaultColorsWork: Bool
    private let pairLimit: Int
    private var pairs: [PairKey: Int16] = [:]
    private var shown: Grid?
    private var cursorPosition: (x: Int, y: Int)?
    private var fruitlessReads = 0
    private var closed = false

    /// Opens the terminal on standard input and output and switches to full-screen mode.
    ///
    /// `.auto` picks 256 colours, 8 or none from the terminal's colour count and `NO_COLOR`;
    /// an explicit mode is capped at what the terminal supports.
    /// - Throws: `TerminalError` when standard input or output is not a terminal or `TERM`
    ///   names no known terminal type; the terminal is left untouched then.
    public init(colorMode: ColorMode = .auto) throws {
        guard isatty(STDIN_FILENO) == 1 else { throw TerminalError.notATerminal(stream: "standard input") }
        guard isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal(stream: "standard output") }
        enableUTF8Locale()
        let term = getenv("TERM").map { String(cString: $0) }
        guard let term, !term.isEmpty else { throw TerminalError.cannotOpenTerminal(term: nil) }
        guard let screen = newterm(nil, cnc_stdout(), cnc_stdin()) else {
            throw TerminalError.cannotOpenTerminal(term: term)
        }
        set_term(screen)
        guard let window = cnc_stdscr() else {
            endwin()
            delscreen(screen)
            throw TerminalError.cannotOpenTerminal(term: term)
        }
        self.screen = screen
        self.window = window

        raw()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        curs_set(0)
        CursesKeys.defineExtraKeys()

        var colors = 0
        var defaultColors = false
        if has_colors() {
            start_color()
            defaultColors = use_default_colors() == OK
            colors = Int(cnc_colors())
        }
        defaultColorsWork = defaultColors
        pairLimit = min(Int(cnc_color_pairs()), Int(Int16.max))
        let noColor = getenv("NO_COLOR").map { String(cString: $0) }
        self.colorMode = colorMode.resolved(terminalColors: colors,
                                            environment: noColor.map { ["NO_COLOR": $0] } ?? [:])
    }

    isolated deinit {
        close()
    }

    /// The terminal's size in cells.
    public var size: (width: Int, height: Int) {
        (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    /// Shows `grid`, rewriting only the rows that differ from the last grid drawn (everything
    /// after a resize, a size change or `invalidate`). Cells beyond the terminal are not drawn;
    /// a wide character cut by the right edge shows as a space.
    public func draw(_ grid: Grid) {
        guard !closed else { return }
        let (width, height) = size
        let full = shown.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { werase(window) }
        for y in 0..<min(grid.height, height) {
            if !full, let old = shown, old.row(y) == grid.row(y) { continue }
            drawRow(y, of: grid, terminalWidth: width)
        }
        shown = grid
        placeCursor()
        wnoutrefresh(window)
        doupdate()
    }

    /// Forgets what is on screen so the next `draw` repaints all of it (after ctrl-l, or when
    /// something else wrote to the terminal).
    public func invalidate() {
        guard !closed else { return }
        shown = nil
        clearok(window, true)
    }

    /// Waits up to `timeoutMilliseconds` (negative: without limit) for a key.
    ///
    /// Returns `.resize` with the new size when the terminal changed size, `.timeout` when
    /// nothing came in time, and `.endOfInput` once the terminal has hung up (or after `close`);
    /// it never spins on a dead input. Keys ncurses reports that have no `Key` are skipped.
    /// The wait blocks the main thread: while async work must make progress, call it with 0
    /// and sleep between calls. Pasted text arrives as one `.char` per call; drain with 0
    /// before redrawing.
    public func readKey(timeoutMilliseconds: Int) -> KeyEvent {
        guard !closed else { return .endOfInput }
        let clock = ContinuousClock()
        let deadline = timeoutMilliseconds < 0 ? nil : clock.now.advanced(by: .milliseconds(timeoutMilliseconds))
        while true {
            switch decodeKey() {
            case .key(let key):
                fruitlessReads = 0
                return .key(key)
            case .ignored:
                fruitlessReads = 0
                continue
            case .nothing:
                break
            }
            var wait: Int32 = -1
            if let deadline {
                let left = clock.now.duration(to: deadline)
                if left <= .zero { return .timeout }
                let ms = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
                wait = Int32(clamping: max(1, ms))
            }
            var request = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&request, 1, wait)
            if ready == 0 { return .timeout }
            if ready < 0 {
                if errno == EINTR { continue }  // SIGWINCH: ncurses now has KEY_RESIZE queued
                return .endOfInput
            }
            let hungUp = request.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
            switch decodeKey() {
            case .key(let key):
                fruitlessReads = 0
                return .key(key)
            case .ignored:
                fruitlessReads = 0
            case .nothing:
                // Readable yet nothing to decode means end of file; allow a few for stray bytes.
                fruitlessReads += 1
                if hungUp || fruitlessReads >= 20 { return .endOfInput }
            }
        }
    }

    /// Shows the text cursor at a cell, now and after every `draw`, until `hideCursor`.
    public func showCursor(at position: (x: Int, y: Int)) {
        guard !closed else { return }
        cursorPosition = position
        curs_set(1)
        placeCursor()
        wnoutrefresh(window)
        doupdate()
    }

    /// Hides the text cursor.
    public func hideCursor() {
        guard !closed else { return }
        cursorPosition = nil
        curs_set(0)
    }

    /// Gives the terminal back to the shell for a job-control stop (what ctrl-z does elsewhere)
    /// and repaints when the program is continued.
    public func suspend() {
        guard !closed else { return }
        endwin()
        raise(SIGTSTP)
        if let grid = shown {
            invalidate()
            draw(grid)
        } else {
            doupdate()
        }
    }

    /// Restores the terminal (leaves full-screen mode); later calls, and all other methods
    /// afterwards, do nothing. Also done when the terminal is released.
    public func close() {
        guard !closed else { return }
        closed = true
        curs_set(1)
        endwin()
        delscreen(screen)
    }

    // MARK: - Drawing

    private struct PairKey: Hashable {
        let foreground: Int
        let background: Int
    }

    private func drawRow(_ y: Int, of grid: Grid, terminalWidth: Int) {
        let columns = min(grid.width, terminalWidth)
        var x = 0
        while x < columns {
            let cell = grid[x, y]
            defer { x += 1 }
            guard let scalar = cell.scalar else { continue }
            let (attributes, pair) = rendition(of: cell.style)
            let wide = grid[x + 1, y].isContinuation
            if wide && x + 1 >= columns {
                cnc_put(window, Int32(y), Int32(x), wchar_t(32), attributes, pair)
                continue
            }
            var text: [wchar_t] = [safe(scalar)]
            for mark in cell.marks where !Sanitizer.isControl(mark) {
                text.append(wchar_t(bitPattern: mark.value))
            }
            cnc_put_n(window, Int32(y), Int32(x), text, Int32(text.count), attributes, pair)
        }
    }

    /// Grids only ever hold sanitised text; this is a last guard so that a bug elsewhere
    /// can never send a control character to the terminal.
    private func safe(_ scalar: Unicode.Scalar) -> wchar_t {
        Sanitizer.isControl(scalar) ? wchar_t(0xFFFD) : wchar_t(bitPattern: scalar.value)
    }

    private func rendition(of style: Style) -> (attr_t, Int16) {
        let shown = style.adapted(to: colorMode)
        var attributes = cnc_a_normal()
        if shown.bold { attributes |= cnc_a_bold() }
        if shown.dim { attributes |= cnc_a_dim() }
        if shown.underline { attributes |= cnc_a_underline() }
        if shown.reverse { attributes |= cnc_a_reverse() }
        guard colorMode != .monochrome else { return (attributes, 0) }
        return (attributes, pairNumber(foreground: shown.foreground, background: shown.background))
    }

    /// The colour pair for two colours, allocated on first use; pair 0 (default colours)
    /// once the terminal's pairs run out.
    private func pairNumber(foreground: Color, background: Color) -> Int16 {
        var fg = foreground.paletteIndex, bg = background.paletteIndex
        if !defaultColorsWork {
            if fg < 0 { fg = Color.white.paletteIndex }
            if bg < 0 { bg = Color.black.paletteIndex }
        }
        if fg < 0 && bg < 0 { return 0 }
        let key = PairKey(foreground: fg, background: bg)
        if let pair = pairs[key] { return pair }
        guard pairs.count + 1 < pairLimit else { return 0 }
        let pair = Int16(pairs.count + 1)
        guard init_pair(pair, Int16(fg), Int16(bg)) == OK else { return 0 }
        pairs[key] = pair
        return pair
    }

    private func placeCursor() {
        guard let position = cursorPosition else { return }
        let (width, height) = size
        wmove(window, Int32(min(max(0, position.y), max(0, height - 1))),
              Int32(min(max(0, position.x), max(0, width - 1))))
    }

    // MARK: - Input

    private enum Decoded {
        case key(Key)
        case ignored
        case nothing
    }

    /// Takes one key from what ncurses has buffered or can read without waiting.
    private func decodeKey() -> Decoded {
        wtimeout(window, 0)
        var code: wint_t = 0
        switch wget_wch(window, &code) {
        case KEY_CODE_YES:
            let keycode = Int32(bitPattern: code)
            if keycode == KEY_RESIZE {
                invalidate()
                let (width, height) = size
                return .key(.resize(width: width, height: height))
            }
            return CursesKeys.key(forKeycode: keycode).map(Decoded.key) ?? .ignored
        case OK:
            return CursesKeys.key(forCharacter: UInt32(code)).map(Decoded.key) ?? .ignored
        default:
            return .nothing
        }
    }
}
