import TerminalKit

/// What a screen asks of the runner besides a frame, collected since the runner last asked.
public struct ScreenRequests {
    /// Repaint the whole terminal (ctrl-l).
    public var redraw = false
    /// Hand the terminal to the shell until the job is continued (ctrl-z).
    public var suspend = false
    /// Run this screen on the same terminal until it finishes, then come back.
    public var child: (any Screen)?

    public init(redraw: Bool = false, suspend: Bool = false, child: (any Screen)? = nil) {
        self.redraw = redraw; self.suspend = suspend; self.child = child
    }
}

/// A screen the runner drives: a runtime around a pure update and render.
@MainActor
public protocol Screen: AnyObject {
    /// The screen is done (the person quit it).
    var isFinished: Bool { get }
    /// Opens the screen at a size (its first reads happen here).
    func start(width: Int, height: Int)
    func handle(_ key: Key)
    func resize(width: Int, height: Int)
    /// Nothing came in for a while (about a quarter of a second).
    func tick()
    /// Work that may wait until the frame is drawn (prefetching, claiming ahead).
    var hasIdleWork: Bool { get }
    func runIdleWork()
    /// The screen at a size, and where the text cursor belongs (nil: hidden).
    func frame(width: Int, height: Int) -> Grid
    func cursor(width: Int, height: Int) -> (x: Int, y: Int)?
    func takeRequests() -> ScreenRequests
    /// A child screen this one asked for has finished.
    func childFinished(_ child: any Screen)
    /// Sets what to call after an action asked for writes and before they run, so the runner
    /// can draw "saving…" first (nil: nothing).
    func setBeforeWrites(_ hook: (() -> Void)?)
}

extension Screen {
    public func tick() {}
    public var hasIdleWork: Bool { false }
    public func runIdleWork() {}
    public func childFinished(_ child: any Screen) {}
}

/// How a run ended.
public enum ScreenOutcome: Sendable, Equatable {
    /// The screen finished.
    case finished
    /// The terminal went away (hang-up, end of input): every screen stops.
    case endOfInput
}

/// Runs screens on one terminal: reads keys, hands them to the screen, draws its frame when
/// the frame or the cursor changed. One thread does everything, so a write a screen makes is
/// on disk before the frame that says "saved" is drawn.
///
/// Waits for keys without spinning (a quarter-second timeout lets the screen tick and notices a
/// size change that came without a key); keys that arrived together (a paste) are all handled
/// before drawing. A child screen a screen asks for runs to its end on the same terminal; the
/// parent then gets its size again, `childFinished`, and a full repaint.
@MainActor
public struct ScreenRunner {
    public let terminal: any TerminalDevice
    /// Makes the terminal repaint everything (ctrl-l, and after a child screen).
    public let invalidate: () -> Void
    /// Hands the terminal to the shell for a job-control stop (ctrl-z).
    public let suspend: () -> Void

    public init(terminal: any TerminalDevice, invalidate: @escaping () -> Void = {}, suspend: @escaping () -> Void = {}) {
        self.terminal = terminal; self.invalidate = invalidate; self.suspend = suspend
    }

    /// Runs `screen` until it finishes or the terminal goes away.
    @discardableResult
    public func run(_ screen: any Screen) -> ScreenOutcome {
        let terminal = self.terminal
        var presenter = Presenter()
        func draw(force: Bool = false) {
            let (w, h) = terminal.size
            presenter.present(screen.frame(width: w, height: h), cursor: screen.cursor(width: w, height: h), on: terminal, force: force)
        }
        screen.setBeforeWrites { draw() }
        defer { screen.setBeforeWrites(nil) }
        let (w, h) = terminal.size
        screen.start(width: w, height: h)
        draw()
        while !screen.isFinished {
            if screen.hasIdleWork {
                screen.runIdleWork()
                draw()
            }
            var event = terminal.readKey(timeoutMilliseconds: screen.hasIdleWork ? 0 : 250)
            var handled = 0
            var requests = ScreenRequests()
            drain: while true {
                switch event {
                case .endOfInput: return .endOfInput
                case .timeout:
                    if handled == 0 { screen.tick() }
                    break drain
                case .key(.resize(let w, let h)): screen.resize(width: w, height: h)
                case .key(let key): screen.handle(key)
                }
                requests.add(screen.takeRequests())
                handled += 1
                // Keys typed after one that opens a child screen are the child's.
                if screen.isFinished || requests.child != nil || handled >= 256 { break }
                event = terminal.readKey(timeoutMilliseconds: 0)
            }
            requests.add(screen.takeRequests())
            if let child = requests.child {
                if run(child) == .endOfInput { return .endOfInput }
                let (w, h) = terminal.size
                screen.resize(width: w, height: h)
                screen.childFinished(child)
                requests.redraw = true
                requests.add(screen.takeRequests())
            }
            if requests.suspend {
                suspend()
                requests.redraw = true
            }
            if requests.redraw {
                invalidate()
                presenter.invalidate()
            }
            draw(force: requests.redraw)
        }
        return .finished
    }

}

extension ScreenRequests {
    /// Adds later requests: a repaint or a suspension asked for once stays asked for; the
    /// first child asked for is kept.
    mutating func add(_ later: ScreenRequests) {
        redraw = redraw || later.redraw
        suspend = suspend || later.suspend
        if child == nil { child = later.child }
    }
}
