import TerminalKit

/// Why the terminal could not be opened.
public enum TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Standard input or output (named in `stream`) is not a terminal.
    case notATerminal(stream: String)
    /// ncurses does not know the terminal type named by `TERM` (nil when unset).
    case cannotOpenTerminal(term: String?)

    public var description: String {
        switch self {
        case .notATerminal(let stream):
            "\(stream) is not a terminal; the workbench needs an interactive terminal (run it in a terminal or tmux, not with redirected input or output)"
        case .cannotOpenTerminal(let term?):
            "cannot open terminal of type TERM=\(Sanitizer.sanitize(term)); set TERM to a type this system knows, such as xterm-256color"
        case .cannotOpenTerminal(nil):
            "cannot open terminal: TERM is not set; set it to your terminal type, such as xterm-256color"
        }
    }
}
