// Dimensions are computed side by side: each reads shared tables and writes its own result.
import Foundation

/// `body(0..<count)` on up to as many threads as there are processors; results in order.
/// The first error thrown is rethrown. `body` must only read shared state.
func concurrentMap<T>(_ count: Int, _ body: (Int) throws -> T) throws -> [T] {
    guard count > 1, ProcessInfo.processInfo.activeProcessorCount > 1 else { return try (0..<count).map(body) }
    let slots = UnsafeMutablePointer<Result<T, any Error>?>.allocate(capacity: count)
    slots.initialize(repeating: nil, count: count)
    defer { slots.deinitialize(count: count); slots.deallocate() }
    withoutActuallyEscaping(body) { body in
        let work = UnsafeSendable(body: body, slots: slots)
        DispatchQueue.concurrentPerform(iterations: count) { k in
            work.slots[k] = Result { try work.body(k) }
        }
    }
    return try (0..<count).map { k in
        guard let result = slots[k] else { throw AgreementError.invalidOption("a dimension was not computed") }
        return try result.get()
    }
}

/// What the worker threads share: a read-only closure and one result slot per index, each
/// written by exactly one thread and read after all have finished.
private struct UnsafeSendable<T>: @unchecked Sendable {
    let body: (Int) throws -> T
    let slots: UnsafeMutablePointer<Result<T, any Error>?>
}
