import Foundation
import Domain
import Store
import TerminalKit

/// Runs the label screen: feeds keys and effect results to `update`, performs effects against
/// the store, and draws `render`'s grid. The store calls are synchronous and short (indexed
/// reads, one-transaction writes), so one thread does everything and a write is on disk
/// before the frame that says "saved" is drawn.
@MainActor
public final class LabelRuntime: Screen {
    public private(set) var state: LabelState
    public let store: Store
    /// Seconds since 1970, for lease renewal (tests may stub it).
    public var clock: () -> Double = { Date().timeIntervalSince1970 }
    /// Called after an action changed the state and before the writes it asked for run, so
    /// the screen can show "saving…" first.
    public var beforeWrites: ((LabelState) -> Void)?

    private var cache = SampleCache(capacity: 32)
    private var idle: [LabelEffect] = []
    private var redrawRequested = false
    private var suspendRequested = false

    public init(setup: LabelSetup, store: Store) {
        state = LabelState(setup: setup)
        self.store = store
    }

    /// Opens the annotator's queue for a screen of the given size (renews leases, lists the
    /// queue, claims work if nothing is unfinished, loads the first unfinished sample).
    public func start(width: Int, height: Int) {
        send(.resized(width: width, height: height))
        process([.openQueue])
    }

    /// Handles one action and, in turn, every action its effects produce. Effects that may
    /// wait (prefetching, claiming ahead) are queued for `runIdleWork`.
    public func send(_ action: LabelAction) {
        let (next, effects) = update(state, action)
        state = next
        process(effects)
    }

    /// Whether idle work is queued.
    public var hasIdleWork: Bool { !idle.isEmpty }

    /// Performs the queued idle work (prefetch, claims ahead) and the actions it produces.
    public func runIdleWork() {
        let work = idle
        idle = []
        for e in work { for a in perform(e) { send(a) } }
    }

    private func process(_ effects: [LabelEffect]) {
        var now: [LabelEffect] = []
        for e in effects { if e.runsWhenIdle { idle.append(e) } else { now.append(e) } }
        if now.contains(where: { if case .record = $0 { true } else if case .comment = $0 { true } else { false } }) {
            beforeWrites?(state)
        }
        var results: [LabelAction] = []
        for e in now { results += perform(e) }
        for a in results { send(a) }
    }

    // MARK: Effects

    private var setup: LabelSetup { state.setup }

