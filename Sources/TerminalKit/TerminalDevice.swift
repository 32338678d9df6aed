/// What a screen runtime needs from a terminal: draw a grid, read keys. `CursesTerminal`
/// is the real one; tests can supply a scripted one.
@MainActor
public protocol TerminalDevice: AnyObject {
    /// Current size in cells.
    var size: (width: Int, height: Int) { get }
    /// Shows `grid`; cells outside the terminal are not drawn.
    func draw(_ grid: Grid)
    /// Waits up to `timeoutMilliseconds` (negative: forever) for a key.
    func readKey(timeoutMilliseconds: Int) -> KeyEvent
    /// Shows the text cursor at a cell (for text fields) from the next draw on.
    func showCursor(at position: (x: Int, y: Int))
    /// Hides the text cursor.
    func hideCursor()
    /// Gives the terminal back to the shell; later calls do nothing.
    func close()
}
