import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#elseif canImport(SQLite3)
import SQLite3
#endif

// Streaming reads for agreement statistics: one snapshot, sequential scans, and the few
// texts that repeat millions of times (dimensions, annotators, labels, tasks) handed out
// as small integer codes instead of new strings on every row.

/// Small integer codes for texts read from the store, assigned in order of first sight.
///
/// Reading a million decisions must not intern three million strings one by one: codes are
/// dense positions in `texts`, and the few texts that repeat millions of times (dimensions,
/// annotators, labels, tasks) are found again by a dictionary lookup of a small string,
/// which Swift keeps inline without allocating.
public struct TextCodes: Sendable {
    /// Every text seen, at its code.
    public private(set) var texts: [String] = []
    private var codes: [String: Int32] = [:]

    public init() {}

    /// The code of `text`, assigning the next one if it is new.
    public mutating func code(of text: String) -> Int32 {
        if let code = codes[text] { return code }
        let code = Int32(texts.count)
        texts.append(text)
        codes[text] = code
        return code
    }

    /// The code of the UTF-8 text in `raw` (invalid bytes become U+FFFD).
    mutating func code(_ raw: UnsafeRawBufferPointer) -> Int32 {
        code(of: String(decoding: raw.bindMemory(to: UInt8.self), as: UTF8.self))
    }

    /// The code of a text already assigned, or nil.
    public func existingCode(of text: String) -> Int32? { codes[text] }

    /// The text of `code`, or nil when no text has it.
    public func text(_ code: Int32) -> String? {
        texts.indices.contains(Int(code)) ? texts[Int(code)] : nil
    }
}

/// One row of the decision log, texts as codes of the reader.
public struct DecisionRow: Sendable, Equatable {
    public var samplePK: Int64
    public var dimension: Int32
    public var annotator: Int32
    /// The label's code, or −1 when the row withdrew the answer.
    public var label: Int32
    public var role: DecisionRole
    public var action: DecisionAction
    /// When the row was written (seconds since 1970).
    public var time: Double
}

/// Reads over one snapshot of the store (one read transaction), for statistics and export.
/// Only valid inside `Store.readStatistics`.
///
/// The scans step SQLite's statements directly and recognise repeated texts in SQLite's own
/// buffers: a million samples bring twelve million decisions, and a `Row` and a `String` per
/// value would cost more than SQLite itself.
public final class StatsReader: @unchecked Sendable {
    private let db: Database
    /// Texts behind the codes of every row handed out by this reader. Guarded by `lock`: the
    /// decision scan assigns codes on its own thread while the caller reads texts.
    private var storage = TextCodes()
    private let lock = NSLock()

    init(_ db: Database) { self.db = db }

    /// Texts behind the codes of every row handed out by this reader.
    public var texts: TextCodes { lock.withLock { storage } }

    /// The text of a code handed out by this reader ("" for an unknown code).
    public func text(_ code: Int32) -> String { lock.withLock { storage.text(code) ?? "" } }

    /// The code of `text` (assigned now if this reader has not seen it yet).
    public func code(of text: String) -> Int32 { lock.withLock { storage.code(of: text) } }

    /// Samples, and the largest sample key (0 when there are none).
    public func sampleExtent() throws -> (count: Int, maxPK: Int64) {
        let row = try Row.fetchOne(db, sql: "SELECT count(*), coalesce(max(pk), 0) FROM samples")
        return (try row?.decode(Int.self, atIndex: 0) ?? 0, try row?.decode(Int64.self, atIndex: 1) ?? 0)
    }

    /// Every sample's key with its task's code, grouped by task (samples_task index), keys
    /// ascending within a task.
    public func forEachSample(_ body: (_ pk: Int64, _ task: Int32) throws -> Void) throws {
        var tasks = RecentTexts()
        try scan("SELECT pk, task FROM samples ORDER BY task, pk") { s in
            try body(sqlite3_column_int64(s, 0), code(s, 1, &tasks))
        }
    }

    /// Every judge version, oldest first.
    public func judgeVersions() throws -> [StoredJudgeVersion] {
        try Row.fetchAll(db, sql: "SELECT * FROM judge_versions ORDER BY id").map(Store.judgeVersion)
    }

