import Domain
import Store
import TerminalKit

/// The judge version whose verdicts the label screen shows.
public struct JudgeShown: Sendable, Equatable {
    public var id: Int64
    public var judge: String
    /// The version hash (16 hex digits).
    public var version: String

    public init(id: Int64, judge: String, version: String) {
        self.id = id; self.judge = judge; self.version = version
    }
}

/// Where the label screen's queue comes from.
public enum LabelQueueSource: Sendable, Equatable {
    /// The annotator's claims under the session's assignment policy (`recjudge label`).
    case claims
    /// A fixed list of samples handed over by the review screen.
    case list(SampleList)
}

/// A fixed list of samples to label, from a review heat-map cell or queue.
///
/// Opening it claims nothing and takes no one's lease: the screen walks the list as given.
/// An answer is recorded like any label (`Store.recordLabels`), which gives the annotator
/// their own assignment on that sample (done once every dimension is answered), exactly as
/// a label on a sample whose lease went to someone else does.
public struct SampleList: Sendable, Equatable {
    /// What the list is, for the header ("relevance · reference yes × judge no").
    public var title: String
    public var samplePKs: [Int64]
    /// Index of the sample to open first.
    public var start: Int
    /// Sample → dimensions where the annotator's own standing decision is a lead's
    /// adjudication. They are read-only here: a label would append an annotator decision
    /// that replaces the adjudication with a vote.
    public var adjudicated: [Int64: Set<String>]

    public init(title: String, samplePKs: [Int64], start: Int = 0, adjudicated: [Int64: Set<String>] = [:]) {
        self.title = title; self.samplePKs = samplePKs; self.start = start; self.adjudicated = adjudicated
    }
}

/// What stays fixed while an annotator works: who, on what, with which judge and keys.
public struct LabelSetup: Sendable, Equatable {
    public var session: String
    public var task: String
    public var annotator: String
    public var rubric: Rubric
    /// Hide the judge's column on a sample until the annotator has answered every dimension.
    public var blind: Bool
    /// nil when no judge has verdicts for the task.
    public var judge: JudgeShown?
    public var policy: AssignmentPolicy
    public var keymap: Keymap
    /// Samples claimed at a time.
    public var claimBatch: Int
    /// Claim more when this few unclaimed-ahead samples are left in the queue.
    public var claimAhead: Int
    public var source: LabelQueueSource

    public init(session: String, task: String, annotator: String, rubric: Rubric, blind: Bool = false,
                judge: JudgeShown? = nil, policy: AssignmentPolicy = AssignmentPolicy(), keymap: Keymap = Keymap(),
                claimBatch: Int = 50, claimAhead: Int = 10, source: LabelQueueSource = .claims) {
        self.session = session; self.task = task; self.annotator = annotator; self.rubric = rubric
        self.blind = blind; self.judge = judge; self.policy = policy; self.keymap = keymap
        self.claimBatch = max(1, claimBatch); self.claimAhead = max(0, claimAhead); self.source = source
    }

    public var dimensions: [String] { rubric.dimensions.map(\.key) }

    /// The fixed list the screen walks (nil: the annotator's claims).
    public var list: SampleList? {
        if case .list(let l) = source { return l }
        return nil
    }
}

/// One dimension's answer changed by one keypress: the unit undo and redo work on.
public struct Edit: Sendable, Equatable {
    public var dimension: String
    public var before: String?
    public var after: String?

    public init(dimension: String, before: String?, after: String?) {
        self.dimension = dimension; self.before = before; self.after = after
    }
}

/// Everything one keypress changed on one sample.
public struct Change: Sendable, Equatable {
    public var samplePK: Int64
    public var sampleID: String
    public var edits: [Edit]
}

/// A store write the screen waits for before it says "saved".
public struct PendingWrite: Sendable, Equatable {
    public var change: Change
    /// Whether the change came from undo (its reversal must leave the redo stack alone).
    public var kind: DecisionAction
}

/// A terminal size in cells.
public struct Viewport: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }
}

/// Where to go once a claim returns.
public enum Advance: Sendable, Equatable {
    /// The first sample the claim added.
    case next
    /// The first unfinished sample (wrapping to the start when the claim added none).
    case unlabelled
}

/// What the label screen is doing besides showing the sample.
public enum Mode: Sendable, Equatable {
    case browse
    /// Typing a comment (on the focused dimension).
    case comment(LineEditor)
    /// Typing a search.
    case search(LineEditor)
    /// The filter menu.
    case filterMenu
    /// Typing the label for the label filter.
    case filterLabel(LineEditor)
    /// Full-body pages, scrolled by `scroll` lines.
    case help(scroll: Int)
    case guideline(scroll: Int)
    case zoom(scroll: Int)
}

