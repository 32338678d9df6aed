// An export's reading split across threads: sample keys (or, for preference pairs, users) are
// cut into chunks, each thread (with a reader of its own on one snapshot) takes the next chunk,
// and the chunks' results are taken in order, so what is written is what one thread reading in
// that order would write.
import Foundation
import Store

/// Sample keys cut into consecutive ranges.
struct ChunkLayout: Sendable {
    let lowest: Int64
    let size: Int64
    /// At least 1 (an empty store has one empty chunk).
    let count: Int

    /// Chunks over `keys`: about 16 per thread so that threads finish together, of 256 to
    /// 2,048 keys, so that a chunk's rows stay a few megabytes.
    init(keys: ClosedRange<Int64>, threads: Int) {
        lowest = keys.lowerBound
        let span = Int64(keys.count)
        size = min(2048, max(256, span / Int64(16 * max(1, threads))))
        count = Int((span + size - 1) / size)
    }

    func range(_ chunk: Int) -> ClosedRange<Int64> {
        let start = lowest + Int64(chunk) * size
        return start...(start + size - 1)
    }
}

/// Users cut into spans in user-id order (see `ExportReader.userSpanStarts`): preference pairs
/// are made within a user, so pass two reads by spans of users instead of ranges of keys.
struct UserLayout: Sendable {
    /// The first user of every span after the first.
    let starts: [String]

    var count: Int { starts.count + 1 }

    func span(_ c: Int) -> UserSpan {
        UserSpan(from: c == 0 ? nil : starts[c - 1], before: c < starts.count ? starts[c] : nil)
    }
}

/// Hands out chunks to threads and takes their results back in chunk order, one phase after
/// another: every thread calls `run` for the same phases with the same chunk counts.
///
/// A phase's `take` and `finish` closures run one at a time, in chunk order, and what they
/// write is seen by every thread after the phase (each `run` returns only once the whole phase
/// is taken). A failure anywhere stops every thread: the others get `Stopped` from `run`, and
/// `failure` keeps the first error.
final class ChunkTurns: @unchecked Sendable {
    struct Stopped: Error {}

    private let condition = NSCondition()
    private var phase = 0
    private var handedOut = 0
    private var taken = 0
    private var firstFailure: (any Error)?

    var failure: (any Error)? {
        condition.lock(); defer { condition.unlock() }
        return firstFailure
    }

    /// One phase on the calling thread: while chunks are left, takes the next one and runs
    /// `job` on it, then, once every earlier chunk was taken, `take` on its result. The thread
    /// that takes the last chunk runs `finish`. Returns when the phase is over.
    /// - Parameter phase: the caller's count of phases run (each thread keeps its own).
    func run<R>(_ phase: inout Int, chunks: Int, job: (Int) throws -> R, take: (R) throws -> Void,
                finish: () throws -> Void = {}) throws {
        let mine = phase
        phase += 1
        do {
            while let chunk = try next(mine, chunks) {
                let result = try job(chunk)
                try waitForTurn(chunk)
                try take(result)
                if chunk == chunks - 1 { try finish() }
                condition.lock()
                taken += 1
                if taken == chunks { self.phase += 1; handedOut = 0; taken = 0 }
                condition.broadcast()
                condition.unlock()
            }
            condition.lock()
            defer { condition.unlock() }
            while self.phase == mine && firstFailure == nil { condition.wait() }
            if firstFailure != nil { throw Stopped() }
        } catch let error as Stopped {
            throw error
        } catch {
            fail(error)
            throw Stopped()
        }
    }

    /// Stops every thread; `failure` keeps the first error.
    func fail(_ error: any Error) {
        condition.lock()
        if firstFailure == nil { firstFailure = error }
        condition.broadcast()
        condition.unlock()
    }

    private func next(_ phase: Int, _ chunks: Int) throws -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while self.phase < phase && firstFailure == nil { condition.wait() }
        if firstFailure != nil { throw Stopped() }
        guard self.phase == phase, handedOut < chunks else { return nil }
        handedOut += 1
        return handedOut - 1
    }

    private func waitForTurn(_ chunk: Int) throws {
        condition.lock()
        defer { condition.unlock() }
        while taken != chunk && firstFailure == nil { condition.wait() }
        if firstFailure != nil { throw Stopped() }
    }
}