    /// Every row of the decision log, oldest first (a sequential scan of the table). The
    /// current label of a (sample, dimension, annotator) is the one of its last row.
    ///
    /// With two cores or more, SQLite is stepped on a thread of its own that hands rows over
    /// in batches, so that reading the table and `body`'s work overlap; `body` still sees
    /// every row, in order, on the caller's thread. If `body` throws, the scan stops.
    public func forEachDecision(_ body: (DecisionRow) throws -> Void) throws {
        let sql = "SELECT sample_pk, dimension, annotator, role, label, action, created_at FROM decisions ORDER BY id"
        let statement = try db.makeStatement(sql: sql)
        let s = statement.sqliteStatement
        defer { sqlite3_reset(s) }
        guard ProcessInfo.processInfo.activeProcessorCount > 1 else {
            var rows = DecisionRows(self)
            while let row = try rows.next(s, sql: sql) { try body(row) }
            return
        }
        // Batches of rows, at most four in flight; the scan ends with its error, if any.
        let batchSize = 8192
        let channel = HandOver<[DecisionRow], (any Error)?>(capacity: 4)
        // The statement is only stepped by the scanning thread until it has closed the channel
        // (`cancel` and the end of `take` both wait for that).
        let statementPointer = UnsafeSendable(s)
        let thread = Thread { [self] in
            var rows = DecisionRows(self)
            var batch: [DecisionRow] = []
            batch.reserveCapacity(batchSize)
            do {
                while let row = try rows.next(statementPointer.value, sql: sql) {
                    batch.append(row)
                    if batch.count == batchSize {
                        guard channel.put(batch) else { break }
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { _ = channel.put(batch) }
                channel.close(nil)
            } catch {
                channel.close(error)
            }
        }
        thread.name = "recjudge stats reader"
        thread.start()
        do {
            while let batch = channel.take() {
                for row in batch { try body(row) }
            }
        } catch {
            channel.cancel()
            throw error
        }
        if let failure = channel.end ?? nil { throw failure }
    }

    /// The verdicts of one judge version (verdicts_version index): a failed verdict comes with label −1.
    public func forEachVerdict(judgeVersionID: Int64,
                               _ body: (_ samplePK: Int64, _ dimension: Int32, _ label: Int32) throws -> Void) throws {
        var dimensions = RecentTexts(), labels = RecentTexts()
        try scan("SELECT sample_pk, dimension, label FROM verdicts WHERE judge_version_id = ?", judgeVersionID) { s in
            let label: Int32 = sqlite3_column_type(s, 2) == SQLITE_NULL ? -1 : code(s, 2, &labels)
            try body(sqlite3_column_int64(s, 0), code(s, 1, &dimensions), label)
        }
    }

    /// Steps `sql` to the end, calling `row` with the statement at each row.
    private func scan(_ sql: String, _ argument: Int64? = nil, _ row: (OpaquePointer) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        if let argument { try statement.setArguments([argument]) }
        let s = statement.sqliteStatement
        defer { sqlite3_reset(s) }
        while true {
            let result = sqlite3_step(s)
            if result == SQLITE_DONE { return }
            guard result == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: result), message: db.lastErrorMessage, sql: sql)
            }
            try row(s)
        }
    }

    /// The code of the text in `column` of the current row ("" for NULL): found among the
    /// column's recent texts without copying, or assigned (and remembered) when new.
    fileprivate func code(_ s: OpaquePointer, _ column: Int32, _ recent: inout RecentTexts) -> Int32 {
        let pointer = sqlite3_column_text(s, column)
        let count = pointer == nil ? 0 : Int(sqlite3_column_bytes(s, column))
        let raw = UnsafeRawBufferPointer(start: pointer.map(UnsafeRawPointer.init), count: count)
        if let hit = recent.find(raw) { return hit }
        let code = lock.withLock { storage.code(raw) }
        recent.remember(raw, code: code)
        return code
    }
}

/// A value handed to another thread that the caller guarantees is used by one thread at a time.
private struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

extension DecisionAction {
    /// The action a CHECK-constrained column names, told apart by its first two bytes.
    init(storedBytes bytes: UnsafeRawBufferPointer) {
        let a = bytes.count > 0 ? bytes[0] : 0, b = bytes.count > 1 ? bytes[1] : 0
        switch (a, b) {
        case (UInt8(ascii: "a"), UInt8(ascii: "c")): self = .accept
        case (UInt8(ascii: "a"), _): self = .adjudicate
        case (UInt8(ascii: "o"), _): self = .override
        case (UInt8(ascii: "u"), _): self = .undo
        case (UInt8(ascii: "r"), _): self = .redo
        case (UInt8(ascii: "i"), _): self = .import
        default: self = .label
        }
    }
}

