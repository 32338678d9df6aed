import TerminalKit

/// What a key can ask the label screen to do. The raw value is the name a keymap file uses.
public enum Command: String, CaseIterable, Sendable, Hashable {
    case accept
    case acceptAll = "accept-all"
    case next
    case previous = "prev"
    case nextUnlabelled = "next-unlabelled"
    case first, last
    case focusDown = "focus-down"
    case focusUp = "focus-up"
    case undo, redo, comment, search, filter, guideline, help, zoom
    case scrollDown = "scroll-down"
    case scrollUp = "scroll-up"
    case redraw, suspend, quit
}

/// One row of the keymap table: the single truth for default keys, help text and the names a
/// user file rebinds.
public struct KeymapEntry: Sendable, Equatable {
    public var command: Command
    public var defaultKeys: [Key]
    public var help: String
    public var group: String
}

/// Keys → commands for the label screen, generated from `Keymap.table` and changed by user
/// bindings. A key maps to at most one command.
public struct Keymap: Sendable, Equatable {
    /// Every command, its default keys and its help line, in the order help shows them.
    public static let table: [KeymapEntry] = [
        entry(.accept, ["a"], "accept the judge's label on the focused dimension", "label"),
        entry(.acceptAll, ["A"], "accept the judge on every unanswered dimension, then the next sample", "label"),
        entry(.undo, ["u"], "undo the last answer (as far back as this session goes)", "label"),
        entry(.redo, ["r", "ctrl-r"], "redo what was undone", "label"),
        entry(.comment, ["c"], "comment on the sample (on the focused dimension)", "label"),
        entry(.next, ["n", "right"], "next sample", "move"),
        entry(.previous, ["p", "left"], "previous sample", "move"),
        entry(.nextUnlabelled, ["space", "."], "next sample you have not finished", "move"),
        entry(.first, ["home"], "first sample of the queue", "move"),
        entry(.last, ["end"], "last sample of the queue", "move"),
        entry(.focusDown, ["j", "down", "tab"], "focus the next dimension", "move"),
        entry(.focusUp, ["k", "up", "backtab"], "focus the previous dimension", "move"),
        entry(.scrollDown, ["J", "pgdn", "ctrl-d"], "scroll the user's behaviours (or a page) down", "move"),
        entry(.scrollUp, ["K", "pgup", "ctrl-u"], "scroll the user's behaviours (or a page) up", "move"),
        entry(.search, ["/"], "search the queue's outputs and contexts", "find"),
        entry(.filter, ["f"], "filter the queue: unlabelled, judge failed, you ≠ judge, dimension, label", "find"),
        entry(.zoom, ["z"], "read the whole sample: output, item, full context, comments", "view"),
        entry(.guideline, ["g"], "the focused dimension's question, labels, guideline and examples", "view"),
        entry(.help, ["?", "f1"], "this help: the guideline, then every key", "view"),
        entry(.redraw, ["ctrl-l"], "redraw the screen", "view"),
        entry(.suspend, ["ctrl-z"], "suspend to the shell (fg comes back)", "view"),
        entry(.quit, ["q", "ctrl-c"], "quit (every answer shown as saved is on disk)", "view"),
    ]

    private static func entry(_ c: Command, _ keys: [String], _ help: String, _ group: String) -> KeymapEntry {
        // The default names are fixed in the code: a bad one is a programming error caught by tests.
        KeymapEntry(command: c, defaultKeys: keys.compactMap { try? Key(name: $0) }, help: help, group: group)
    }

    private var current: Bindings<Command>

    /// The default keymap.
    public init() {
        current = Bindings(Self.table.map { ($0.command, $0.defaultKeys) })
    }

    /// The keys of each command.
    public var bindings: [Command: [Key]] { current.keys }

    /// The command a key runs, if any.
    public func command(for key: Key) -> Command? { current.name(for: key) }

    /// The keys of a command, in binding order (empty when unbound).
    public func keys(for command: Command) -> [Key] { current.keys(for: command) }

    /// The first key of a command as text for hints ("" when unbound).
    public func hint(_ command: Command) -> String { keys(for: command).first?.name ?? "" }

    /// Gives `command` exactly `keys` (none unbinds it). A key taken from another command
    /// leaves that command: the newest binding wins, as in tig.
    public mutating func bind(_ command: Command, to keys: [Key]) { current.bind(command, to: keys) }

    /// Keys of the keymap that are also a label hotkey of some dimension: pressing them runs
    /// the command, so the label cannot be picked with its hotkey.
    public func shadowedHotkeys(of dimensions: [DimensionHotkeys]) -> [(key: Key, command: Command, label: String, dimension: String)] {
        current.shadowed(dimensions).map { ($0.key, $0.name, $0.label, $0.dimension) }
    }

    /// Help rows in table order: keys (comma-separated names), command name, help text.
    public var helpRows: [(keys: String, command: String, help: String)] {
        Self.table.map { e in
            let ks = keys(for: e.command).map(\.name)
            return (ks.isEmpty ? "(unbound)" : ks.joined(separator: ", "), e.command.rawValue, e.help)
        }
    }
}

/// A dimension's label hotkeys, for conflict checks.
public struct DimensionHotkeys: Sendable, Equatable {
    public var dimension: String
    public var labels: [(Character, String)]

    public init(dimension: String, labels: [(Character, String)]) {
        self.dimension = dimension
        self.labels = labels
    }

    public static func == (a: DimensionHotkeys, b: DimensionHotkeys) -> Bool {
        a.dimension == b.dimension && a.labels.map(\.0) == b.labels.map(\.0) && a.labels.map(\.1) == b.labels.map(\.1)
    }
}
