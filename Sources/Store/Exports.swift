import Foundation
import GRDB
import Domain
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

// What an export reads (one snapshot, streamed in sample order) and what it records back:
// the export, and which samples went into which split with which labels.

/// One person's current answer on one dimension of a sample: their latest decision row.
public struct EvidenceDecision: Sendable, Equatable {
    /// Codes in the reader's `texts`.
    public var dimension: Int32
    public var annotator: Int32
    /// The label's code, or −1 when the latest row withdrew the answer.
    public var label: Int32
    /// The judge's label as the decision recorded it (code), −1 when none was recorded.
    public var judgeLabel: Int32
    public var role: DecisionRole
    public var action: DecisionAction
    /// When the latest row was written (seconds since 1970).
    public var time: Double
    /// The newest comment this person wrote in the decision log together with the label they
    /// hold now (nil when none, or without `EvidenceScan.withText`).
    public var comment: EvidenceText?

    public init(dimension: Int32, annotator: Int32, label: Int32, judgeLabel: Int32 = -1, role: DecisionRole,
                action: DecisionAction, time: Double, comment: EvidenceText? = nil) {
        self.dimension = dimension; self.annotator = annotator; self.label = label; self.judgeLabel = judgeLabel
        self.role = role; self.action = action; self.time = time; self.comment = comment
    }
}

/// A comment written on one dimension of a sample (the workbench's `c`).
public struct EvidenceComment: Sendable, Equatable {
    public var dimension: Int32
    public var annotator: Int32
    public var text: EvidenceText

    public init(dimension: Int32, annotator: Int32, text: EvidenceText) {
        self.dimension = dimension; self.annotator = annotator; self.text = text
    }
}

/// One judge version's verdict on one dimension of a sample.
public struct EvidenceVerdict: Sendable, Equatable {
    public var judgeVersionID: Int64
    public var dimension: Int32
    /// The label's code, or −1 when the verdict failed.
    public var label: Int32
    /// Empty without `EvidenceScan.withText`.
    public var rationale: EvidenceText

    public init(judgeVersionID: Int64, dimension: Int32, label: Int32, rationale: EvidenceText = .empty) {
        self.judgeVersionID = judgeVersionID; self.dimension = dimension; self.label = label; self.rationale = rationale
    }
}

/// A text of a sample's evidence (a comment, a rationale): a range of `SampleEvidence.texts`.
/// Millions of verdicts are read per export and few of their rationales are written out, so
/// none is made a string unless asked for.
public struct EvidenceText: Sendable, Equatable {
    public var start: Int32
    public var count: Int32

    public init(start: Int32, count: Int32) { self.start = start; self.count = count }

    public static let empty = EvidenceText(start: 0, count: 0)
}

/// Everything the store says about one sample that decides its final labels.
public struct SampleEvidence: Sendable {
    public var pk: Int64
    /// The task's code.
    public var task: Int32
    /// The generator round; a sample without one counts as round 0.
    public var round: Int
    public var userID: String
    public var contextID: Int64
    /// One entry per (dimension, person) who ever answered, in (dimension, person) order.
    public var decisions: [EvidenceDecision] = []
    /// Comments on a dimension, oldest first (only with `EvidenceScan.withText`).
    public var comments: [EvidenceComment] = []
    /// In (judge version, dimension) order.
    public var verdicts: [EvidenceVerdict] = []
    /// The bytes of this sample's comments and rationales, as the store holds them (UTF-8 unless
    /// the file was damaged: check before writing them out).
    public var texts: [UInt8] = []

    public init(pk: Int64, task: Int32, round: Int, userID: String, contextID: Int64) {
        self.pk = pk; self.task = task; self.round = round; self.userID = userID; self.contextID = contextID
    }

    /// The bytes of `text`, for the length of `body`.
    public func withBytes<R>(_ text: EvidenceText, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try texts.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[Int(text.start)..<Int(text.start + text.count)]))
        }
    }

    /// Adds `bytes` to `texts`.
    mutating func keep(_ bytes: UnsafeRawBufferPointer) -> EvidenceText {
        let start = texts.count
        texts.append(contentsOf: bytes)
        return EvidenceText(start: Int32(start), count: Int32(bytes.count))
    }
}

/// A span of users in user-id order (byte order): from `from` (inclusive, nil: the first)
/// to before `before` (nil: through the last).
public struct UserSpan: Sendable, Equatable {
    public var from: String?
    public var before: String?

    public init(from: String? = nil, before: String? = nil) { self.from = from; self.before = before }
}

/// Which samples an evidence scan visits and what it reads about them.
public struct EvidenceScan: Sendable {
    /// Only samples of these tasks.
    public var tasks: [String]
    /// Only these generator rounds (nil: every round; a sample without a round is round 0).
    public var rounds: [Int]?
    /// Only the samples of this recorded export.
    public var exportID: Int64?
    /// Whether `ExportReader.currentSample()` may be called (reads each sample's content).
    public var withSamples: Bool
    /// Whether comments and judge rationales are read.
    public var withText: Bool
    /// Only samples with at least one human decision (the rest are not read at all).
    public var onlyHumanLabelled: Bool
    /// Only samples whose key is in this range (a chunk of a scan split across threads).
    public var pkRange: ClosedRange<Int64>?

