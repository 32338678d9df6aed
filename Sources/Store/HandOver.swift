import Foundation

/// A bounded first-in, first-out hand-over from one producing thread to one consuming thread
/// (the importer's parsed lines, the statistics' decision rows).
///
/// The producer `put`s items, waiting while `capacity` are queued, and always ends with
/// `close`, giving what the consumer should know of its end (what it read, the error that
/// stopped it). The consumer `take`s items in order until nil, then reads `end`. A consumer
/// that stops early calls `cancel`: the producer's next `put` returns false, and `cancel`
/// returns once the producer has closed.
final class HandOver<Item, End>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Item] = []
    private var head = 0
    private let capacity: Int
    private var cancelled = false
    private var ended: End?

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Waits for room; false once the consumer has cancelled (the item is dropped).
    func put(_ item: Item) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while items.count - head >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The next item in order, waiting for one; nil once the producer has closed and every
    /// item was taken, or after `cancel`.
    func take() -> Item? {
        condition.lock(); defer { condition.unlock() }
        while head == items.count && ended == nil && !cancelled { condition.wait() }
        guard head < items.count, !cancelled else { return nil }
        let item = items[head]
        head += 1
        if head > 1024 { items.removeFirst(head); head = 0 }
        condition.broadcast()
        return item
    }

    /// The producer is done; `end` is what it says of its end.
    func close(_ end: End) {
        condition.lock(); defer { condition.unlock() }
        ended = end
        condition.broadcast()
    }

    /// What the producer said when it closed (nil before).
    var end: End? {
        condition.lock(); defer { condition.unlock() }
        return ended
    }

    /// Stops the producer and waits until it has closed; queued items are dropped.
    func cancel() {
        condition.lock(); defer { condition.unlock() }
        cancelled = true
        items.removeAll()
        head = 0
        condition.broadcast()
        while ended == nil { condition.wait() }
    }
}
