// Reading and writing on several threads: the store is read and labels decided on the
// caller's thread; samples are decoded and lines formatted on formatting threads, which
// write, spool and hash their batches in the order they were read.
import Foundation
import Domain
import Store

/// One SFT row: everything the writer needs, decided by the reader.
struct SFTRow: Sendable {
    var task: Int
    var contextID: Int64
    var userID: String
    var round: Int
    /// Decoded by the writer (its context sent with the first sample of each context).
    var sample: RawStoredSample
    var labels: [FinalLabel?]
    /// judge-sft: the verdict JSON the assistant answers with.
    var verdict: String?
}

/// One side of a preference pair.
struct PairSide: Sendable {
    var task: Int
    var sample: StoredSample
    var labels: [FinalLabel?]
    /// The user message (the generation prompt) and the assistant's answer (the output).
    var user: String
    var answer: String
}

enum RowJob: Sendable {
    case sft(SFTRow)
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

/// Hands rows to formatting threads (or formats them inline on a one-core machine) and writes
/// what they make through the `RowWriter`, in the order the rows were sent.
///
/// Rows travel in batches; each thread keeps its own caches, so the first row of a batch
/// must carry its context JSON (`startsBatch` tells the reader when).
final class RowPipeline {
    private let writer: RowWriter
    private let channel: RowChannel
    private let done = DispatchSemaphore(value: 0)
    private var batch: [RowJob] = []
    private let threads: Int
    private var running = 0
    private let inline: RowFormatter?
    private var inlineOut = FormattedBatch()

    static let batchSize = 256

    init(writer: RowWriter) {
        self.writer = writer
        let cores = ProcessInfo.processInfo.activeProcessorCount
        threads = cores > 1 ? min(cores, 4) : 0
        channel = RowChannel(capacity: 4 * max(threads, 1))
        batch.reserveCapacity(Self.batchSize)
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
    var startsBatch: Bool { inline == nil && batch.isEmpty }

    func send(_ job: RowJob) throws {
        if let inline {
            inlineOut.reset()
            try inline.format([job], into: &inlineOut)
            return try writer.write(inlineOut)
        }
        batch.append(job)
        if batch.count >= Self.batchSize {
            try channel.put(batch)
            batch.removeAll(keepingCapacity: true)
        }
    }

    /// Writes what is queued and waits for the threads. Throws the first failure, if any.
    func finish() throws {
        guard running > 0 else { return }
        if !batch.isEmpty { try? channel.put(batch); batch = [] }
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