    public init(tasks: [String], rounds: [Int]? = nil, exportID: Int64? = nil, withSamples: Bool = false, withText: Bool = false,
                onlyHumanLabelled: Bool = false, pkRange: ClosedRange<Int64>? = nil) {
        self.tasks = tasks; self.rounds = rounds; self.exportID = exportID
        self.withSamples = withSamples; self.withText = withText; self.onlyHumanLabelled = onlyHumanLabelled
        self.pkRange = pkRange
    }
}

/// Reads for an export over one snapshot of the store (one read transaction). Only valid
/// inside `Store.readExport`. Texts that repeat on every row (dimensions, annotators, labels,
/// tasks) come as small integer codes, as in `StatsReader`.
public final class ExportReader {
    private let db: Database
    /// Texts behind the codes handed out by this reader.
    public private(set) var texts = TextCodes()
    /// The row being visited, and whether it carries the sample's content.
    private var current: Columns?
    private var currentHasSample = false
    /// The visited sample once `currentSample()` decoded it (cleared when the visit moves on).
    private var currentDecoded: StoredSample?
    private var decoder = SampleDecoder()
    private var contextStatement: Statement?
    // Per column, the few texts it holds, found without hashing.
    private var taskCodes = RecentTexts(), dimensionCodes = RecentTexts(), annotatorCodes = RecentTexts(), labelCodes = RecentTexts()

    init(_ db: Database) { self.db = db }

    /// The text of a code handed out by this reader ("" for an unknown code).
    public func text(_ code: Int32) -> String { texts.text(code) ?? "" }

    /// The code of `text` (assigned now if this reader has not seen it yet).
    public func code(of text: String) -> Int32 { texts.code(of: text) }

    /// Every judge version, oldest first.
    public func judgeVersions() throws -> [StoredJudgeVersion] {
        try Row.fetchAll(db, sql: "SELECT * FROM judge_versions ORDER BY id").map(Store.judgeVersion)
    }

