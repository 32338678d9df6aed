/// A terminal colour: the terminal's default, one of the 8 basic colours, or an entry of the
/// xterm 256-colour palette.
public enum Color: Hashable, Sendable {
    case `default`
    case black, red, green, yellow, blue, magenta, cyan, white
    /// An xterm palette index: 0–7 basic, 8–15 bright, 16–231 a 6×6×6 cube, 232–255 greys.
    case indexed(UInt8)

    /// The palette index ncurses takes (`-1` for the default colour).
    public var paletteIndex: Int {
        switch self {
        case .default: -1
        case .black: 0
        case .red: 1
        case .green: 2
        case .yellow: 3
        case .blue: 4
        case .magenta: 5
        case .cyan: 6
        case .white: 7
        case .indexed(let n): Int(n)
        }
    }

    /// The nearest of the 8 basic colours (or `.default`), for 8-colour terminals.
    public var basic: Color {
        guard case .indexed(let index) = self else { return self }
        let n = Int(index)
        switch n {
        case 0..<8: return Color.basicColors[n]
        case 8..<16: return Color.basicColors[n - 8]
        case 16..<232:
            // Cube coordinates 0–5; a channel counts as "on" from level 3 (0x87) up,
            // and a colour with all channels at the same level is a grey.
            let r = (n - 16) / 36, g = (n - 16) / 6 % 6, b = (n - 16) % 6
            if r == g && g == b { return r >= 3 ? .white : .black }
            let on = [r, g, b].map { $0 >= 3 || ($0 > 0 && $0 == max(r, g, b)) }
            return Color.basicColors[(on[0] ? 1 : 0) + (on[1] ? 2 : 0) + (on[2] ? 4 : 0)]
        default:
            return n >= 244 ? .white : .black
        }
    }

    /// Whether the colour reads as dark grey or black (used for dim text without colour).
    var isDark: Bool {
        switch self {
        case .black: true
        case .indexed(let n): n == 0 || n == 8 || (232..<244).contains(n) || n == 16
        default: false
        }
    }

    private static let basicColors: [Color] = [.black, .red, .green, .yellow, .blue, .magenta, .cyan, .white]
}

/// How a cell is drawn: colours and attributes.
public struct Style: Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var bold: Bool
    public var dim: Bool
    public var underline: Bool
    public var reverse: Bool

    public init(foreground: Color = .default, background: Color = .default, bold: Bool = false,
                dim: Bool = false, underline: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.underline = underline
        self.reverse = reverse
    }

    /// Default colours, no attributes.
    public static let plain = Style()

    /// This style as a terminal with `mode` can show it (`mode` must be resolved, not `.auto`).
    ///
    /// 256 colours: unchanged. 8 colours: palette colours become their nearest basic colour.
    /// No colour: colours are dropped and stand in as attributes — a background turns on
    /// reverse video, a dark foreground dim, any other foreground bold — so highlighted and
    /// coloured text stays distinguishable.
    public func adapted(to mode: ColorMode) -> Style {
        switch mode {
        case .auto, .colors256:
            return self
        case .colors8:
            var s = self
            s.foreground = foreground.basic
            s.background = background.basic
            return s
        case .monochrome:
            var s = Style(bold: bold, dim: dim, underline: underline, reverse: reverse)
            if background != .default {
                s.reverse = true
            } else if foreground.isDark {
                s.dim = true
            } else if foreground != .default {
                s.bold = true
            }
            return s
        }
    }
}

/// How many colours to use.
public enum ColorMode: Sendable, Hashable {
    /// Decide from the terminal and the environment (see `resolved`).
    case auto
    /// No colours: attributes only.
    case monochrome
    /// The 8 basic colours.
    case colors8
    /// The xterm 256-colour palette.
    case colors256

    /// The mode to draw with, never `.auto`.
    ///
    /// `NO_COLOR` set to anything non-empty (https://no-color.org) gives `.monochrome` for
    /// `.auto`. A mode is never richer than the terminal: `terminalColors` ≥ 256 allows
    /// `.colors256`, ≥ 8 `.colors8`, anything less (or a terminal without colour) `.monochrome`.
    public func resolved(terminalColors: Int, environment: [String: String]) -> ColorMode {
        let supported: ColorMode = terminalColors >= 256 ? .colors256 : terminalColors >= 8 ? .colors8 : .monochrome
        switch self {
        case .auto:
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
            return supported
        case .monochrome:
            return .monochrome
        case .colors8:
            return supported == .monochrome ? .monochrome : .colors8
        case .colors256:
            return supported
        }
    }
}