/// Decision rows read from a stepped statement, texts recognised per column.
private struct DecisionRows {
    let reader: StatsReader
    var dimensions = RecentTexts(), annotators = RecentTexts(), labels = RecentTexts()

    init(_ reader: StatsReader) { self.reader = reader }

    /// The next row, or nil at the end.
    mutating func next(_ s: OpaquePointer, sql: String) throws -> DecisionRow? {
        let result = sqlite3_step(s)
        if result == SQLITE_DONE { return nil }
        guard result == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: result), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(s))), sql: sql)
        }
        return DecisionRow(
            samplePK: sqlite3_column_int64(s, 0), dimension: reader.code(s, 1, &dimensions), annotator: reader.code(s, 2, &annotators),
            label: sqlite3_column_type(s, 4) == SQLITE_NULL ? -1 : reader.code(s, 4, &labels),
            role: Self.role(s), action: DecisionAction(storedBytes: Self.bytes(s, 5)), time: sqlite3_column_double(s, 6))
    }

    /// The text of a column in place (valid until the statement moves on).
    static func bytes(_ s: OpaquePointer, _ column: Int32) -> UnsafeRawBufferPointer {
        guard let p = sqlite3_column_text(s, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: UnsafeRawPointer(p), count: Int(sqlite3_column_bytes(s, column)))
    }

    /// The role column holds 'annotator' or 'lead' (a CHECK constraint).
    static func role(_ s: OpaquePointer) -> DecisionRole {
        let b = bytes(s, 3)
        return b.first == UInt8(ascii: "l") ? .lead : .annotator
    }
}

/// The last few distinct texts of one result column (tasks, dimensions, annotators, labels),
/// found again without hashing: the text of the last hit is tried first, then the others, by
/// length and first eight bytes before any memcmp (most texts here, "yes", "lead", are that
/// short). Keeps the 32 most recently added; older ones are simply looked up again.
struct RecentTexts {
    private struct Entry {
        var head: UInt64
        var length: Int
        var code: Int32
        /// Where the bytes after the first eight start in `tails`.
        var tail: Int
    }
    private var entries: [Entry] = []
    private var tails: [UInt8] = []
    private var last = -1

    /// The code of a text seen recently, or nil.
    mutating func find(_ raw: UnsafeRawBufferPointer) -> Int32? {
        let head = Self.head(raw)
        if last >= 0, matches(entries[last], head, raw) { return entries[last].code }
        for i in entries.indices where i != last && matches(entries[i], head, raw) {
            last = i
            return entries[i].code
        }
        return nil
    }

    private func matches(_ e: Entry, _ head: UInt64, _ raw: UnsafeRawBufferPointer) -> Bool {
        guard e.head == head, e.length == raw.count else { return false }
        if raw.count <= 8 { return true }
        return tails.withUnsafeBytes { t in
            guard let a = t.baseAddress, let b = raw.baseAddress else { return false }
            return memcmp(a + e.tail, b + 8, raw.count - 8) == 0
        }
    }

    mutating func remember(_ raw: UnsafeRawBufferPointer, code: Int32) {
        if entries.count >= 32 { entries.removeAll(keepingCapacity: true); tails.removeAll(keepingCapacity: true) }
        entries.append(Entry(head: Self.head(raw), length: raw.count, code: code, tail: tails.count))
        if raw.count > 8 { tails.append(contentsOf: raw[8...]) }
        last = entries.count - 1
    }

    /// The code of `raw`: a recent one, else the one `texts` gives it (remembered).
    mutating func code(_ raw: UnsafeRawBufferPointer, _ texts: inout TextCodes) -> Int32 {
        if let hit = find(raw) { return hit }
        let code = texts.code(raw)
        remember(raw, code: code)
        return code
    }

    /// The first eight bytes, zero-padded.
    private static func head(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        if raw.count >= 8 { return raw.loadUnaligned(as: UInt64.self) }
        var head: UInt64 = 0
        for i in 0..<raw.count { head |= UInt64(raw[i]) << (8 * UInt64(i)) }
        return head
    }
}

extension Store {
    /// Runs `body` over one consistent snapshot of the store: every read through the reader
    /// sees the same decisions and verdicts, however much annotators write meanwhile.
    public func readStatistics<T>(_ body: (StatsReader) throws -> T) throws -> T {
        try read { db in try body(StatsReader(db)) }
    }
}
