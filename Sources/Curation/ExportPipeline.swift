// Preference pairs on several threads: pairs are made on the caller's thread (reading in user
// order); their lines are formatted on formatting threads, which write, spool and hash their
// batches in the order the pairs were made. (SFT rows are read and formatted by chunks of keys
// on several threads instead: see ExportShards.swift.)
import Foundation
import Domain
import Store

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

/// A preference pair to format.
struct PairJob: Sendable {
    var chosen: PairSide
    var rejected: PairSide
}

/// Rows between the reader and the formatting threads: a bounded queue of numbered job
/// batches, and the number of the next batch to write, so that formatted batches are written
/// in the order they were read. A failure anywhere stops everyone; the reader gets it on its
/// next `put`.
final class RowChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [(number: Int, jobs: [PairJob])] = []
    private var sent = 0
    private var nextToWrite = 0
    private var closed = false
    private var failure: (any Error)?
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Queues a batch, waiting while the queue is full. Throws the first failure, if any.
    func put(_ jobs: [PairJob]) throws {
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
    func take() -> (number: Int, jobs: [PairJob])? {
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

/// Hands pairs to formatting threads (or formats them on the caller's thread on a one-core
/// machine) and writes what they make through the `RowWriter`, in the order the pairs were sent.
final class RowPipeline {
    private let writer: RowWriter
    private let channel: RowChannel
    private let done = DispatchSemaphore(value: 0)
    private var pairs: [PairJob] = []
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
                        formatter.format(jobs, into: &out)
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

    func sendPair(chosen: PairSide, rejected: PairSide) throws {
        pairs.append(PairJob(chosen: chosen, rejected: rejected))
        if pairs.count >= Self.batchSize { try flush() }
    }

    /// Sends the batch being filled.
    private func flush() throws {
        let jobs = pairs
        pairs = []
        guard !jobs.isEmpty else { return }
        if let inline {
            inlineOut.reset()
            inline.format(jobs, into: &inlineOut)
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
