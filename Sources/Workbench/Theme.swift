import TerminalKit

/// The label screen's styles. Every distinction they draw is also made in text (✓ ✗ ▶ ≠ …),
/// so the screen reads the same with 8 colours or none (the backend adapts each style).
enum Theme {
    static let bar = Style(foreground: .black, background: .cyan)
    static let barStrong = Style(foreground: .black, background: .cyan, bold: true)
    static let status = Style(foreground: .black, background: .white)
    static let statusStrong = Style(foreground: .black, background: .white, bold: true)
    static let statusAlert = Style(foreground: .white, background: .red, bold: true)
    static let section = Style(foreground: .cyan, bold: true)
    // Dim, not a grey: a grey turns to black (unreadable) with 8 colours and to bold with none.
    static let label = Style(dim: true)
    static let quiet = Style(dim: true)
    static let text = Style.plain
    static let strong = Style(bold: true)
    static let pass = Style(foreground: .green, bold: true)
    static let fail = Style(foreground: .red, bold: true)
    static let differs = Style(foreground: .yellow, bold: true)
    static let focus = Style(bold: true, reverse: true)
    static let notice = Style(foreground: .cyan)
    static let error = Style(foreground: .white, background: .red, bold: true)
    static let match = Style(foreground: .black, background: .yellow)
    static let prompt = Style(foreground: .yellow, bold: true)
    static let key = Style(foreground: .yellow)

    /// A behaviour type's style in the timeline: intentional behaviours stand out.
    static func behaviour(_ type: String) -> Style {
        switch type {
        case "purchase": Style(foreground: .magenta, bold: true)
        case "cart": Style(foreground: .yellow)
        case "favorite", "favourite": Style(foreground: .yellow)
        case "search": Style(foreground: .cyan)
        default: Style(dim: true)
        }
    }
}
