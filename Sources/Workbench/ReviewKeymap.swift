import TerminalKit

/// What a key can ask the review screen to do. The raw value names it in help.
public enum ReviewRequest: String, CaseIterable, Sendable, Hashable {
    case open, back, conflicts
    case down, up, left, right
    case next, previous = "prev"
    case acceptJudge = "accept-judge"
    case undo
    case version, trend, reload
    case help, redraw, suspend, quit
}

/// Keys → requests for the review screen: the one table behind the bindings and the help.
/// Label hotkeys (digits in the shipped rubrics) are not in it: on the adjudication view they
/// pick the final label of the focused dimension.
public struct ReviewKeymap: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var request: ReviewRequest
        public var keys: [Key]
        public var help: String
    }

    /// Every request, its keys and its help line, in the order help shows them.
    public static let table: [Entry] = [
        entry(.open, ["enter"], "table: the row's heat map · heat map: the cell's samples · list: adjudicate the sample"),
        entry(.back, ["esc", "b"], "back to the previous view"),
        entry(.conflicts, ["c"], "the conflict queue of the focused row (annotators vs each other vs judge)"),
        entry(.down, ["j", "down", "tab"], "next row · next dimension"),
        entry(.up, ["k", "up", "backtab"], "previous row · previous dimension"),
        entry(.left, ["h", "left"], "heat map: previous column"),
        entry(.right, ["l", "right"], "heat map: next column"),
        entry(.next, ["n", "pgdn"], "adjudication: next sample of the queue"),
        entry(.previous, ["p", "pgup"], "adjudication: previous sample of the queue"),
        entry(.acceptJudge, ["a"], "adjudication: take the judge's label as final (then type the reason)"),
        entry(.undo, ["u"], "withdraw your last adjudication of this session (restores the one before)"),
        entry(.version, ["v"], "next judge version (the table, heat map and queues follow it)"),
        entry(.trend, ["w"], "chart per judge version ⇄ per week"),
        entry(.reload, ["r"], "recompute the figures from the store"),
        entry(.help, ["?", "f1"], "this help"),
        entry(.redraw, ["ctrl-l"], "redraw the screen"),
        entry(.suspend, ["ctrl-z"], "suspend to the shell (fg comes back)"),
        entry(.quit, ["q", "ctrl-c"], "quit (every adjudication shown as saved is on disk)"),
    ]

    private static func entry(_ r: ReviewRequest, _ keys: [String], _ help: String) -> Entry {
        // The default names are fixed in the code: a bad one is a programming error caught by tests.
        Entry(request: r, keys: keys.compactMap { try? Key(name: $0) }, help: help)
    }

    private var lookup: [Key: ReviewRequest] = [:]

    public init() {
        for e in Self.table { for k in e.keys where lookup[k] == nil { lookup[k] = e.request } }
    }

    public func request(for key: Key) -> ReviewRequest? { lookup[key] }

    /// The first key of a request as text for hints.
    public func hint(_ r: ReviewRequest) -> String { Self.table.first { $0.request == r }?.keys.first?.name ?? "" }

    /// Help rows in table order: keys, request name, help text.
    public var helpRows: [(keys: String, request: String, help: String)] {
        Self.table.map { ($0.keys.map(\.name).joined(separator: ", "), $0.request.rawValue, $0.help) }
    }
}
