import Glibc

/// A behaviour history as prompt lines (`time type subject [category]`), UTF-8 in one buffer:
/// built from decoded behaviours or straight from stored JSON. The judge's prompt and the
/// generation prompts of exports choose from them by one rule (`select`).
public struct BehaviorLines: Sendable {
    private var text: [UInt8] = []
    /// Per line: where it ends in `text` (it starts where the one before ends), how long its
    /// time is (the line starts with it), and whether the behaviour is intentional.
    private var ends: [Int] = []
    private var timeLengths: [Int] = []
    private var intentional: [Bool] = []

    public init() {}

    public init(_ all: [Behavior]) { for b in all { append(b) } }

    public var count: Int { ends.count }
    public var isEmpty: Bool { ends.isEmpty }

    /// Forgets the lines, keeping the storage for the next history.
    public mutating func removeAll() {
        text.removeAll(keepingCapacity: true); ends.removeAll(keepingCapacity: true)
        timeLengths.removeAll(keepingCapacity: true); intentional.removeAll(keepingCapacity: true)
    }

    public mutating func append(_ b: Behavior) {
        var time = b.time, type = b.type, subject = b.subject, category = b.category
        time.withUTF8 { time in
            type.withUTF8 { type in
                subject.withUTF8 { subject in
                    if var category {
                        category.withUTF8 { append(time: time, type: type, subject: subject, category: $0) }
                    } else {
                        append(time: time, type: type, subject: subject, category: nil)
                    }
                }
            }
        }
    }

    /// Appends a behaviour given as UTF-8 texts (the subject is its item, else its query, else "").
    public mutating func append(time: UnsafeBufferPointer<UInt8>, type: UnsafeBufferPointer<UInt8>,
                                subject: UnsafeBufferPointer<UInt8>, category: UnsafeBufferPointer<UInt8>?) {
        text.append(contentsOf: time); text.append(0x20)
        text.append(contentsOf: type); text.append(0x20)
        text.append(contentsOf: subject)
        if let category {
            text.append(contentsOf: " [".utf8); text.append(contentsOf: category); text.append(UInt8(ascii: "]"))
        }
        ends.append(text.count)
        timeLengths.append(time.count)
        intentional.append(Self.isIntentional(type))
    }

    /// Searches state an intent; purchases, carts and favourites show one (as `Behavior.isIntentional`).
    private static func isIntentional(_ type: UnsafeBufferPointer<UInt8>) -> Bool {
        Bytes.equal(type, "purchase") || Bytes.equal(type, "cart") || Bytes.equal(type, "favorite")
            || Bytes.equal(type, "favourite") || Bytes.equal(type, "search")
    }

    private func start(_ i: Int) -> Int { i == 0 ? 0 : ends[i - 1] }

    /// Compares the times of lines `a` and `b` by their UTF-8 bytes.
    private func compareTimes(_ a: Int, _ b: Int) -> Int32 {
        text.withUnsafeBufferPointer { t in
            let (la, lb) = (timeLengths[a], timeLengths[b])
            let c = memcmp(t.baseAddress! + start(a), t.baseAddress! + start(b), min(la, lb))
            return c != 0 ? c : la < lb ? -1 : la > lb ? 1 : 0
        }
    }

    /// Which lines fit in `budget` characters (Unicode scalars, one more per line for its
    /// newline). Intentional behaviours (purchase, cart, favourite, search) are chosen first,
    /// then the newest; of equal times the later in the history. A line that does not fit is
    /// skipped and shorter ones after it may still be chosen.
    public func select(budget: Int) -> (kept: [Bool], keptCount: Int) {
        var order = Array(0..<count)
        order.sort { a, b in
            if intentional[a] != intentional[b] { return intentional[a] }
            let c = compareTimes(a, b)
            return c != 0 ? c > 0 : a > b
        }
        var kept = [Bool](repeating: false, count: count)
        var keptCount = 0, used = 0
        text.withUnsafeBufferPointer { t in
            for i in order {
                var cost = 1
                for b in t[start(i)..<ends[i]] where b & 0xC0 != 0x80 { cost += 1 }
                if used + cost > budget { continue }
                kept[i] = true; keptCount += 1; used += cost
            }
        }
        return (kept, keptCount)
    }

    /// Appends the lines chosen within `budget` (see `select`), one per line: in history
    /// order, or with `byTime` oldest first (equal times in history order); then, when some were
    /// left out, a line saying how many were shown.
    public func appendChosen(budget: Int, byTime: Bool, to out: inout [UInt8]) {
        let (kept, keptCount) = select(budget: budget)
        var shown = (0..<count).filter { kept[$0] }
        if byTime { shown.sort { a, b in let c = compareTimes(a, b); return c != 0 ? c < 0 : a < b } }
        for (n, i) in shown.enumerated() {
            if n > 0 { out.append(0x0A) }
            out.append(contentsOf: text[start(i)..<ends[i]])
        }
        if keptCount < count {
            if !shown.isEmpty { out.append(0x0A) }
            out.append(contentsOf: "(\(keptCount) of \(count) behaviours shown)".utf8)
        }
    }
}
