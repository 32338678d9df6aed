import Domain
import Store
import TerminalKit

/// What happens to the label screen: a key, a clock tick, or the result of an effect.
public enum LabelAction: Sendable, Equatable {
    case key(Key)
    /// The terminal has this size now.
    case resized(width: Int, height: Int)
    /// The clock, for lease renewal.
    case tick(now: Double)
    /// The annotator's queue as listed (and claimed into) when the screen opens.
    case queueOpened(claimed: [Int64], done: Set<Int64>, exhausted: Bool)
    case claimed(Claim)
    case claimFailed(String)
    case loaded(SampleForLabelling)
    case loadFailed(samplePK: Int64, message: String)
    /// A write is on disk.
    case recorded(request: Int, samplePK: Int64, done: Bool)
    case recordFailed(request: Int, message: String)
    case commented(samplePK: Int64, comment: OwnComment)
    case commentFailed(samplePK: Int64, text: String, message: String)
    case filtered(QueueFilter, [Int64])
    case filterFailed(String)
    case searched(term: String, found: Int64?)
    case leasesRenewed(now: Double)
}

/// Work for the runtime: store reads and writes. Results come back as `LabelAction`s.
public enum LabelEffect: Sendable, Equatable {
    /// Renew the annotator's leases, list their queue, and claim a batch when nothing in it
    /// is unfinished → `.queueOpened`.
    case openQueue
    /// Claim a batch → `.claimed`. `ahead` claims run when the screen is idle.
    case claim(count: Int, ahead: Bool)
    /// Read a sample for the screen → `.loaded`.
    case load(Int64)
    /// Warm the runtime's cache with samples likely to be next (when idle; no action back).
    case prefetch([Int64])
    /// Append decisions (one transaction) → `.recorded`.
    case record(request: Int, samplePK: Int64, decisions: [DecisionInput])
    case comment(samplePK: Int64, dimension: String?, text: String)
    case applyFilter(QueueFilter)
    /// Search `candidates` in order → `.searched`.
    case search(term: String, candidates: [Int64])
    case renewLeases
    /// Repaint the whole terminal.
    case redraw
    /// Hand the terminal back to the shell until the job is continued.
    case suspend

    /// Whether the runtime may run this after the frame is drawn.
    public var runsWhenIdle: Bool {
        switch self {
        case .prefetch, .claim(_, ahead: true): true
        default: false
        }
    }
}
