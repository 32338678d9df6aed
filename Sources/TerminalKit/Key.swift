/// A key press, independent of curses key codes.
public enum Key: Hashable, Sendable {
    /// A printable character (never a control: those arrive as `ctrl`, `enter`, `tab`, …).
    case char(Character)
    case enter, tab, backTab, backspace, delete, insert, escape
    case up, down, left, right, home, end, pageUp, pageDown
    /// F1–F63.
    case function(Int)
    /// Control plus a lower-case letter, or one of `@ \ ] ^ _` (ctrl-space arrives as `@`).
    /// Ctrl-H, -I, -J, -M and -[ are the same bytes as backspace, tab, enter and escape, and
    /// arrive as those.
    case ctrl(Character)
    /// The terminal changed size; not a bindable key.
    case resize(width: Int, height: Int)
}

/// What reading from the terminal produced.
public enum KeyEvent: Hashable, Sendable {
    case key(Key)
    /// Nothing arrived within the timeout.
    case timeout
    /// The input is gone (terminal hung up): stop reading.
    case endOfInput
}

/// A key name in a keymap file that does not name a key.
public struct KeyNameError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The name as written (sanitised for display).
    public let name: String
    /// Why it was rejected.
    public let reason: String

    public var description: String {
        "unknown key name \"\(name)\": \(reason). Use a single character (q, Q, ?, /), "
            + "space, enter, esc, tab, backtab, backspace, delete, insert, up, down, left, right, "
            + "home, end, pgup, pgdn, f1–f63, or ctrl- with a letter (ctrl-z)"
    }
}

extension Key: CustomStringConvertible {
    /// The canonical name, as `Key(name:)` reads it: `q`, `Q`, `space`, `enter`, `esc`,
    /// `ctrl-z`, `f5`, `pgdn`, …; `resize` for a resize event.
    public var name: String {
        switch self {
        case .char(" "): "space"
        case .char(let c): Sanitizer.sanitize(String(c))
        case .enter: "enter"
        case .tab: "tab"
        case .backTab: "backtab"
        case .backspace: "backspace"
        case .delete: "delete"
        case .insert: "insert"
        case .escape: "esc"
        case .up: "up"
        case .down: "down"
        case .left: "left"
        case .right: "right"
        case .home: "home"
        case .end: "end"
        case .pageUp: "pgup"
        case .pageDown: "pgdn"
        case .function(let n): "f\(n)"
        case .ctrl("@"): "ctrl-space"
        case .ctrl(let c): "ctrl-" + Sanitizer.sanitize(String(c))
        case .resize: "resize"
        }
    }

    public var description: String { name }

    /// Reads a key name from a keymap file: a single printable character stands for itself
    /// (case matters: `q` and `Q` differ); other names ignore case and surrounding spaces and
    /// accept common aliases (`escape`, `return`, `pagedown`, `shift-tab`, `c-x`, `^x`).
    /// - Throws: `KeyNameError` naming the bad name, why it is bad, and what to write instead.
    public init(name rawName: String) throws {
        let trimmed = rawName.trimmingSpaces
        func fail(_ reason: String) -> KeyNameError {
            KeyNameError(name: Sanitizer.sanitize(rawName), reason: reason)
        }
        guard !trimmed.isEmpty else { throw fail("the name is empty (write space for the space bar)") }
        if trimmed.count == 1, let c = trimmed.first {
            guard !c.unicodeScalars.contains(where: Sanitizer.isControl) else {
                throw fail("control characters cannot be written as themselves")
            }
            self = .char(c)
            return
        }
        let lowered = trimmed.lowercased()
        if let named = Key.namedKeys[lowered] {
            self = named
            return
        }
        let digits = lowered.dropFirst()
        if lowered.first == "f", digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) {
            guard (1...63).contains(n) else { throw fail("function keys go from f1 to f63") }
            self = .function(n)
            return
        }
        for prefix in ["ctrl-", "ctrl+", "c-", "^"] where lowered.hasPrefix(prefix) {
            let rest = String(lowered.dropFirst(prefix.count))
            if rest == "space" || rest == "@" || rest == " " {
                self = .ctrl("@")
                return
            }
            guard rest.count == 1, let c = rest.first else {
                throw fail("ctrl- takes one letter or one of @ \\ ] ^ _")
            }
            switch c {
            case "h": self = .backspace
            case "i": self = .tab
            case "j", "m": self = .enter
            case "[": self = .escape
            case "a"..."z", "\\", "]", "^", "_": self = .ctrl(c)
            default: throw fail("ctrl- takes one letter or one of @ \\ ] ^ _")
            }
            return
        }
        if lowered == "resize" { throw fail("resize is an event, not a key") }
        throw fail("no key has this name")
    }

    private static let namedKeys: [String: Key] = [
        "space": .char(" "), "spc": .char(" "),
        "enter": .enter, "return": .enter, "ret": .enter,
        "tab": .tab,
        "backtab": .backTab, "btab": .backTab, "shift-tab": .backTab, "s-tab": .backTab,
        "backspace": .backspace, "bs": .backspace, "bspace": .backspace,
        "delete": .delete, "del": .delete, "dc": .delete,
        "insert": .insert, "ins": .insert, "ic": .insert,
        "esc": .escape, "escape": .escape,
        "up": .up, "down": .down, "left": .left, "right": .right,
        "home": .home, "end": .end,
        "pgup": .pageUp, "pageup": .pageUp, "ppage": .pageUp,
        "pgdn": .pageDown, "pagedown": .pageDown, "npage": .pageDown,
    ]
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