    /// The id of the newest decision in the snapshot (0 when there is none): with the snapshot's
    /// verdict count, it says what an export saw.
    public func decisionsThrough() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM decisions") ?? 0
    }

    /// The smallest and largest sample keys (0 and 0 when there are none): found in the key
    /// index, whatever the store's size. Keys are row ids and samples are never deleted, so
    /// the span is close to the number of samples.
    public func sampleKeys() throws -> ClosedRange<Int64> {
        // Two subqueries: SQLite reads a lone min() or max() off the index, both in one query by a scan.
        let row = try Row.fetchOne(db, sql: "SELECT coalesce((SELECT min(pk) FROM samples), 0), coalesce((SELECT max(pk) FROM samples), 0)")
        let low = try row?.decode(Int64.self, atIndex: 0) ?? 0
        return low...max(low, try row?.decode(Int64.self, atIndex: 1) ?? 0)
    }

    /// The generator rounds present among the samples of `tasks` (a missing round is 0), ascending.
    public func rounds(tasks: [String]) throws -> [Int] {
        guard !tasks.isEmpty else { return [] }
        return try Int.fetchAll(db, sql: """
            SELECT DISTINCT coalesce(round, 0) AS r FROM samples WHERE task IN (\(Self.marks(tasks.count))) ORDER BY r
            """, arguments: StatementArguments(tasks))
    }

    /// Calls `body` for every sample the scan selects, in sample-key order, with the human
    /// decisions, comments and verdicts on it, read by merging one cursor per table (each in
    /// its index order): the cost is one pass over each table, memory is one sample's worth.
    /// The evidence passed to `body` is reused for the next sample: copy what you keep.
    public func forEachSample(_ scan: EvidenceScan, _ body: (inout SampleEvidence) throws -> Void) throws {
        guard !scan.tasks.isEmpty else { return }
        var clauses = ["+s.task IN (\(Self.marks(scan.tasks.count)))"]
        var args: [(any DatabaseValueConvertible)?] = scan.tasks.map { $0 }
        if let rounds = scan.rounds { Self.roundClause(rounds, &clauses, &args) }
        // A range of keys: every table is read over the same range (its index order starts with
        // the sample key), so a chunk costs a seek per table, not a pass.
        var range = "", rangeArgs: [(any DatabaseValueConvertible)?] = []
        if let r = scan.pkRange {
            clauses.append("s.pk BETWEEN ? AND ?")
            args += [r.lowerBound, r.upperBound]
            range = "sample_pk BETWEEN ? AND ?"
            rangeArgs = [r.lowerBound, r.upperBound]
        }
        // Only one export's samples, or only labelled ones: the other tables are narrowed the same way.
        var narrow = "", narrowArgs: [(any DatabaseValueConvertible)?] = []
        if let id = scan.exportID {
            clauses.append("s.pk IN (SELECT sample_pk FROM export_rows WHERE export_id = ?)")
            args.append(id)
            narrow = "sample_pk IN (SELECT sample_pk FROM export_rows WHERE export_id = ?)"
            narrowArgs = [id]
        } else if scan.onlyHumanLabelled {
            let within = range.isEmpty ? "" : " WHERE " + range
            clauses.append("s.pk IN (SELECT DISTINCT sample_pk FROM decisions\(within))")
            args += rangeArgs
            narrow = "sample_pk IN (SELECT DISTINCT sample_pk FROM decisions\(within))"
            narrowArgs = rangeArgs
        }
        /// The WHERE clause of another table: its range, then (unless `unnarrowed`) the narrowing.
        func filter(_ first: [String] = [], unnarrowed: Bool = false) -> (sql: String, args: StatementArguments) {
            var parts = first, values: [(any DatabaseValueConvertible)?] = []
            if !range.isEmpty { parts.append(range); values += rangeArgs }
            if !narrow.isEmpty && !unnarrowed { parts.append(narrow); values += narrowArgs }
            return (parts.isEmpty ? "" : " WHERE " + parts.joined(separator: " AND "), StatementArguments(values))
        }
        let columns = scan.withSamples ? Self.sampleColumns : "s.pk, s.task, s.round, s.user_id, s.context_id"
        // Cached: a scan in chunks runs the same four statements once per chunk.
        let samplesStatement = try db.cachedStatement(sql: "SELECT \(columns) FROM samples s WHERE \(clauses.joined(separator: " AND ")) ORDER BY s.pk")
        let samples = try Row.fetchCursor(samplesStatement, arguments: StatementArguments(args))
        // Every decision is on a labelled sample: no need to narrow them for that.
        let decisionFilter = filter(unnarrowed: scan.exportID == nil)
        let decisionStatement = try db.cachedStatement(sql: """
            SELECT sample_pk, dimension, annotator, role, label, action, created_at, judge_label, comment
            FROM decisions\(decisionFilter.sql) ORDER BY sample_pk, dimension, annotator, id
            """)
        let decisions = try Row.fetchCursor(decisionStatement, arguments: decisionFilter.args)
        let commentFilter = filter(["dimension IS NOT NULL"])
        let commentStatement = scan.withText ? try db.cachedStatement(sql: """
            SELECT sample_pk, dimension, annotator, text FROM comments\(commentFilter.sql) ORDER BY sample_pk, id
            """) : nil
        let comments = try commentStatement.map { try Row.fetchCursor($0, arguments: commentFilter.args) }
        let verdictFilter = filter()
        let verdictStatement = try db.cachedStatement(sql: """
            SELECT sample_pk, judge_version_id, dimension, label\(scan.withText ? ", rationale" : "")
            FROM verdicts\(verdictFilter.sql) ORDER BY sample_pk, judge_version_id, dimension
            """)
        let verdicts = try Row.fetchCursor(verdictStatement, arguments: verdictFilter.args)
        let s = Columns(samplesStatement.sqliteStatement)
        let d = Columns(decisionStatement.sqliteStatement)
        let c = commentStatement.map { Columns($0.sqliteStatement) }
        let v = Columns(verdictStatement.sqliteStatement)
        // The key of each cursor's current row; nil once it is exhausted.
        var decisionPK = try decisions.next() != nil ? d.int64(0) : nil
        var commentPK = try comments?.next() != nil ? c?.int64(0) : nil
        var verdictPK = try verdicts.next() != nil ? v.int64(0) : nil
        var evidence = SampleEvidence(pk: 0, task: -1, round: 0, userID: "", contextID: 0)
        // The column caches live in locals while scanning: tens of millions of lookups then
        // need no access checks on this object's properties (`texts` is touched only on a miss).
        var taskCodes = self.taskCodes, dimensionCodes = self.dimensionCodes
        var annotatorCodes = self.annotatorCodes, labelCodes = self.labelCodes
        func code(_ codes: inout RecentTexts, _ raw: UnsafeRawBufferPointer) -> Int32 {
            if let hit = codes.find(raw) { return hit }
            let c = texts.code(raw)
            codes.remember(raw, code: c)
            return c
        }
        defer {
            current = nil
            currentDecoded = nil
            self.taskCodes = taskCodes; self.dimensionCodes = dimensionCodes
            self.annotatorCodes = annotatorCodes; self.labelCodes = labelCodes
        }
        while try samples.next() != nil {
            let pk = s.int64(0)
            evidence.pk = pk
            evidence.task = code(&taskCodes, s.bytes(1))
            evidence.round = s.isNull(2) ? 0 : Int(s.int64(2))
            if !s.equals(3, evidence.userID) { evidence.userID = s.string(3) }
            evidence.contextID = s.int64(4)
            evidence.decisions.removeAll(keepingCapacity: true)
            evidence.comments.removeAll(keepingCapacity: true)
            evidence.verdicts.removeAll(keepingCapacity: true)
            evidence.texts.removeAll(keepingCapacity: true)

            while let k = decisionPK, k < pk { decisionPK = try decisions.next() != nil ? d.int64(0) : nil }
            var open = EvidenceDecision(dimension: -1, annotator: -1, label: -1, role: .annotator, action: .label, time: 0)
            var commentLabel: Int32 = -2
            var comment: EvidenceText?
            func close() {
                guard open.dimension >= 0 else { return }
                open.comment = commentLabel == open.label ? comment : nil
                evidence.decisions.append(open)
            }
            while let k = decisionPK, k == pk {
                let dimension = code(&dimensionCodes, d.bytes(1)), annotator = code(&annotatorCodes, d.bytes(2))
                if open.dimension != dimension || open.annotator != annotator {
                    close()
                    open = EvidenceDecision(dimension: dimension, annotator: annotator, label: -1, role: .annotator, action: .label, time: 0)
                    commentLabel = -2; comment = nil
                }
                open.role = d.bytes(3).first == UInt8(ascii: "l") ? .lead : .annotator
                let label: Int32 = d.isNull(4) ? -1 : code(&labelCodes, d.bytes(4))
                open.label = label
                open.action = DecisionAction(storedBytes: d.bytes(5))
                open.time = d.double(6)
                open.judgeLabel = d.isNull(7) ? -1 : code(&labelCodes, d.bytes(7))
                if scan.withText, !d.isNull(8) {
                    let text = d.bytes(8)
                    if !text.isEmpty { comment = evidence.keep(text); commentLabel = label }
                }
                decisionPK = try decisions.next() != nil ? d.int64(0) : nil
            }
            close()

            if let comments, let c {
                while let k = commentPK, k < pk { commentPK = try comments.next() != nil ? c.int64(0) : nil }
                while let k = commentPK, k == pk {
                    evidence.comments.append(EvidenceComment(dimension: code(&dimensionCodes, c.bytes(1)),
                                                             annotator: code(&annotatorCodes, c.bytes(2)),
                                                             text: evidence.keep(c.bytes(3))))
                    commentPK = try comments.next() != nil ? c.int64(0) : nil
                }
            }

            while let k = verdictPK, k < pk { verdictPK = try verdicts.next() != nil ? v.int64(0) : nil }
            while let k = verdictPK, k == pk {
                evidence.verdicts.append(EvidenceVerdict(
                    judgeVersionID: v.int64(1), dimension: code(&dimensionCodes, v.bytes(2)),
                    label: v.isNull(3) ? -1 : code(&labelCodes, v.bytes(3)),
                    rationale: scan.withText ? evidence.keep(v.bytes(4)) : .empty))
                verdictPK = try verdicts.next() != nil ? v.int64(0) : nil
            }

            current = s
            currentHasSample = scan.withSamples
            currentDecoded = nil
            try body(&evidence)
        }
    }

    /// Calls `body` for every sample of `tasks` (and `rounds`, as in `EvidenceScan`) ordered by
    /// user id, then sample key (the samples_user index), with the sample's key, task code
    /// user id and context id; with `users`, only the samples of users in that span (user ids
    /// compare by their bytes, as the index orders them). `currentSample()` reads the sample
    /// being visited.
    public func forEachSampleByUser(tasks: [String], rounds: [Int]?, users: UserSpan = UserSpan(),
                                    _ body: (_ pk: Int64, _ task: Int32, _ userID: String, _ contextID: Int64) throws -> Void) throws {
        guard !tasks.isEmpty else { return }
        var clauses = ["+s.task IN (\(Self.marks(tasks.count)))"]
        var args: [(any DatabaseValueConvertible)?] = tasks.map { $0 }
        if let rounds { Self.roundClause(rounds, &clauses, &args) }
        if let from = users.from { clauses.append("s.user_id >= ?"); args.append(from) }
        if let before = users.before { clauses.append("s.user_id < ?"); args.append(before) }
        // Cached: a scan by spans of users runs the same statement once per span.
        let statement = try db.cachedStatement(sql: """
            SELECT \(Self.sampleColumns) FROM samples s
            WHERE \(clauses.joined(separator: " AND ")) ORDER BY s.user_id, s.pk
            """)
        let cursor = try Row.fetchCursor(statement, arguments: StatementArguments(args))
        let s = Columns(statement.sqliteStatement)
        var user = ""
        defer { current = nil; currentDecoded = nil }
        while try cursor.next() != nil {
            current = s
            currentHasSample = true
            currentDecoded = nil
            if !s.equals(3, user) { user = s.string(3) }
            try body(s.int64(0), taskCodes.code(s.bytes(1), &texts), user, s.int64(4))
        }
    }

    /// Where to cut the users, in user-id order, into spans of about `samples` samples each (a
    /// user is never cut): the first user id of every span after the first. Read from the
    /// samples_user index alone (every sample counts, whatever its task or round).
    public func userSpanStarts(samples: Int) throws -> [String] {
        let statement = try db.makeStatement(sql: "SELECT user_id FROM samples ORDER BY user_id")
        let cursor = try Row.fetchCursor(statement)
        let s = Columns(statement.sqliteStatement)
        var starts: [String] = []
        var count = 0
        var user: String?
        while try cursor.next() != nil {
            if let user, s.equals(0, user) { count += 1; continue }
            let next = s.string(0)
            if user != nil && count >= samples { starts.append(next); count = 0 }
            user = next
            count += 1
        }
        return starts
    }

    /// The sample being visited by `forEachSample` (with `withSamples`) or `forEachSampleByUser`.
    /// - Throws: `StoreError.invalid` outside such a visit, or when the stored JSON is damaged.
    /// Decoded once per visit: asking again returns the same sample.
    public func currentSample() throws -> StoredSample {
        guard let c = current, currentHasSample else {
            throw StoreError.invalid("currentSample() is only valid while visiting a sample with its content")
        }
        if let decoded = currentDecoded { return decoded }
        // Columns as in `sampleColumns`; the context only when the decoder has not parsed it yet.
        var context: [UInt8]?
        if !decoder.knows(context: c.int64(4)) {
            var bytes: [UInt8] = []
            try appendContext(c.int64(4), to: &bytes)
            context = bytes
        }
        let decoded = try decoder.decode(RawStoredSample(pk: c.int64(0), id: c.string(5), contextID: c.int64(4), body: Array(c.bytes(6)),
                                                         context: context, source: c.string(7), contentHash: c.string(8)))
        currentDecoded = decoded
        return decoded
    }

    /// The visited sample's stored columns, read in place (no copy): valid until the scan
    /// moves on, so use them inside the visit.
    public func currentColumns() throws -> SampleColumns {
        guard let c = current, currentHasSample else {
            throw StoreError.invalid("currentColumns() is only valid while visiting a sample with its content")
        }
        // Columns as in `sampleColumns`.
        return SampleColumns(pk: c.int64(0), contextID: c.int64(4), round: c.isNull(2) ? 0 : Int(c.int64(2)),
                             id: c.bytes(5), body: c.bytes(6), contentHash: c.bytes(8))
    }

    /// Every sample key recorded in an earlier export of one of `kinds` or with one of `exportIDs`
    /// (each key once, ascending).
    public func exportedSamplePKs(kinds: [String], exportIDs: [Int64], _ body: (Int64) throws -> Void) throws {
        guard !kinds.isEmpty || !exportIDs.isEmpty else { return }
        var clauses: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if !kinds.isEmpty { clauses.append("e.kind IN (\(Self.marks(kinds.count)))"); args += kinds.map { $0 } }
        if !exportIDs.isEmpty { clauses.append("e.id IN (\(Self.marks(exportIDs.count)))"); args += exportIDs.map { $0 } }
        let cursor = try Int64.fetchCursor(db, sql: """
            SELECT DISTINCT r.sample_pk FROM export_rows r JOIN exports e ON e.id = r.export_id
            WHERE \(clauses.joined(separator: " OR ")) ORDER BY r.sample_pk
            """, arguments: StatementArguments(args))
        while let pk = try cursor.next() { try body(pk) }
    }

    /// Appends the JSON of stored user context `id` (read by key: the scans do not join
    /// contexts, which a million samples would seek into once each for a few thousand reads).
    /// - Throws: `StoreError.invalid` when the store has no such context.
    public func appendContext(_ id: Int64, to bytes: inout [UInt8]) throws {
        if contextStatement == nil {
            contextStatement = try db.makeStatement(sql: "SELECT json FROM contexts WHERE id = ?")
        }
        guard let statement = contextStatement else { return }
        let s = statement.sqliteStatement
        sqlite3_reset(s)
        sqlite3_bind_int64(s, 1, id)
        defer { sqlite3_reset(s) }
        guard sqlite3_step(s) == SQLITE_ROW else { throw StoreError.invalid("user context \(id) is missing from the store") }
        if let p = sqlite3_column_text(s, 0) {
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: UnsafeRawPointer(p), count: Int(sqlite3_column_bytes(s, 0))))
        }
    }

    private static let sampleColumns =
        "s.pk, s.task, s.round, s.user_id, s.context_id, s.id, s.body, s.source, s.content_hash"

    /// Rounds as a clause; no rounds selects nothing.
    private static func roundClause(_ rounds: [Int], _ clauses: inout [String], _ args: inout [(any DatabaseValueConvertible)?]) {
        if rounds.isEmpty { clauses.append("0"); return }
        clauses.append("coalesce(s.round, 0) IN (\(marks(rounds.count)))")
        args += rounds.map { $0 }
    }

    private static func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }

}

