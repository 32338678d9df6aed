import Domain
import Store
import TerminalKit

/// What stays fixed while a lead reviews a task.
public struct ReviewSetup: Sendable, Equatable {
    public var session: String
    public var task: String
    /// Who adjudicates (the decisions' annotator, with the lead role).
    public var lead: String
    public var rubric: Rubric
    /// Judge versions with verdicts for the task, oldest first (empty: no judge).
    public var judges: [JudgeShown]
    /// Unanimous samples (≥ 2 annotators and the judge agree) stay out of the queues.
    public var settleUnanimous: Bool
    public var keymap: ReviewKeymap
    /// For the label view the review opens over a cell's samples: its keys, and the policy
    /// its answers are recorded under.
    public var labelKeymap: Keymap
    public var policy: AssignmentPolicy

    public init(session: String, task: String, lead: String, rubric: Rubric, judges: [JudgeShown] = [],
                settleUnanimous: Bool = true, keymap: ReviewKeymap = ReviewKeymap(), labelKeymap: Keymap = Keymap(),
                policy: AssignmentPolicy = AssignmentPolicy()) {
        self.session = session; self.task = task; self.lead = lead; self.rubric = rubric
        self.judges = judges; self.settleUnanimous = settleUnanimous; self.keymap = keymap
        self.labelKeymap = labelKeymap; self.policy = policy
    }

    public var dimensions: [String] { rubric.dimensions.map(\.key) }
}

/// Which view of the review screen is up.
public enum ReviewView: Sendable, Equatable {
    /// The agreement table and the trend chart.
    case table
    /// The focused row's confusion-matrix heat map.
    case heatMap
    /// The samples behind a row or a cell.
    case queue
    /// One sample: every label side by side; the lead sets the final one.
    case adjudicate
}

/// What the lead is typing or reading on top of a view.
public enum ReviewMode: Sendable, Equatable {
    case browse
    /// Typing the reason for `label` on `dimension`.
    case reason(LineEditor, dimension: String, label: String)
    case help(scroll: Int)
}

/// An adjudication the lead made this session: the unit undo works on.
public struct AdjudicationChange: Sendable, Equatable {
    public var samplePK: Int64
    public var sampleID: String
    public var dimension: String
    public var before: StandingAdjudication?
    public var after: StandingAdjudication?
}

/// A write the screen waits for before it says "saved".
public struct PendingAdjudication: Sendable, Equatable {
    public var change: AdjudicationChange
    /// The write undoes `change` (it was popped from the undo stack).
    public var isUndo: Bool
}

/// The review screen as a plain value: `update` changes it, `render` draws it.
public struct ReviewState: Sendable, Equatable {
    public var setup: ReviewSetup
    /// Index into `setup.judges` of the version shown (nil: no judge).
    public var judgeIndex: Int?
    /// nil until the figures are read.
    public var data: ReviewData?
    public var loadError: String?
    public var view: ReviewView = .table
    public var mode: ReviewMode = .browse
    /// Focused table row (dimensions in rubric order, then "all").
    public var row = 0
    /// Focused heat-map cell.
    public var cellRow = 0
    public var cellColumn = 0
    public var queue: ReviewQueue?
    /// Focused line of the queue (and the sample being adjudicated).
    public var queuePosition = 0
    /// The view `back` returns to from the queue.
    public var queueFrom: ReviewView = .table
    public var currentPK: Int64?
    public var current: SampleForReview?
    /// Focused dimension on the adjudication view.
    public var focus = 0
    /// The chart shows weeks instead of judge versions.
    public var trendByWeek = false

    public var undoStack: [AdjudicationChange] = []
    /// Writes sent and not yet confirmed, by request number.
    public var pending: [Int: PendingAdjudication] = [:]
    public var nextRequest = 1
    public var savedCount = 0
    /// Labels (annotator decisions) saved in label views opened from here.
    public var labelsSaved = 0
    public var saveError: String?
    public var notice: Notice?
    public var viewport = Viewport(width: 80, height: 24)
    public var quitting = false

    /// A fresh screen; warns on the hint line when a key binding hides a label hotkey.
    public init(setup: ReviewSetup) {
        self.setup = setup
        judgeIndex = setup.judges.isEmpty ? nil : setup.judges.count - 1
        let hotkeys = setup.rubric.dimensions.map { d in DimensionHotkeys(dimension: d.key, labels: d.labels.map { ($0.hotkey, $0.key) }) }
        if let clash = setup.keymap.shadowedHotkeys(of: hotkeys).first {
            notice = Notice("key \(clash.key.name) runs \(clash.request.rawValue), so it cannot pick \(clash.label) on \(clash.dimension) "
                            + "when adjudicating: rebind one of them", isError: true)
        }
    }

    // MARK: Derived

    public var judge: JudgeShown? { judgeIndex.map { setup.judges[$0] } }
    public var dimensions: [Dimension] { setup.rubric.dimensions }
    /// Table rows: the dimensions, then nil for "every dimension passes".
    public var rowDimensions: [String?] { setup.dimensions.map { Optional($0) } + [nil] }
    public var focusedRowDimension: String? { rowDimensions.indices.contains(row) ? rowDimensions[row] : nil }
    public var focusedDimension: Dimension? { dimensions.indices.contains(focus) ? dimensions[focus] : nil }
    public var isSaving: Bool { !pending.isEmpty }

    public func item(_ pk: Int64) -> ReviewItem? { data?.items.first { $0.samplePK == pk } }

    /// The heat map of the focused row.
    public var heatMap: HeatMap? {
        data.map { ReviewRules.heatMap($0.items, dimension: focusedRowDimension, rubric: setup.rubric) }
    }
}

/// What happens to the review screen: a key or the result of an effect.
public enum ReviewAction: Sendable, Equatable {
    case key(Key)
    case resized(width: Int, height: Int)
    case loaded(ReviewData)
    case loadFailed(String)
    case sampleLoaded(SampleForReview)
    case sampleFailed(samplePK: Int64, message: String)
    /// An adjudication is on disk.
    case recorded(request: Int)
    case recordFailed(request: Int, message: String)
    /// The label view opened over a list came back: what it saved, and whether it was left
    /// with ctrl-c (which quits the review too).
    case labelClosed(saved: Int, interrupted: Bool)
    /// The label view could not be opened.
    case labelFailed(String)
}

/// Work for the runtime. Results come back as `ReviewAction`s.
public enum ReviewEffect: Sendable, Equatable {
    /// Read the figures and reviewed samples for a judge version → `.loaded`.
    case load(judgeVersionID: Int64?)
    /// Read one sample for adjudication → `.sampleLoaded`.
    case loadSample(Int64, judgeVersionID: Int64?)
    /// Append a lead's decisions in one transaction → `.recorded`.
    case record(request: Int, decisions: [DecisionInput])
    /// Hand the terminal to the label view over these samples, as the lead → `.labelClosed`
    /// when it is left. The runtime fills in the list's adjudicated dimensions.
    case openLabel(SampleList)
    case redraw
    case suspend
}
