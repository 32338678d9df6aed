// Reading and writing on two threads: the store is read, labels decided and samples decoded
// on the caller's thread; lines are formatted, written, spooled and hashed on a writer thread.
import Foundation
import Domain
import Store

/// One SFT row: everything the writer needs, decided by the reader.
struct SFTRow: Sendable {
    var task: Int
    var contextID: Int64
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

/// A bounded queue of job batches between the reader and the writer thread. A writer failure
/// is handed back to the reader on its next `put`.
final class RowChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[RowJob]] = []
    private var closed = false
    private var failure: (any Error)?
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Queues a batch, waiting while the queue is full. Throws the writer's failure, if any.
    func put(_ batch: [RowJob]) throws {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && failure == nil { condition.wait() }
        if let failure { throw failure }
        batches.append(batch)
        condition.broadcast()
    }

    /// The next batch, waiting while the queue is empty; nil once it is closed and drained or failed.
    func take() -> [RowJob]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !closed && failure == nil { condition.wait() }
        if failure != nil || batches.isEmpty { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
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

/// Hands rows to a `RowWriter` on its own thread (or inline on a one-core machine), in order.
final class RowPipeline {
    private let writer: RowWriter
    private let channel = RowChannel(capacity: 8)
    private let done = DispatchSemaphore(value: 0)
    private var batch: [RowJob] = []
    private let threaded: Bool
    private var running = false

    static let batchSize = 256

    init(writer: RowWriter) {
        self.writer = writer
        threaded = ProcessInfo.processInfo.activeProcessorCount > 1
        batch.reserveCapacity(Self.batchSize)
        if threaded {
            let (channel, writer, done) = (channel, writer, done)
            let thread = Thread {
                while let jobs = channel.take() {
                    do { for job in jobs { try writer.write(job) } } catch { channel.fail(error); break }
                }
                done.signal()
            }
            thread.name = "recjudge export writer"
            thread.start()
            running = true
        }
    }

    func send(_ job: RowJob) throws {
        guard threaded else { return try writer.write(job) }
        batch.append(job)
        if batch.count >= Self.batchSize {
            try channel.put(batch)
            batch.removeAll(keepingCapacity: true)
        }
    }

    /// Writes what is queued and waits for the writer. Throws the writer's failure, if any.
    func finish() throws {
        guard running else { return }
        if !batch.isEmpty { try? channel.put(batch); batch = [] }
        channel.close()
        done.wait()
        running = false
        if let error = channel.error { throw error }
    }

    /// Stops the writer without writing the rest (the export is failing anyway).
    func abandon() {
        guard running else { return }
        channel.fail(CancellationError())
        done.wait()
        running = false
    }
}
