/// How prompts fit a behaviour history into a character budget: the judge's prompt and the
/// generation prompts of exports choose the same behaviours.
public enum BehaviorHistory {
    /// One behaviour as a prompt line: `time type subject [category]`.
    public static func line(_ b: Behavior) -> String {
        var line = b.time
        let subject = b.subject
        line.reserveCapacity(b.time.utf8.count + b.type.utf8.count + subject.utf8.count + (b.category?.utf8.count ?? 0) + 5)
        line += " "; line += b.type; line += " "; line += subject
        if let c = b.category { line += " ["; line += c; line += "]" }
        return line
    }

    /// The lines of `all` and which of them fit in `budget` characters (Unicode scalars, one
    /// more per line for its newline). Intentional behaviours (purchase, cart, favourite,
    /// search) are chosen first, then the newest; of equal times the later in the history.
    /// A line that does not fit is skipped and shorter ones after it may still be chosen.
    public static func select(_ all: [Behavior], budget: Int) -> (lines: [String], kept: [Bool], keptCount: Int) {
        let lines = all.map(line)
        let intentional = all.map(\.isIntentional)
        var order = Array(all.indices)
        order.sort { a, b in
            if intentional[a] != intentional[b] { return intentional[a] }
            if all[a].time != all[b].time { return all[a].time > all[b].time }
            return a > b
        }
        var kept = [Bool](repeating: false, count: all.count)
        var keptCount = 0, used = 0
        for i in order {
            let cost = scalars(lines[i]) + 1
            if used + cost > budget { continue }
            kept[i] = true; keptCount += 1; used += cost
        }
        return (lines, kept, keptCount)
    }

    /// Unicode scalars in `s`: its UTF-8 bytes that start a scalar.
    static func scalars(_ s: String) -> Int {
        var s = s
        return s.withUTF8 { buf in
            var n = 0
            for b in buf where b & 0xC0 != 0x80 { n += 1 }
            return n
        }
    }
}
