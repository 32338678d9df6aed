import Foundation
import Domain
import Store
import LLM

public struct JudgeRunOptions: Sendable {
    /// Calls in flight at once.
    public var concurrency = 8
    /// Ask about at most this many samples.
    public var limit: Int?
    public var which: Store.Pending = .missing
    /// Failed calls (no reply after retries, or an unreadable reply) tolerated before the run stops.
    public var failureBudget = 50
    /// Outcomes written per transaction.
    public var batchSize = 64
    public init() {}
}

public struct JudgeProgress: Sendable, Equatable {
    public var total = 0
    public var done = 0
    public var failedCalls = 0
    public var failedVerdicts = 0
    public var promptTokens = 0
    public var completionTokens = 0
    public var elapsed: Double = 0

    public var rate: Double { elapsed > 0 ? Double(done) / elapsed : 0 }
    public var eta: Double? { rate > 0 ? Double(total - done) / rate : nil }
}

public enum JudgeRunError: Error, CustomStringConvertible {
    case failureBudgetExceeded(failures: Int, budget: Int, lastError: String)

    public var description: String {
        switch self {
        case .failureBudgetExceeded(let f, let b, let e):
            "stopped: \(f) failed calls, over the budget of \(b) (last: \(Secrets.scrub(e))). Verdicts so far are saved; run again to resume."
        }
    }
}

/// Commits batches of judge calls in order on one background queue.
final class BatchWriter: @unchecked Sendable {
    typealias Batch = [(samplePK: Int64, judgeVersionID: Int64, call: JudgeCallInput, verdicts: [VerdictInput])]
    private let store: Store
    private let queue = DispatchQueue(label: "recjudge.judge-writer")
    private let lock = NSLock()
    private var failure: (any Error)?

    init(store: Store) { self.store = store }

    func submit(_ batch: Batch) {
        queue.async { [self] in
            guard firstError == nil else { return }
            do { try store.recordJudgeCalls(batch) } catch { lock.lock(); failure = failure ?? error; lock.unlock() }
        }
    }

    var firstError: (any Error)? { lock.lock(); defer { lock.unlock() }; return failure }

    /// Throws the first write error so far.
    func check() throws { if let e = firstError { throw e } }

    /// Waits for every submitted batch; throws the first write error.
    func drain() throws {
        queue.sync {}
        try check()
    }
}

/// Reads one page of samples ahead on a background queue.
final class PagePrefetcher: @unchecked Sendable {
    private let load: @Sendable (Int64) throws -> [StoredSample]
    private let queue = DispatchQueue(label: "recjudge.judge-pages")
    private let lock = NSLock()
    private var result: Result<[StoredSample], any Error>?

    init(load: @escaping @Sendable (Int64) throws -> [StoredSample]) { self.load = load }

    /// Starts reading the page after `pk`.
    func prefetch(after pk: Int64) {
        queue.async { [self] in
            let r = Result { try load(pk) }
            lock.lock(); result = r; lock.unlock()
        }
    }

    /// The page last asked for, waiting for it if it is still being read.
    func take() throws -> [StoredSample] {
        queue.sync {}
        lock.lock(); defer { result = nil; lock.unlock() }
        return try result?.get() ?? []
    }
}