/// A sample's stored row copied out of SQLite undecoded, for another thread to decode.
public struct RawStoredSample: Sendable {
    public var pk: Int64
    public var id: String
    public var contextID: Int64
    /// The body's canonical JSON (task, item, output, model, round, extra), UTF-8.
    public var body: [UInt8]
    /// The user context's JSON, UTF-8; nil when the decoder is known to have it.
    public var context: [UInt8]?
    public var source: String
    public var contentHash: String
}

/// A visited sample's stored columns, pointing into SQLite's row (see `ExportReader.currentColumns`).
public struct SampleColumns {
    public var pk: Int64
    public var contextID: Int64
    /// The generator round (0 when it has none).
    public var round: Int
    /// UTF-8 texts: the sample id, the body's canonical JSON, the content hash.
    public var id: UnsafeRawBufferPointer
    public var body: UnsafeRawBufferPointer
    public var contentHash: UnsafeRawBufferPointer

    /// The body as UTF-8 bytes.
    public var bodyUTF8: UnsafeBufferPointer<UInt8> { body.assumingMemoryBound(to: UInt8.self) }

    /// One of the texts as a string.
    public func text(_ column: UnsafeRawBufferPointer) -> String { String(decoding: column.assumingMemoryBound(to: UInt8.self), as: UTF8.self) }
}

