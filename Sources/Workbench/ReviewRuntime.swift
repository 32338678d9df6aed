import Store
import TerminalKit

/// Runs the review screen: feeds keys and effect results to `update`, performs effects against
/// the store, and hands the terminal to a label view over a cell's samples when asked. One
/// thread; a write is on disk before the frame that says "saved" is drawn.
@MainActor
public final class ReviewRuntime: Screen {
    public private(set) var state: ReviewState
    public let store: Store
    /// Reads the figures and reviewed samples for a judge version (the CLI computes them with
    /// the stats report, which this module does not depend on).
    public let loadData: @MainActor (Int64?) throws -> ReviewData
    /// Called after an action asked for writes and before they run (to draw "saving…").
    public var beforeWrites: ((ReviewState) -> Void)?

    private var redrawRequested = false
    private var suspendRequested = false
    /// The label view asked for and not yet handed to the runner.
    private var labelView: LabelRuntime?

    public init(setup: ReviewSetup, store: Store, loadData: @escaping @MainActor (Int64?) throws -> ReviewData) {
        state = ReviewState(setup: setup)
        self.store = store
        self.loadData = loadData
    }

    /// Reads the figures for a screen of the given size.
    public func start(width: Int, height: Int) {
        send(.resized(width: width, height: height))
        process(reviewOpening(state))
    }

    /// Handles one action and, in turn, every action its effects produce.
    public func send(_ action: ReviewAction) {
        let (next, effects) = update(state, action)
        state = next
        process(effects)
    }

    private func process(_ effects: [ReviewEffect]) {
        if effects.contains(where: { if case .record = $0 { true } else { false } }) { beforeWrites?(state) }
        var results: [ReviewAction] = []
        for e in effects { results += perform(e) }
        for a in results { send(a) }
    }

    private func perform(_ effect: ReviewEffect) -> [ReviewAction] {
        do {
            switch effect {
            case .load(let id):
                return [.loaded(try loadData(id))]
            case .loadSample(let pk, let id):
                guard let s = try store.sampleForReview(pk: pk, judgeVersionID: id) else {
                    return [.sampleFailed(samplePK: pk, message: "the sample is not in the store")]
                }
                return [.sampleLoaded(s)]
            case .record(let request, let decisions):
                try store.adjudicate(decisions)
                return [.recorded(request: request)]
            case .openLabel(var list):
                list.adjudicated = try store.standingAdjudications(by: state.setup.lead, samplePKs: list.samplePKs)
                labelView = LabelRuntime(setup: labelSetup(list), store: store)
                return []
            case .redraw:
                redrawRequested = true
                return []
            case .suspend:
                suspendRequested = true
                return []
            }
        } catch {
            let message = "\(error)"
            switch effect {
            case .load: return [.loadFailed(message)]
            case .loadSample(let pk, _): return [.sampleFailed(samplePK: pk, message: message)]
            case .record(let request, _): return [.recordFailed(request: request, message: message)]
            case .openLabel: return [.labelFailed(message)]
            case .redraw, .suspend: return []
            }
        }
    }

    /// The label view over `list`: the lead labels as themselves (annotator decisions), with
    /// the judge version on screen shown, never blind.
    func labelSetup(_ list: SampleList) -> LabelSetup {
        let s = state.setup
        return LabelSetup(session: s.session, task: s.task, annotator: s.lead, rubric: s.rubric, blind: false, judge: state.judge,
                          policy: s.policy, keymap: s.labelKeymap, source: .list(list))
    }

    // MARK: The terminal

    public func frame(width: Int, height: Int) -> Grid { render(state, width: width, height: height) }
    public func cursor(width: Int, height: Int) -> (x: Int, y: Int)? { cursorPosition(state, width: width, height: height) }
    public var isFinished: Bool { state.quitting }
    public func setBeforeWrites(_ hook: (() -> Void)?) { beforeWrites = hook.map { h in { _ in h() } } }
    public func handle(_ key: Key) { send(.key(key)) }
    public func resize(width: Int, height: Int) { send(.resized(width: width, height: height)) }

    public func takeRequests() -> ScreenRequests {
        defer { redrawRequested = false; suspendRequested = false; labelView = nil }
        return ScreenRequests(redraw: redrawRequested, suspend: suspendRequested, child: labelView)
    }

    /// The label view was left: the figures are read again.
    public func childFinished(_ child: any Screen) {
        guard let label = child as? LabelRuntime else { return }
        send(.labelClosed(saved: label.state.savedCount, interrupted: label.state.interrupted))
    }

    /// Runs the screen until the lead quits or the terminal goes away (see `ScreenRunner`).
    public func run(on terminal: any TerminalDevice, invalidate: @escaping () -> Void = {}, suspend: @escaping () -> Void = {}) {
        ScreenRunner(terminal: terminal, invalidate: invalidate, suspend: suspend).run(self)
    }
}
