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
public final class StatsReader {
    private let db: Database
    /// Texts behind the codes of every row handed out by this reader.
    public private(set) var texts = TextCodes()

    init(_ db: Database) { self.db = db }

    /// The text of a code handed out by this reader ("" for an unknown code).
    public func text(_ code: Int32) -> String { texts.text(code) ?? "" }

    /// The code of `text` (assigned now if this reader has not seen it yet).
    public func code(of text: String) -> Int32 { texts.code(of: text) }

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
    public func forEachDecision(_ body: (DecisionRow) throws -> Void) throws {
        // Role and action are read as texts too: comparing them in SQLite costs more than
        // recognising their few values here.
        var dimensions = RecentTexts(), annotators = RecentTexts(), labels = RecentTexts()
        var roleTexts = RecentTexts(), actionTexts = RecentTexts()
        var roles: [Int32: DecisionRole] = [:], actions: [Int32: DecisionAction] = [:]
        var lastRole: (code: Int32, role: DecisionRole) = (-1, .annotator)
        var lastAction: (code: Int32, action: DecisionAction) = (-1, .label)
        try scan("SELECT sample_pk, dimension, annotator, role, label, action, created_at FROM decisions ORDER BY id") { s in
            let roleCode = code(s, 3, &roleTexts), actionCode = code(s, 5, &actionTexts)
            if roleCode != lastRole.code {
                let role = roles[roleCode] ?? DecisionRole(rawValue: text(roleCode)) ?? .annotator
                roles[roleCode] = role
                lastRole = (roleCode, role)
            }
            if actionCode != lastAction.code {
                let action = actions[actionCode] ?? DecisionAction(rawValue: text(actionCode)) ?? .label
                actions[actionCode] = action
                lastAction = (actionCode, action)
            }
            try body(DecisionRow(
                samplePK: sqlite3_column_int64(s, 0), dimension: code(s, 1, &dimensions), annotator: code(s, 2, &annotators),
                label: sqlite3_column_type(s, 4) == SQLITE_NULL ? -1 : code(s, 4, &labels),
                role: lastRole.role, action: lastAction.action, time: sqlite3_column_double(s, 6)))
        }
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
    private func code(_ s: OpaquePointer, _ column: Int32, _ recent: inout RecentTexts) -> Int32 {
        let pointer = sqlite3_column_text(s, column)
        let count = pointer == nil ? 0 : Int(sqlite3_column_bytes(s, column))
        let raw = UnsafeRawBufferPointer(start: pointer.map(UnsafeRawPointer.init), count: count)
        if let hit = recent.find(raw) { return hit }
        let code = texts.code(raw)
        recent.remember(raw, code: code)
        return code
    }
}

/// The last few distinct texts of one result column, compared by length and first eight
/// bytes before any memcmp: most texts here ("yes", "lead", "accept") are that short.
struct RecentTexts {
    private var heads: [UInt64] = []
    private var lengths: [Int] = []
    private var tails: [[UInt8]] = []
    private var codes: [Int32] = []

    func find(_ raw: UnsafeRawBufferPointer) -> Int32? {
        let head = Self.head(raw)
        let found: Int? = heads.withUnsafeBufferPointer { heads in
            lengths.withUnsafeBufferPointer { lengths in
                var i = 0
                while i < heads.count {
                    if heads[i] == head && lengths[i] == raw.count {
                        if raw.count <= 8 { return i }
                        let same = tails[i].withUnsafeBytes { tail in
                            guard let a = tail.baseAddress, let b = raw.baseAddress else { return false }
                            return memcmp(a, b + 8, raw.count - 8) == 0
                        }
                        if same { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
        return found.map { codes[$0] }
    }

    mutating func remember(_ raw: UnsafeRawBufferPointer, code: Int32) {
        if heads.count >= 16 {
            heads.removeFirst(); lengths.removeFirst(); tails.removeFirst(); codes.removeFirst()
        }
        heads.append(Self.head(raw))
        lengths.append(raw.count)
        tails.append(raw.count > 8 ? Array(raw[8...]) : [])
        codes.append(code)
    }

    /// The first eight bytes, zero-padded.
    private static func head(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        var head: UInt64 = 0
        withUnsafeMutableBytes(of: &head) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw.prefix(8))) }
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