/// Decodes raw samples, parsing each user context once (it keeps the last 256).
public struct SampleDecoder: Sendable {
    private var contexts: [Int64: JSONObject] = [:]

    public init() {}

    /// Whether the context `id` is among the parsed ones kept (a sample of it needs no JSON).
    public func knows(context id: Int64) -> Bool { contexts[id] != nil }

    /// The sample, as `Store.sample(pk:)` would return it.
    /// - Throws: `StoreError.invalid` when the stored JSON is damaged (a store edited by hand)
    ///   or the context was left out and not seen before.
    public mutating func decode(_ raw: RawStoredSample) throws -> StoredSample {
        let parsed: JSONValue? = raw.body.withUnsafeBufferPointer { try? JSONParser.parse($0) }
        guard case .object(let body)? = parsed else { throw StoreError.invalid("sample \(raw.id): stored JSON is damaged") }
        let user: JSONObject
        if let cached = contexts[raw.contextID] { user = cached } else {
            guard let text = raw.context else { throw StoreError.invalid("sample \(raw.id): its context was not read") }
            let value: JSONValue? = text.withUnsafeBufferPointer { try? JSONParser.parse($0) }
            guard case .object(let context)? = value else {
                throw StoreError.invalid("sample \(raw.id): stored context JSON is damaged")
            }
            if contexts.count > 256 { contexts.removeAll(keepingCapacity: true) }
            contexts[raw.contextID] = context
            user = context
        }
        let sample = Sample(id: raw.id, task: body["task"]?.string ?? "", user: user, item: body["item"]?.object,
                            output: body["output"]?.object ?? JSONObject(), generatorModel: body["model"]?.string,
                            generatorRound: body["round"]?.int, extra: body["extra"]?.object ?? JSONObject())
        return StoredSample(pk: raw.pk, sample: sample, source: raw.source, contentHash: raw.contentHash, contextID: raw.contextID)
    }
}