/// A line shown in place of the key hints until the next key.
public struct Notice: Sendable, Equatable {
    public var text: String
    public var isError: Bool

    public init(_ text: String, isError: Bool = false) {
        self.text = text; self.isError = isError
    }
}

/// The label screen as a plain value: `update` changes it, `render` draws it.
public struct LabelState: Sendable, Equatable {
    public var setup: LabelSetup

    /// The annotator's claimed samples of the task, in the order they were claimed.
    public var claimed: [Int64] = []
    /// Those the annotator has finished (every dimension answered, as the store confirmed).
    public var done: Set<Int64> = []
    /// The queue as filtered: what next and previous walk through.
    public var visible: [Int64] = []
    public var filter = QueueFilter()
    /// Index into `visible` of the sample on screen (or of the nearest one when the sample on
    /// screen is not in the filtered queue).
    public var position = 0
    /// The sample on screen, by key, and its loaded content (nil while loading).
    public var currentPK: Int64?
    public var current: SampleForLabelling?
    /// The current sample's behaviours, newest first (sorted once, when it loads).
    public var timeline: [Behavior] = []
    /// Focused dimension (index into the rubric's dimensions).
    public var focus = 0
    public var mode: Mode = .browse
    /// First behaviour shown in the context pane.
    public var contextScroll = 0

    /// True once the queue has been listed (before that the screen says "opening").
    public var opened = false
    /// True when a claim found no more work for this annotator.
    public var exhausted = false
    /// Where to move when the claim in flight returns.
    public var pendingAdvance: Advance?
    /// A claim is in flight (at most one at a time).
    public var claiming = false

    public var undoStack: [Change] = []
    public var redoStack: [Change] = []
    /// Writes sent to the store and not yet confirmed, by request number.
    public var pending: [Int: PendingWrite] = [:]
    public var nextRequest = 1
    /// Writes confirmed this session.
    public var savedCount = 0
    /// The last write failed with this (cleared by the next successful write).
    public var saveError: String?

    public var notice: Notice?
    /// The last search, highlighted on screen.
    public var searchTerm = ""
    /// Seconds since 1970 of the last lease renewal (ticks renew when it is old).
    public var lastRenewal: Double = 0
    /// A key was pressed since the last renewal (idle annotators let their leases run out).
    public var activeSinceRenewal = false
    /// Comments sent to the store and not yet confirmed.
    public var commentsPending = 0
    /// The terminal's size, for clamping scrolls (render takes the size it draws at).
    public var viewport = Viewport(width: 80, height: 24)
    public var quitting = false
    /// Quit with ctrl-c: a screen that opened this one stops too.
    public var interrupted = false

    /// A fresh screen; warns on the hint line when a key binding hides a label hotkey.
    public init(setup: LabelSetup) {
        self.setup = setup
        let hotkeys = setup.rubric.dimensions.map { d in DimensionHotkeys(dimension: d.key, labels: d.labels.map { ($0.hotkey, $0.key) }) }
        if let clash = setup.keymap.shadowedHotkeys(of: hotkeys).first {
            notice = Notice("key \(clash.key.name) runs \(clash.command.rawValue), so it cannot pick \(clash.label) on \(clash.dimension): rebind one of them",
                            isError: true)
        }
    }

    // MARK: Derived

    public var dimensions: [Dimension] { setup.rubric.dimensions }

    public var focusedDimension: Dimension? {
        dimensions.indices.contains(focus) ? dimensions[focus] : nil
    }

    /// Whether the judge's column may be shown on the current sample: always unless blind;
    /// in blind mode once every dimension has the annotator's answer.
    public var judgeVisible: Bool {
        guard setup.judge != nil else { return false }
        guard setup.blind else { return true }
        guard let current else { return false }
        return dimensions.allSatisfy { current.labels[$0.key] != nil }
    }

    /// Whether claims may add to the visible queue (new claims are unlabelled, so they pass
    /// an empty or "unlabelled" filter and nothing else).
    public var claimsJoinView: Bool {
        guard setup.list == nil else { return false }
        var f = filter
        f.unlabelled = false
        f.dimension = nil
        return f.isEmpty
    }

    public var isSaving: Bool { !pending.isEmpty || commentsPending > 0 }

    /// Whether the annotator's standing decision on the current sample's `dimension` is their
    /// adjudication (on a review list), which this screen must not overwrite.
    public func isAdjudicated(_ dimension: String) -> Bool {
        guard let pk = currentPK, let list = setup.list else { return false }
        return list.adjudicated[pk]?.contains(dimension) ?? false
    }
}
