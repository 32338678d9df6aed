import TerminalKit

/// Command-line output passes through the toolkit's sanitiser: text from data files and
/// models may hold escape sequences, and none may reach the terminal raw.
enum Safe {
    static func text(_ s: String) -> String { Sanitizer.sanitize(s, keepingLineBreaks: true) }
}
