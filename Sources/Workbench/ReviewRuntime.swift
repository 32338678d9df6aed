import Store
import TerminalKit

/// Runs the review screen: feeds keys and effect results to `update`, performs effects against
/// the store, draws `render`'s grid. One thread; a write is on disk before the frame that
/// says "saved" is drawn.
@MainActor
public final class ReviewRuntime {
    public private(set) var state: ReviewState
    public let store: Store
    /// Reads the figures and reviewed samples for a judge version (the CLI computes them with
    /// the stats report, which this module does not depend on).
    public let loadData: @MainActor (Int64?) throws -> ReviewData

    private var redrawRequested = false
    private var suspendRequested = false
    private var presenter = Presenter()

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

    /// Called after an action asked for writes and before they run (to draw "saving…").
    public var beforeWrites: ((ReviewState) -> Void)?

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
            case .redraw, .suspend: return []
            }
        }
    }

    /// Draws the current state if it differs from what is on screen.
    public func draw(on terminal: any TerminalDevice) {
        let (w, h) = terminal.size
        let grid = render(state, width: w, height: h)
        let cursor = cursorPosition(state, width: w, height: h)
        presenter.present(grid, cursor: cursor, on: terminal, force: redrawRequested)
    }

    /// Runs the screen until the lead quits or the terminal goes away. Keys that arrived
    /// together (a paste) are handled before drawing; `invalidate` repaints everything
    /// (ctrl-l); `suspend` hands the terminal to the shell (ctrl-z).
    public func run(on terminal: any TerminalDevice, invalidate: () -> Void = {}, suspend: () -> Void = {}) {
        beforeWrites = { [weak self, unowned terminal] _ in self?.draw(on: terminal) }
        defer { beforeWrites = nil }
        let (w, h) = terminal.size
        start(width: w, height: h)
        draw(on: terminal)
        while !state.quitting {
            var event = terminal.readKey(timeoutMilliseconds: 250)
            var handled = 0
            inner: while true {
                switch event {
                case .endOfInput: return
                case .timeout: break inner
                case .key(.resize(let w, let h)): send(.resized(width: w, height: h))
                case .key(let key): send(.key(key))
                }
                handled += 1
                if state.quitting || handled >= 256 { break }
                event = terminal.readKey(timeoutMilliseconds: 0)
            }
            if handled == 0 && !redrawRequested && !suspendRequested {
                // A resize may have landed without a key: draw at the current size.
                draw(on: terminal)
                continue
            }
            if suspendRequested {
                suspendRequested = false
                suspend()
                redrawRequested = true
            }
            if redrawRequested {
                invalidate()
                presenter.invalidate()
            }
            draw(on: terminal)
            redrawRequested = false
        }
    }
}
