import TerminalKit

/// What a key can ask the review screen to do. The raw value names it in help and in the
/// `review:` section of a keymap file.
public enum ReviewRequest: String, CaseIterable, Sendable, Hashable {
    case open, samples, back, conflicts
    case labelView = "label-view"
    case down, up, left, right
    case next, previous = "prev"
    case acceptJudge = "accept-judge"
    case undo
    case version, trend, reload
    case help, redraw, suspend, quit
}

/// Keys → requests for the review screen: the one table behind the default bindings and the
/// help, changed by the `review:` section of a keymap file. Label hotkeys (digits in the
/// shipped rubrics) are not in it: on the adjudication view they pick the final label.
public struct ReviewKeymap: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var request: ReviewRequest
        /// The default keys.
        public var keys: [Key]
        public var help: String
    }

    /// Every request, its default keys and its help line, in the order help shows them.
    public static let table: [Entry] = [
        entry(.open, ["enter"], "table: the row's heat map · heat map: the cell's samples in the label view · list: adjudicate the sample"),
        entry(.samples, ["s"], "heat map: the cell's samples as a list, to adjudicate them"),
        entry(.back, ["esc", "b"], "back to the previous view"),
        entry(.conflicts, ["c"], "the conflict queue of the focused row (annotators vs each other vs judge)"),
        entry(.labelView, ["o"], "heat map, list, adjudication: open these samples in the label view, as yourself "
              + "(your labels there are annotator labels; q or esc comes back here)"),
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

    private var current: Bindings<ReviewRequest>

    /// The default bindings.
    public init() {
        current = Bindings(Self.table.map { ($0.request, $0.keys) })
    }

    public func request(for key: Key) -> ReviewRequest? { current.name(for: key) }

    /// The keys of a request, in binding order (empty when unbound).
    public func keys(for request: ReviewRequest) -> [Key] { current.keys(for: request) }

    /// Gives `request` exactly `keys` (none unbinds it); a key taken from another request
    /// leaves that request.
    public mutating func bind(_ request: ReviewRequest, to keys: [Key]) { current.bind(request, to: keys) }

    /// The first key of a request as text for hints ("" when unbound).
    public func hint(_ r: ReviewRequest) -> String { keys(for: r).first?.name ?? "" }

    /// Bound keys that are also a label hotkey: on the adjudication view they run the request
    /// instead of choosing the label.
    public func shadowedHotkeys(of dimensions: [DimensionHotkeys]) -> [(key: Key, request: ReviewRequest, label: String, dimension: String)] {
        current.shadowed(dimensions).map { ($0.key, $0.name, $0.label, $0.dimension) }
    }

    /// Help rows in table order with the effective keys: keys, request name, help text.
    public var helpRows: [(keys: String, request: String, help: String)] {
        Self.table.map { e in
            let ks = keys(for: e.request).map(\.name)
            return (ks.isEmpty ? "(unbound)" : ks.joined(separator: ", "), e.request.rawValue, e.help)
        }
    }
}
