// Preference pairs: one user's candidate outputs, kept as bytes until the user is done, then
// paired and written.
import Domain
import Store

/// One user's preference candidates (reused from user to user): their texts in one buffer,
/// their labels in another, and the distinct prompts they were asked with.
struct PairGroup {
    struct Side {
        var task: Int
        var pk: Int64
        var round: Int
        var passes: Bool
        /// Its place in `prompts`.
        var prompt: Int
        /// Ranges of `bytes`: the sample id and content hash (UTF-8), the answer (UTF-8, not escaped).
        var id: Range<Int>
        var contentHash: Range<Int>
        var answer: Range<Int>
        /// Range of `labels`.
        var labels: Range<Int>
    }

    /// A distinct prompt (a task and a text): a hash of its messages, and the messages
    /// (escaped chat-message JSON, system and user: a range of `bytes`).
    struct Prompt {
        var task: Int
        var hash: Int
        var messages: Range<Int>
    }

    var user = ""
    private(set) var sides: [Side] = []
    private(set) var prompts: [Prompt] = []
    /// The prompt of each (task, user context) seen, for prompts that depend on it alone.
    private var byContext: [(task: Int, context: Int64, prompt: Int)] = []
    private(set) var bytes: [UInt8] = []
    private(set) var labels: [FinalLabel?] = []

    var isEmpty: Bool { sides.isEmpty }

    mutating func removeAll() {
        sides.removeAll(keepingCapacity: true); prompts.removeAll(keepingCapacity: true); byContext.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true); labels.removeAll(keepingCapacity: true)
    }

    /// The prompt of a sample of `task` whose user context is `context`, when the prompt depends
    /// on that alone and an earlier side of this user had it.
    func prompt(task: Int, context: Int64) -> Int? {
        byContext.first { $0.task == task && $0.context == context }?.prompt
    }

    /// Adds a prompt whose messages `write` appends, or finds an equal one (same task and text)
    /// added before; `context`: the user context it depends on alone, if it does.
    mutating func addPrompt(task: Int, context: Int64?, _ write: (inout [UInt8]) throws -> Void) rethrows -> Int {
        let start = bytes.count
        try write(&bytes)
        let hash = bytes.withUnsafeBytes { all in
            var h = Hasher()
            h.combine(bytes: UnsafeRawBufferPointer(rebasing: all[start...]))
            return h.finalize()
        }
        let equal = bytes.withUnsafeBytes { all in
            prompts.firstIndex { p in
                p.task == task && p.hash == hash
                    && Bytes.equal(UnsafeRawBufferPointer(rebasing: all[p.messages]), UnsafeRawBufferPointer(rebasing: all[start...]))
            }
        }
        let index: Int
        if let equal {
            bytes.removeSubrange(start...)
            index = equal
        } else {
            prompts.append(Prompt(task: task, hash: hash, messages: start..<bytes.count))
            index = prompts.count - 1
        }
        if let context { byContext.append((task, context, index)) }
        return index
    }

    /// Adds a side; `answer` appends its answer (UTF-8).
    mutating func addSide(task: Int, pk: Int64, round: Int, passes: Bool, prompt: Int, id: UnsafeRawBufferPointer,
                          contentHash: UnsafeRawBufferPointer, labels sideLabels: [FinalLabel?],
                          answer: (inout [UInt8]) throws -> Void) rethrows {
        let id = Self.appendText(id, to: &bytes)
        let hash = Self.appendText(contentHash, to: &bytes)
        let answerStart = bytes.count
        try answer(&bytes)
        let labelStart = labels.count
        labels.append(contentsOf: sideLabels)
        sides.append(Side(task: task, pk: pk, round: round, passes: passes, prompt: prompt, id: id, contentHash: hash,
                          answer: answerStart..<bytes.count, labels: labelStart..<labels.count))
    }

    /// Appends stored text, replacing what is not UTF-8 (a damaged store); returns its range.
    private static func appendText(_ raw: UnsafeRawBufferPointer, to bytes: inout [UInt8]) -> Range<Int> {
        let start = bytes.count
        let text = raw.assumingMemoryBound(to: UInt8.self)
        if UTF8Check.firstInvalidOffset(text) == nil { bytes.append(contentsOf: text) } else {
            bytes.append(contentsOf: String(decoding: text, as: UTF8.self).utf8)
        }
        return start..<bytes.count
    }

    /// The pairs: within a prompt (in the order prompts first appear), the k-th passing side
    /// with the k-th failing one, in side order, each side at most once; and how many sides
    /// were left without a partner.
    func pairs() -> (pairs: [(chosen: Int, rejected: Int)], unpaired: Int) {
        var passes = [[Int]](repeating: [], count: prompts.count), fails = passes
        for (i, s) in sides.enumerated() {
            if s.passes { passes[s.prompt].append(i) } else { fails[s.prompt].append(i) }
        }
        var out: [(chosen: Int, rejected: Int)] = []
        var unpaired = 0
        for p in prompts.indices {
            let n = min(passes[p].count, fails[p].count)
            unpaired += passes[p].count + fails[p].count - 2 * n
            for k in 0..<n { out.append((passes[p][k], fails[p][k])) }
        }
        return (out, unpaired)
    }
}
