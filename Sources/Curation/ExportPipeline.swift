// Reading and writing on several threads: the store is read and labels decided on the
// caller's thread; samples are decoded and lines formatted on formatting threads, which
// write, spool and hash their batches in the order they were read.
import Foundation
import Domain
import Store

/// The SFT rows of one batch, packed: each row's texts are ranges of one byte buffer and its
/// labels a range of one array, so a batch costs a few allocations rather than several a row.
struct SFTRows: Sendable {
    struct Row: Sendable {
        var task: Int
        var round: Int
        /// The stored columns (the context JSON only on the first row of its context in the batch).
        var sample: PackedSample
        var userID: Range<Int>
        var labels: Range<Int>
        /// judge-sft: the verdict JSON the assistant answers with.
        var verdict: Range<Int>?
    }
    var rows: [Row] = []
    var bytes: [UInt8] = []
    var labels: [FinalLabel?] = []

    /// Adds a row: the sample's columns are appended by `sample`.
    mutating func add(task: Int, round: Int, userID: String, labels rowLabels: [FinalLabel?], verdict: [UInt8]?,
                      sample: (inout [UInt8]) throws -> PackedSample) rethrows {
        let packed = try sample(&bytes)
        var user = userID
        let userStart = bytes.count
        user.withUTF8 { bytes.append(contentsOf: $0) }
        let userRange = userStart..<bytes.count
        let verdictRange = verdict.map { v -> Range<Int> in
            let start = bytes.count
            bytes.append(contentsOf: v)
            return start..<bytes.count
        }
        let labelStart = labels.count
        labels.append(contentsOf: rowLabels)
        rows.append(Row(task: task, round: round, sample: packed, userID: userRange,
                        labels: labelStart..<labels.count, verdict: verdictRange))
    }
}

/// One side of a preference pair.
struct PairSide: Sendable {
    var task: Int
    var pk: Int64
    var id: String
    var userID: String
    var contentHash: String
    var round: Int
    var labels: [FinalLabel?]
    /// The user message (the generation prompt) and the assistant's answer (the output).
    var user: String
    var answer: String
}

enum RowJob: Sendable {
    /// A batch of SFT rows.
    case sft(SFTRows)
    case pair(chosen: PairSide, rejected: PairSide)
}

/// Rows between the reader and the formatting threads: a bounded queue of numbered job
/// batches, and the number of the next batch to write, so that formatted batches are written
/// in the order they were read. A failure anywhere stops everyone; the reader gets it on its
/// next `put`.
final class RowChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [(number: Int, jobs: [RowJob])] = []
    private var sent = 0
    private var nextToWrite = 0
    private var closed = false
    private var failure: (any Error)?
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Queues a batch, waiting while the queue is full. Throws the first failure, if any.
    func put(_ jobs: [RowJob]) throws {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && failure == nil { condition.wait() }
        if let failure { throw failure }
        batches.append((sent, jobs))
        sent += 1
        condition.broadcast()
    }

    /// The next batch and its number, waiting while the queue is empty; nil once it is closed
    /// and drained, or failed.
    func take() -> (number: Int, jobs: [RowJob])? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !closed && failure == nil { condition.wait() }
        if failure != nil || batches.isEmpty { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Runs `write` once every batch numbered before `number` has been written (false when
    /// the pipeline failed meanwhile: then `write` does not run).
    func inTurn(_ number: Int, _ write: () throws -> Void) throws -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while nextToWrite != number && failure == nil { condition.wait() }
        if failure != nil { return false }
        try write()
        nextToWrite += 1
        condition.broadcast()
        return true
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    func fail(_ error: any Error) {
        condition.lock()
        if failure == nil { failure = error }
        batches.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    var error: (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }
}

/// Hands rows to formatting threads (or formats them on the caller's thread on a one-core
/// machine) and writes what they make through the `RowWriter`, in the order the rows were sent.
///
/// Rows travel in batches; each thread keeps its own caches, so the first row of a batch
/// must carry its context JSON (`startsBatch` tells the reader when).
final class RowPipeline {
    private let writer: RowWriter
    private let channel: RowChannel
    private let done = DispatchSemaphore(value: 0)
    private var pairs: [RowJob] = []
    private var sft = SFTRows()
    private var running = 0
    private let inline: RowFormatter?
    private var inlineOut = FormattedBatch()

    static let batchSize = 256

    init(writer: RowWriter) {
        self.writer = writer
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let threads = cores > 1 ? min(cores, 4) : 0
        channel = RowChannel(capacity: 4 * max(threads, 1))
        inline = threads == 0 ? writer.makeFormatter() : nil
        for n in 0..<threads {
            let (channel, writer, done) = (channel, writer, done)
            let formatter = writer.makeFormatter()
            let thread = Thread {
                var out = FormattedBatch()
                while let (number, jobs) = channel.take() {
                    do {
                        out.reset()
                        try formatter.format(jobs, into: &out)
                        guard try channel.inTurn(number, { try writer.write(out) }) else { break }
                    } catch { channel.fail(error); break }
                }
                done.signal()
            }
            thread.name = "recjudge export \(n + 1)"
            thread.start()
            running += 1
        }
    }

    /// Whether the next row sent starts a batch (and so must carry its context JSON).
    var startsBatch: Bool { sft.rows.isEmpty && pairs.isEmpty }

    /// Adds an SFT row (see `SFTRows.add`).
    func sendSFT(task: Int, round: Int, userID: String, labels: [FinalLabel?], verdict: [UInt8]?,
                 sample: (inout [UInt8]) throws -> PackedSample) throws {
        if !pairs.isEmpty { try flush() }
        try sft.add(task: task, round: round, userID: userID, labels: labels, verdict: verdict, sample: sample)
        if sft.rows.count >= Self.batchSize { try flush() }
    }

    func sendPair(chosen: PairSide, rejected: PairSide) throws {
        if !sft.rows.isEmpty { try flush() }
        pairs.append(.pair(chosen: chosen, rejected: rejected))
        if pairs.count >= Self.batchSize { try flush() }
    }

    /// Sends the batch being filled.
    private func flush() throws {
        var jobs = pairs
        if !sft.rows.isEmpty { jobs.append(.sft(sft)) }
        pairs = []
        sft = SFTRows()
        guard !jobs.isEmpty else { return }
        if let inline {
            inlineOut.reset()
            try inline.format(jobs, into: &inlineOut)
            try writer.write(inlineOut)
        } else {
            try channel.put(jobs)
        }
    }

    /// Writes what is queued and waits for the threads. Throws the first failure, if any.
    func finish() throws {
        if inline != nil { return try flush() }
        guard running > 0 else { return }
        do { try flush() } catch { channel.fail(error) }
        channel.close()
        stop()
        if let error = channel.error { throw error }
    }

    /// Stops the threads without writing the rest (the export is failing anyway).
    func abandon() {
        guard running > 0 else { return }
        channel.fail(CancellationError())
        stop()
    }

    private func stop() {
        while running > 0 { done.wait(); running -= 1 }
    }
}
