import TerminalKit

/// What a screen last put on the terminal, so it draws only when the frame or the cursor
/// changed (or a full repaint was asked for).
struct Presenter {
    private var shown: Grid?
    private var shownCursor: (x: Int, y: Int)?

    /// Forgets what is on screen: the next `present` draws everything.
    mutating func invalidate() { shown = nil }

    @MainActor mutating func present(_ grid: Grid, cursor: (x: Int, y: Int)?, on terminal: any TerminalDevice, force: Bool = false) {
        if grid != shown || force {
            terminal.draw(grid)
            shown = grid
        }
        if cursor?.x != shownCursor?.x || cursor?.y != shownCursor?.y {
            if let cursor { terminal.showCursor(at: cursor) } else { terminal.hideCursor() }
            shownCursor = cursor
        }
    }
}
