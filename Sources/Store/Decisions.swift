import GRDB
import Domain

public enum DecisionRole: String, Sendable, CaseIterable { case annotator, lead }

public enum DecisionAction: String, Sendable, CaseIterable {
    /// Took the judge's label.
    case accept
    /// Chose a label other than the judge's.
    case override
    /// Chose a label with no judge verdict shown (blind mode, or no verdict).
    case label
    /// A lead's final label on a conflict.
    case adjudicate
    /// Withdrew or restored an earlier answer.
    case undo, redo
    /// Imported from a decision file made elsewhere.
    case `import`
}

/// One entry for the append-only decision log.
public struct DecisionInput: Sendable, Equatable {
    public var samplePK: Int64
    public var dimension: String
    public var annotator: String
    public var role: DecisionRole
    /// nil withdraws the annotator's answer on this dimension (undo of a first answer).
    public var label: String?
    public var action: DecisionAction
    public var judgeLabel: String?
    public var judgeVersionID: Int64?
    public var comment: String?
    public var rubricVersion: Int
    /// Seconds since 1970; nil means now.
    public var time: Double?
    public var importKey: String?

    public init(samplePK: Int64, dimension: String, annotator: String, role: DecisionRole = .annotator, label: String?,
                action: DecisionAction, judgeLabel: String? = nil, judgeVersionID: Int64? = nil, comment: String? = nil,
                rubricVersion: Int, time: Double? = nil, importKey: String? = nil) {
        self.samplePK = samplePK; self.dimension = dimension; self.annotator = annotator; self.role = role
        self.label = label; self.action = action; self.judgeLabel = judgeLabel; self.judgeVersionID = judgeVersionID
        self.comment = comment; self.rubricVersion = rubricVersion; self.time = time; self.importKey = importKey
    }
}

public struct StoredDecision: Sendable, Equatable {
    public var id: Int64
    public var samplePK: Int64
    public var dimension: String
    public var annotator: String
    public var role: DecisionRole
    public var label: String?
    public var action: DecisionAction
    public var judgeLabel: String?
    public var judgeVersionID: Int64?
    public var comment: String?
    public var rubricVersion: Int
    public var createdAt: Double
}

extension Store {
    /// Appends decisions in one transaction; when this returns they are on disk.
    @discardableResult
    public func record(_ decisions: [DecisionInput]) throws -> [Int64] {
        try write("record decision") { db in try decisions.map { try Self.insert($0, db) } }
    }

    @discardableResult
    public func record(_ decision: DecisionInput) throws -> Int64 { try record([decision])[0] }

    /// Inserts one decision; returns 0 when an import key was already present (nothing written).
    static func insert(_ d: DecisionInput, _ db: Database) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO decisions (sample_pk, dimension, annotator, role, label, action, judge_label,
                judge_version_id, comment, rubric_version, created_at, import_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [d.samplePK, d.dimension, d.annotator, d.role.rawValue, d.label, d.action.rawValue,
                                      d.judgeLabel, d.judgeVersionID, d.comment, d.rubricVersion, d.time ?? now(), d.importKey])
        return db.changesCount == 1 ? db.lastInsertedRowID : 0
    }

    /// The whole log of one sample, oldest first.
    public func decisions(samplePK: Int64) throws -> [StoredDecision] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM decisions WHERE sample_pk = ? ORDER BY id", arguments: [samplePK]).map(Self.decision)
        }
    }

    public func decisionCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM decisions") ?? 0 }
    }

    /// Streams the log in order (optionally one task's samples), for statistics and export.
    public func forEachDecision(task: String? = nil, _ body: (StoredDecision) throws -> Void) throws {
        try read { db in
            let sql = task == nil
                ? "SELECT * FROM decisions ORDER BY id"
                : "SELECT d.* FROM decisions d JOIN samples s ON s.pk = d.sample_pk WHERE s.task = ? ORDER BY d.id"
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: task.map { [$0] } ?? [])
            while let r = try cursor.next() { try body(Self.decision(r)) }
        }
    }

    static func decision(_ r: Row) -> StoredDecision {
        StoredDecision(id: r["id"], samplePK: r["sample_pk"], dimension: r["dimension"], annotator: r["annotator"],
                       role: DecisionRole(rawValue: r["role"]) ?? .annotator, label: r["label"],
                       action: DecisionAction(rawValue: r["action"]) ?? .label, judgeLabel: r["judge_label"],
                       judgeVersionID: r["judge_version_id"], comment: r["comment"], rubricVersion: r["rubric_version"],
                       createdAt: r["created_at"])
    }

    /// Adds a free-text comment on a sample (optionally on one dimension).
    @discardableResult
    public func comment(samplePK: Int64, dimension: String?, annotator: String, text: String) throws -> Int64 {
        try write("record comment") { db in
            try db.execute(sql: "INSERT INTO comments (sample_pk, dimension, annotator, text, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [samplePK, dimension, annotator, text, now()])
            return db.lastInsertedRowID
        }
    }

    public func comments(samplePK: Int64) throws -> [(dimension: String?, annotator: String, text: String, createdAt: Double)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM comments WHERE sample_pk = ? ORDER BY id", arguments: [samplePK]).map {
                (dimension: $0["dimension"], annotator: $0["annotator"], text: $0["text"], createdAt: $0["created_at"])
            }
        }
    }
}