/// The columns of the row a statement is on, read through the SQLite C API: no value is
/// copied until asked for, and text is read in place.
private struct Columns {
    let statement: SQLiteStatement

    init(_ statement: SQLiteStatement) { self.statement = statement }

    func int64(_ i: CInt) -> Int64 { sqlite3_column_int64(statement, i) }
    func double(_ i: CInt) -> Double { sqlite3_column_double(statement, i) }
    func isNull(_ i: CInt) -> Bool { sqlite3_column_type(statement, i) == SQLITE_NULL }

    /// The column's text bytes (UTF-8), valid until the statement moves on.
    func bytes(_ i: CInt) -> UnsafeRawBufferPointer {
        guard let p = sqlite3_column_text(statement, i) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: UnsafeRawPointer(p), count: Int(sqlite3_column_bytes(statement, i)))
    }

    func string(_ i: CInt) -> String {
        let b = bytes(i)
        return String(decoding: b.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
    }

    /// Whether the column's text equals `text`, compared in place.
    func equals(_ i: CInt, _ text: String) -> Bool {
        let b = bytes(i)
        var t = text
        return t.withUTF8 { Bytes.equal(UnsafeRawBufferPointer($0), b) }
    }
}

/// Which side of a preference pair an exported sample is, and the other side's key.
public struct ExportPairSide: Sendable, Equatable {
    public enum Role: String, Sendable { case chosen, rejected }

    public var role: Role
    public var with: Int64

    public init(role: Role, with: Int64) { self.role = role; self.with = with }
}

/// An export as recorded in the store.
public struct StoredExport: Sendable, Equatable {
    public var id: Int64
    /// generator-sft, judge-sft or preference.
    public var kind: String
    /// The folder written.
    public var out: String
    /// manifest.json as written.
    public var manifest: String
    public var command: String
    /// Seconds since 1970.
    public var createdAt: Double
    /// Samples recorded (a preference pair records both of its samples).
    public var samples: Int
}

/// One recorded row of an export, with its sample's id and task.
public struct StoredExportRow: Sendable, Equatable {
    public var samplePK: Int64
    public var sampleID: String
    public var task: String
    public var split: String
    public var labels: String
}

extension Store {
    /// Runs `body` over one consistent snapshot of the store (one read transaction): every
    /// scan through the reader sees the same samples, decisions and verdicts, however much
    /// annotators write meanwhile.
    public func readExport<T>(_ body: (ExportReader) throws -> T) throws -> T {
        try read { db in try body(ExportReader(db)) }
    }