    private func perform(_ effect: LabelEffect) -> [LabelAction] {
        let me = setup.annotator
        do {
            switch effect {
            case .openQueue:
                if let list = setup.list {
                    // A fixed list: nothing is claimed; "done" is the annotator's own assignment.
                    let wanted = Set(list.samplePKs)
                    let done = try store.assignments(annotator: me, task: setup.task).filter { $0.done && wanted.contains($0.samplePK) }
                    return [.queueOpened(claimed: list.samplePKs, done: Set(done.map(\.samplePK)), exhausted: true)]
                }
                let t = clock()
                try store.renewLeases(annotator: me, policy: setup.policy, now: t)
                var rows = try store.assignments(annotator: me, task: setup.task)
                var exhausted = false
                if !rows.contains(where: { !$0.done }) {
                    exhausted = try store.claim(annotator: me, task: setup.task, policy: setup.policy, count: setup.claimBatch).exhausted
                    rows = try store.assignments(annotator: me, task: setup.task)
                }
                return [.leasesRenewed(now: t),
                        .queueOpened(claimed: rows.map(\.samplePK), done: Set(rows.filter(\.done).map(\.samplePK)), exhausted: exhausted)]
            case .claim(let count, _):
                return [.claimed(try store.claim(annotator: me, task: setup.task, policy: setup.policy, count: count))]
            case .load(let pk):
                if let hit = cache[pk] { return [.loaded(hit)] }
                guard let s = try store.sampleForLabelling(pk: pk, annotator: me, judgeVersionID: setup.judge?.id) else {
                    return [.loadFailed(samplePK: pk, message: "the sample is not in the store")]
                }
                cache[pk] = s
                return [.loaded(s)]
            case .prefetch(let pks):
                for pk in pks where cache[pk] == nil {
                    if let s = try store.sampleForLabelling(pk: pk, annotator: me, judgeVersionID: setup.judge?.id) { cache[pk] = s }
                }
                return []
            case .record(let request, let pk, let decisions):
                cache[pk] = nil
                let written = try store.recordLabels(decisions, dimensions: setup.dimensions, policy: setup.policy)
                return [.recorded(request: request, samplePK: pk, done: written.done)]
            case .comment(let pk, let dimension, let text):
                cache[pk] = nil
                _ = try store.comment(samplePK: pk, dimension: dimension, annotator: me, text: text)
                return [.commented(samplePK: pk, comment: OwnComment(dimension: dimension, text: text, createdAt: clock()))]
            case .applyFilter(let filter):
                let pks = try store.queue(annotator: me, task: setup.task, dimensions: setup.dimensions,
                                          judgeVersionID: setup.judge?.id, filter: filter, judgeVisible: !setup.blind)
                return [.filtered(filter, pks)]
            case .search(let term, let candidates):
                return [.searched(term: term, found: try store.firstMatch(term, among: candidates))]
            case .renewLeases:
                let t = clock()
                try store.renewLeases(annotator: me, policy: setup.policy, now: t)
                return [.leasesRenewed(now: t)]
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
            case .openQueue: return [.queueOpened(claimed: [], done: [], exhausted: true), .claimFailed(message)]
            case .claim: return [.claimFailed(message)]
            case .load(let pk): return [.loadFailed(samplePK: pk, message: message)]
            case .record(let request, _, _): return [.recordFailed(request: request, message: message)]
            case .comment(let pk, _, let text): return [.commentFailed(samplePK: pk, text: text, message: message)]
            case .applyFilter: return [.filterFailed(message)]
            case .search(let term, _): return [.searched(term: term, found: nil), .filterFailed(message)]
            case .prefetch, .renewLeases, .redraw, .suspend: return []
            }
        }
    }

    // MARK: The terminal

    /// The frame for a screen size.
    public func frame(width: Int, height: Int) -> Grid { render(state, width: width, height: height) }

    public func cursor(width: Int, height: Int) -> (x: Int, y: Int)? { cursorPosition(state, width: width, height: height) }

    public var isFinished: Bool { state.quitting }
    public func setBeforeWrites(_ hook: (() -> Void)?) { beforeWrites = hook.map { h in { _ in h() } } }
    public func handle(_ key: Key) { send(.key(key)) }
    public func resize(width: Int, height: Int) { send(.resized(width: width, height: height)) }
    /// Lets the update renew leases while the annotator is active.
    public func tick() { send(.tick(now: clock())) }

    public func takeRequests() -> ScreenRequests {
        defer { redrawRequested = false; suspendRequested = false }
        return ScreenRequests(redraw: redrawRequested, suspend: suspendRequested)
    }

    /// Runs the screen until the annotator quits or the terminal goes away (see `ScreenRunner`).
    /// `invalidate` makes the terminal repaint everything (ctrl-l); `suspend` hands the terminal
    /// to the shell for a job-control stop (ctrl-z).
    public func run(on terminal: any TerminalDevice, invalidate: @escaping () -> Void = {}, suspend: @escaping () -> Void = {}) {
        ScreenRunner(terminal: terminal, invalidate: invalidate, suspend: suspend).run(self)
    }
}

/// The last few samples read, so moving back and forth does not read them again.
struct SampleCache {
    let capacity: Int
    private var entries: [Int64: SampleForLabelling] = [:]
    private var order: [Int64] = []

    init(capacity: Int) { self.capacity = max(1, capacity) }

    subscript(pk: Int64) -> SampleForLabelling? {
        get { entries[pk] }
        set {
            order.removeAll { $0 == pk }
            entries[pk] = newValue
            guard newValue != nil else { return }
            order.append(pk)
            while order.count > capacity { entries[order.removeFirst()] = nil }
        }
    }
}
