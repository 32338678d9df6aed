import CNCursesW
import TerminalKit

/// Translation from what `wget_wch` returns to `Key`. Only `CursesTerminal` uses it.
enum CursesKeys {
    /// The key for a character `wget_wch` returned with OK; nil for one that is no key.
    /// Control bytes become the keys they are typed as: 13 and 10 enter, 9 tab, 27 escape,
    /// 127 and 8 backspace, 0 ctrl-space, 1–26 ctrl-a…ctrl-z, 28–31 ctrl-\ ] ^ _.
    static func key(forCharacter value: UInt32) -> Key? {
        switch value {
        case 10, 13: return .enter
        case 9: return .tab
        case 27: return .escape
        case 8, 127: return .backspace
        case 0: return .ctrl("@")
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(value + 96))))
        case 28: return .ctrl("\\")
        case 29: return .ctrl("]")
        case 30: return .ctrl("^")
        case 31: return .ctrl("_")
        default:
            guard let scalar = Unicode.Scalar(value), !Sanitizer.isControl(scalar) else { return nil }
            return .char(Character(scalar))
        }
    }

    /// The key for a keycode `wget_wch` returned with KEY_CODE_YES (other than KEY_RESIZE);
    /// nil for keys recjudge has no name for. Find/Select and the keypad corners count as
    /// Home/End/PgUp/PgDn, as terminals send them for those keys.
    static func key(forKeycode code: Int32) -> Key? {
        let f0 = cnc_key_f0()
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME, KEY_FIND, KEY_A1: return .home
        case KEY_END, KEY_SELECT, KEY_C1: return .end
        case KEY_PPAGE, KEY_A3: return .pageUp
        case KEY_NPAGE, KEY_C3: return .pageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case (f0 + 1)...(f0 + 63): return .function(Int(code - f0))
        default: return nil
        }
    }

    /// Teaches ncurses Home and End as tmux, screen and rxvt send them, where the terminfo
    /// entry lacks them. Call after `newterm`.
    static func defineExtraKeys() {
        let extra: [(String, Int32)] = [
            ("\u{1B}[1~", KEY_HOME), ("\u{1B}[4~", KEY_END), ("\u{1B}[7~", KEY_HOME), ("\u{1B}[8~", KEY_END),
            ("\u{1B}[H", KEY_HOME), ("\u{1B}[F", KEY_END), ("\u{1B}OH", KEY_HOME), ("\u{1B}OF", KEY_END),
        ]
        for (sequence, code) in extra where key_defined(sequence) == 0 {
            define_key(sequence, code)
        }
    }
}