    /// Runs `body` on `count` threads at once, each with a connection of its own, all reading
    /// one and the same snapshot of the store however much others write meanwhile: a scan can
    /// then be split across cores. The snapshots are taken while this process holds the write
    /// lock for a moment (so nothing can commit between them). Returns when every thread has
    /// returned; throws the first error one of them threw (the others keep running until their
    /// `body` returns: stopping them is the caller's business).
    public func readExportInParallel(_ count: Int, _ body: @escaping @Sendable (_ index: Int, _ reader: ExportReader) throws -> Void) throws {
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeout)
        config.label = "recjudge parallel reader"
        let queues: [DatabaseQueue]
        do {
            queues = try (0..<max(1, count)).map { _ in try DatabaseQueue(path: path, configuration: config) }
        } catch let e as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: e.message ?? "\(e)")
        }
        let threads = ThreadGroup()
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                defer { try? db.execute(sql: "ROLLBACK") }
                for (i, queue) in queues.enumerated() {
                    threads.start(name: "recjudge reader \(i + 1)") { ready in
                        try queue.read { db in
                            // The snapshot is taken by the first read of the transaction.
                            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
                            ready()
                            try body(i, ExportReader(db))
                        }
                    }
                }
                threads.waitUntilReady()
            }
        } catch let e as DatabaseError {
            threads.waitUntilDone()
            throw StoreError.readFailed(e)
        }
        threads.waitUntilDone()
        if let error = threads.firstError { throw (error as? DatabaseError).map(StoreError.readFailed) ?? error }
    }

    /// Records an export and its rows in one transaction named "record export".
    ///
    /// In order, inside the transaction: the export is inserted (its id is passed on), `rows`
    /// adds the rows through the function it is given (a sample key; its split: train, dev or
    /// test; its labels as UTF-8 JSON: dimension → [final label, its source]; for a preference
    /// pair's samples, which side it is and the other side's key), `manifest` returns the
    /// manifest text to store (given the id and the number of rows added), and `beforeCommit`
    /// runs last. If any of them throws, nothing is recorded; when this returns, the export is
    /// on disk. Equal labels texts are stored once per export (a label set).
    /// - Throws: `StoreError.failed` when SQLite refuses (e.g. a sample recorded twice), or what
    ///   the closures throw.
    @discardableResult
    public func recordExport(kind: String, out: String, command: String,
                             rows: (_ add: (_ samplePK: Int64, _ split: String, _ labels: UnsafeRawBufferPointer,
                                            _ pair: ExportPairSide?) throws -> Void) throws -> Void,
                             manifest: (_ exportID: Int64, _ rows: Int) throws -> String,
                             beforeCommit: (_ exportID: Int64) throws -> Void) throws -> Int64 {
        // Foreign keys are off for this transaction only: every row names a sample the export
        // read from this store, and samples are never deleted; checking a million rows would
        // cost a lookup each.
        do {
            return try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
                var id: Int64 = 0
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "INSERT INTO exports (kind, out, manifest, command, created_at) VALUES (?, ?, '', ?, ?)",
                                   arguments: [kind, out, command, now()])
                    id = db.lastInsertedRowID
                    // Bound and stepped through the C API, 64 rows a statement: a million rows are
                    // then 16k statements' work. Each distinct labels text is stored once, as a
                    // numbered label set of the export.
                    let batch = 64
                    let tuple = "(?, ?, ?, ?, ?, ?)"
                    let columns = "INSERT INTO export_rows (export_id, sample_pk, split, label_set, pair_role, pair_with) VALUES "
                    let many = try db.makeStatement(sql: columns + Array(repeating: tuple, count: batch).joined(separator: ", "))
                    let one = try db.makeStatement(sql: columns + tuple)
                    let newSet = try db.makeStatement(sql: "INSERT INTO export_label_sets (export_id, id, labels) VALUES (?, ?, ?)")
                    var sets: [Bytes.Key: Int64] = [:]
                    var lastSet: (labels: [UInt8], id: Int64)?
                    var pending: [(pk: Int64, split: String, set: Int64, pair: ExportPairSide?)] = []
                    pending.reserveCapacity(batch)
                    var count = 0
                    func step(_ raw: SQLiteStatement) throws {
                        guard sqlite3_step(raw) == SQLITE_DONE else {
                            let reason = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) } ?? "unknown"
                            sqlite3_reset(raw)
                            throw StoreError.failed(operation: "record export", reason: reason)
                        }
                        sqlite3_reset(raw)
                    }
                    func insert(_ statement: Statement, rows: Range<Int>) throws {
                        let raw = statement.sqliteStatement
                        for (n, i) in rows.enumerated() {
                            let column = Int32(n * 6)
                            sqlite3_bind_int64(raw, column + 1, id)
                            sqlite3_bind_int64(raw, column + 2, pending[i].pk)
                            // Copied by SQLite (SQLITE_TRANSIENT): the C string lives for this call only.
                            _ = pending[i].split.withCString { sqlite3_bind_text(raw, column + 3, $0, -1, Self.transient) }
                            sqlite3_bind_int64(raw, column + 4, pending[i].set)
                            if let pair = pending[i].pair {
                                _ = pair.role.rawValue.withCString { sqlite3_bind_text(raw, column + 5, $0, -1, Self.transient) }
                                sqlite3_bind_int64(raw, column + 6, pair.with)
                            } else {
                                sqlite3_bind_null(raw, column + 5)
                                sqlite3_bind_null(raw, column + 6)
                            }
                        }
                        try step(raw)
                    }
                    func labelSet(_ labels: UnsafeRawBufferPointer) throws -> Int64 {
                        if let last = lastSet, last.labels.withUnsafeBytes({ Bytes.equal($0, labels) }) { return last.id }
                        let text = labels.isEmpty ? Array("{}".utf8) : Array(labels)
                        let set: Int64
                        if let known = sets[Bytes.Key(text)] { set = known } else {
                            set = Int64(sets.count)
                            sets[Bytes.Key(text)] = set
                            let raw = newSet.sqliteStatement
                            sqlite3_bind_int64(raw, 1, id)
                            sqlite3_bind_int64(raw, 2, set)
                            try text.withUnsafeBufferPointer { t in
                                sqlite3_bind_text(raw, 3, UnsafeRawPointer(t.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(t.count), nil)
                                try step(raw)
                            }
                        }
                        lastSet = (text, set)
                        return set
                    }
                    try rows { pk, split, labels, pair in
                        pending.append((pk, split, try labelSet(labels), pair))
                        if pending.count == batch {
                            try insert(many, rows: 0..<batch)
                            count += batch
                            pending.removeAll(keepingCapacity: true)
                        }
                    }
                    for i in pending.indices { try insert(one, rows: i..<(i + 1)) }
                    count += pending.count
                    try db.execute(sql: "UPDATE exports SET manifest = ? WHERE id = ?", arguments: [try manifest(id, count), id])
                    try beforeCommit(id)
                    return .commit
                }
                return id
            }
        } catch let e as DatabaseError {
            throw StoreError.failed(operation: "record export", reason: e.message ?? "\(e)")
        }
    }

    /// SQLite's SQLITE_TRANSIENT: bound text is copied.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Every recorded export, oldest first, with how many samples each recorded.
    public func exports() throws -> [StoredExport] {
        try read { db in try Row.fetchAll(db, sql: Self.exportSQL + " ORDER BY e.id").map(Self.storedExport) }
    }

    /// One recorded export, or nil.
    public func export(id: Int64) throws -> StoredExport? {
        try read { db in try Row.fetchOne(db, sql: Self.exportSQL + " WHERE e.id = ?", arguments: [id]).map(Self.storedExport) }
    }

    /// The rows of one export in sample order, streaming. A preference pair's row gives its
    /// labels with `"$pair": [chosen or rejected, the other sample's id]` first.
    public func forEachExportRow(exportID: Int64, _ body: (StoredExportRow) throws -> Void) throws {
        try read { db in
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT r.sample_pk, s.id, s.task, r.split, coalesce(r.labels, l.labels), r.pair_role, p.id FROM export_rows r
                JOIN samples s ON s.pk = r.sample_pk
                LEFT JOIN export_label_sets l ON l.export_id = r.export_id AND l.id = r.label_set
                LEFT JOIN samples p ON p.pk = r.pair_with
                WHERE r.export_id = ? ORDER BY r.sample_pk
                """, arguments: [exportID])
            while let r = try cursor.next() {
                var labels: String = r[4]
                if let role: String = r[5], let partner: String = r[6] {
                    let pair = #"{"$pair":["# + JSONValue.string(role).serialized() + "," + JSONValue.string(partner).serialized() + "]"
                    labels = labels == "{}" ? pair + "}" : pair + "," + labels.dropFirst()
                }
                try body(StoredExportRow(samplePK: r[0], sampleID: r[1], task: r[2], split: r[3], labels: labels))
            }
        }
    }

    private static let exportSQL = """
        SELECT e.id, e.kind, e.out, e.manifest, e.command, e.created_at,
               (SELECT count(*) FROM export_rows r WHERE r.export_id = e.id) AS samples
        FROM exports e
        """

    private static func storedExport(_ r: Row) -> StoredExport {
        StoredExport(id: r["id"], kind: r["kind"], out: r["out"], manifest: r["manifest"], command: r["command"],
                     createdAt: r["created_at"], samples: r["samples"])
    }
}

/// Threads started together that each say when they are ready (or failed before), and are
/// waited for; the first error thrown is kept.
private final class ThreadGroup: @unchecked Sendable {
    private let condition = NSCondition()
    private var started = 0, ready = 0, finished = 0
    private(set) var firstError: (any Error)?

    /// Starts `body` on a new thread; it calls the function it is given once it is ready.
    func start(name: String, _ body: @escaping @Sendable (_ ready: () -> Void) throws -> Void) {
        condition.lock(); started += 1; condition.unlock()
        let thread = Thread { [self] in
            var saidReady = false
            let markReady = { [self] in
                guard !saidReady else { return }
                saidReady = true
                condition.lock(); ready += 1; condition.broadcast(); condition.unlock()
            }
            do { try body(markReady) } catch {
                condition.lock(); if firstError == nil { firstError = error }; condition.unlock()
            }
            markReady()
            condition.lock(); finished += 1; condition.broadcast(); condition.unlock()
        }
        thread.name = name
        thread.start()
    }

    func waitUntilReady() {
        condition.lock(); defer { condition.unlock() }
        while ready < started { condition.wait() }
    }

    func waitUntilDone() {
        condition.lock(); defer { condition.unlock() }
        while finished < started { condition.wait() }
    }
}