/// Runs one judge over the samples of its task that lack its verdicts, with bounded
/// concurrency, writing outcomes in batches of whole calls: a run stopped at any moment
/// (Ctrl-C, kill) leaves whole calls or nothing, and the next run resumes.
public enum JudgeRunner {
    public static func run(store: Store, judge: any Judge, options: JudgeRunOptions,
                           progress: (JudgeProgress) -> Void = { _ in }) async throws -> JudgeProgress {
        let versionID = try store.register(judge.version)
        let task = judge.rubric.task
        let dims = judge.rubric.dimensions.count
        var p = JudgeProgress()
        p.total = min(options.limit ?? .max, try store.pendingCount(task: task, judgeVersionID: versionID, dimensions: dims, which: options.which))
        let start = Date()
        var page: [StoredSample] = []
        var pageIndex = 0
        var after: Int64 = 0
        var issued = 0
        var writes: [(samplePK: Int64, judgeVersionID: Int64, call: JudgeCallInput, verdicts: [VerdictInput])] = []
        var lastFlush = Date()
        var lastError = ""

        // The next page of samples is read in the background while this one is judged.
        let which = options.which
        let pages = PagePrefetcher { after in
            try store.pendingSamples(task: task, judgeVersionID: versionID, dimensions: dims, which: which, afterPK: after, limit: 512)
        }
        pages.prefetch(after: 0)
        func next() throws -> StoredSample? {
            guard issued < p.total else { return nil }
            if pageIndex == page.count {
                page = try pages.take()
                pageIndex = 0
                guard let last = page.last else { return nil }
                after = last.pk
                pages.prefetch(after: after)
            }
            defer { pageIndex += 1; issued += 1 }
            return page[pageIndex]
        }

        // Batches commit on one serial writer so requests stay in flight while a commit
        // waits for the disk; each batch is still one transaction.
        let writer = BatchWriter(store: store)
        func flush() throws {
            try writer.check()
            if !writes.isEmpty { writer.submit(writes) }
            writes.removeAll(keepingCapacity: true)
            lastFlush = Date()
        }

        try await withThrowingTaskGroup(of: (Int64, JudgeOutcome).self) { group in
            var inFlight = 0
            while true {
                while inFlight < max(1, options.concurrency), let s = try next() {
                    group.addTask { (s.pk, await judge.judge(s)) }
                    inFlight += 1
                }
                guard let (pk, outcome) = try await group.next() else { break }
                inFlight -= 1
                p.done += 1
                p.promptTokens += outcome.call.promptTokens ?? 0
                p.completionTokens += outcome.call.completionTokens ?? 0
                p.failedVerdicts += outcome.failedVerdicts
                if outcome.transportFailure || !outcome.call.ok {
                    p.failedCalls += 1
                    lastError = outcome.call.error ?? "unknown"
                }
                // A transport failure records the call (for accounting) but no verdict, so a later run asks again.
                writes.append((pk, versionID, outcome.call, outcome.transportFailure ? [] : outcome.verdicts))
                if writes.count >= options.batchSize || Date().timeIntervalSince(lastFlush) > 0.5 { try flush() }
                p.elapsed = Date().timeIntervalSince(start)
                progress(p)
                if p.failedCalls > options.failureBudget {
                    group.cancelAll()
                    try flush()
                    try writer.drain()
                    throw JudgeRunError.failureBudgetExceeded(failures: p.failedCalls, budget: options.failureBudget, lastError: lastError)
                }
            }
        }
        try flush()
        try writer.drain()
        p.elapsed = Date().timeIntervalSince(start)
        return p
    }

    /// The judge a session names, for one task's rubric. Reads the API key from the
    /// environment variable the session names; the key goes to the client and nowhere else.
    public static func make(config: JudgeConfig, rubric: Rubric, environment: [String: String] = ProcessInfo.processInfo.environment,
                            client: (any ChatClient)? = nil, retry: RetryPolicy = RetryPolicy()) throws -> any Judge {
        switch config.kind {
        case .rules:
            return RulesJudge(config: config, rubric: rubric)
        case .replay:
            throw JudgeSetupError.unsupported("'\(config.name)' is a replay judge: its verdicts come from `recjudge import SESSION FILE --verdicts \(config.name)`")
        case .openai:
            if let client { return OpenAIJudge(config: config, rubric: rubric, client: client, retry: retry) }
            var key: String?
            if let v = config.apiKeyEnv {
                guard let k = environment[v], !k.isEmpty else { throw JudgeSetupError.missingKey(variable: v) }
                key = k
                Secrets.register(k)
            }
            let endpoint = Endpoint(baseURL: config.baseURL ?? "", apiKey: key, connectTimeout: config.connectTimeout,
                                    requestTimeout: config.timeout, caBundle: config.caBundle)
            let c = try CurlChatClient(endpoint: endpoint, maxConnections: max(config.concurrency, 1))
            return OpenAIJudge(config: config, rubric: rubric, client: c, retry: retry)
        }
    }
}
