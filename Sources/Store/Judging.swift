import GRDB
import Domain

/// One dimension's verdict from one judge call.
public struct VerdictInput: Sendable, Equatable {
    public var dimension: String
    /// nil when the verdict failed (unparseable reply, label outside the rubric, missing dimension).
    public var label: String?
    public var rationale: String
    public var confidence: Double?
    public var failure: String?

    public init(dimension: String, label: String?, rationale: String = "", confidence: Double? = nil, failure: String? = nil) {
        self.dimension = dimension; self.label = label; self.rationale = rationale
        self.confidence = confidence; self.failure = failure
    }
}

/// A judge call's bookkeeping: the raw reply, latency and tokens. Never holds a key.
public struct JudgeCallInput: Sendable {
    public var ok: Bool
    public var error: String?
    public var raw: String?
    public var latencyMilliseconds: Double?
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var attempts: Int

    public init(ok: Bool, error: String? = nil, raw: String? = nil, latencyMilliseconds: Double? = nil,
                promptTokens: Int? = nil, completionTokens: Int? = nil, attempts: Int = 1) {
        self.ok = ok; self.error = error; self.raw = raw; self.latencyMilliseconds = latencyMilliseconds
        self.promptTokens = promptTokens; self.completionTokens = completionTokens; self.attempts = attempts
    }
}

public struct StoredJudgeVersion: Sendable, Equatable {
    public var id: Int64
    public var judge: String
    public var version: String
    public var kind: String
    public var model: String?
    public var task: String
    public var rubricVersion: Int
    public var createdAt: Double
}

extension Store {
    /// The row id of a judge version, registering it on first use.
    public func register(_ v: JudgeVersion) throws -> Int64 {
        try write("register judge version") { db in try Self.register(v, db) }
    }

    static func register(_ v: JudgeVersion, _ db: Database) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM judge_versions WHERE version = ?", arguments: [v.hash]) {
            return id
        }
        try db.execute(sql: """
            INSERT INTO judge_versions (judge, version, kind, model, task, rubric_version, params, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [v.judge, v.hash, v.kind, v.model, v.task, v.rubricVersion, v.paramsText, now()])
        return db.lastInsertedRowID
    }

    public func judgeVersions(judge: String? = nil) throws -> [StoredJudgeVersion] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM judge_versions \(judge == nil ? "" : "WHERE judge = ?") ORDER BY id
                """, arguments: judge.map { [$0] } ?? []).map(Self.judgeVersion)
        }
    }

    static func judgeVersion(_ r: Row) -> StoredJudgeVersion {
        StoredJudgeVersion(id: r["id"], judge: r["judge"], version: r["version"], kind: r["kind"], model: r["model"],
                           task: r["task"], rubricVersion: r["rubric_version"], createdAt: r["created_at"])
    }

    /// Stores one judge call and its verdicts in one transaction: a run stopped at any
    /// moment leaves either the whole call or nothing. Existing verdicts of the same
    /// version are replaced (used by `judge --force`).
    public func recordJudgeCall(samplePK: Int64, judgeVersionID: Int64, call: JudgeCallInput, verdicts: [VerdictInput]) throws {
        try write("record verdicts") { db in
            try Self.recordJudgeCall(samplePK: samplePK, judgeVersionID: judgeVersionID, call: call, verdicts: verdicts, db)
        }
    }

    /// Many calls in one transaction (batched writes of a judge run).
    public func recordJudgeCalls(_ calls: [(samplePK: Int64, judgeVersionID: Int64, call: JudgeCallInput, verdicts: [VerdictInput])]) throws {
        guard !calls.isEmpty else { return }
        try write("record verdicts") { db in
            for c in calls {
                try Self.recordJudgeCall(samplePK: c.samplePK, judgeVersionID: c.judgeVersionID, call: c.call, verdicts: c.verdicts, db)
            }
        }
    }

    static func recordJudgeCall(samplePK: Int64, judgeVersionID: Int64, call: JudgeCallInput, verdicts: [VerdictInput], _ db: Database) throws {
        let t = now()
        try db.cachedStatement(sql: """
            INSERT INTO judge_calls (sample_pk, judge_version_id, ok, error, raw, latency_ms, prompt_tokens, completion_tokens, attempts, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [samplePK, judgeVersionID, call.ok, call.error, call.raw, call.latencyMilliseconds,
                                      call.promptTokens, call.completionTokens, call.attempts, t])
        let callID = db.lastInsertedRowID
        let stmt = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO verdicts (sample_pk, judge_version_id, dimension, label, rationale, confidence, failure, call_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for v in verdicts {
            try stmt.execute(arguments: [samplePK, judgeVersionID, v.dimension, v.label, v.rationale, v.confidence, v.failure, callID, t])
        }
    }

    /// Which samples a judge run asks about.
    public enum Pending: Sendable {
        /// Samples lacking a verdict of this version on some dimension (a resumed run).
        case missing
        /// Missing ones and those with a failed verdict.
        case missingOrFailed
        /// Every sample of the task.
        case all
    }

    private static func pendingClause(_ which: Pending) -> String {
        switch which {
        case .all: return "1"
        case .missing:
            return "(SELECT count(*) FROM verdicts v WHERE v.sample_pk = s.pk AND v.judge_version_id = :v) < :dims"
        case .missingOrFailed:
            return """
            ((SELECT count(*) FROM verdicts v WHERE v.sample_pk = s.pk AND v.judge_version_id = :v) < :dims
             OR EXISTS (SELECT 1 FROM verdicts v WHERE v.sample_pk = s.pk AND v.judge_version_id = :v AND v.label IS NULL))
            """
        }
    }

    /// How many samples of a task a run would ask about.
    public func pendingCount(task: String, judgeVersionID: Int64, dimensions: Int, which: Pending) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM samples s WHERE s.task = :task AND \(Self.pendingClause(which))",
                             arguments: ["task": task, "v": judgeVersionID, "dims": dimensions]) ?? 0
        }
    }

    /// The next page of samples a run asks about, after `afterPK`, in import order.
    public func pendingSamples(task: String, judgeVersionID: Int64, dimensions: Int, which: Pending,
                               afterPK: Int64, limit: Int) throws -> [StoredSample] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: Self.sampleSQL + """
                 WHERE s.task = :task AND s.pk > :after AND \(Self.pendingClause(which)) ORDER BY s.pk LIMIT :limit
                """, arguments: ["task": task, "after": afterPK, "v": judgeVersionID, "dims": dimensions, "limit": limit])
            var contexts: [Int64: JSONObject] = [:]
            return try rows.compactMap { try Self.decodeSample($0, contexts: &contexts) }
        }
    }

    /// The verdicts of one sample, newest judge version first.
    public func verdicts(samplePK: Int64) throws -> [StoredVerdict] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT v.*, j.judge, j.version FROM verdicts v JOIN judge_versions j ON j.id = v.judge_version_id
                WHERE v.sample_pk = ? ORDER BY v.judge_version_id DESC, v.dimension
                """, arguments: [samplePK]).map(Self.verdict)
        }
    }

    static func verdict(_ r: Row) -> StoredVerdict {
        StoredVerdict(samplePK: r["sample_pk"], judgeVersionID: r["judge_version_id"], judge: r["judge"], version: r["version"],
                      dimension: r["dimension"], label: r["label"], rationale: r["rationale"], confidence: r["confidence"],
                      failure: r["failure"])
    }

    /// Every verdict row of a judge version (for statistics and export), in sample order.
    public func forEachVerdict(judgeVersionID: Int64, _ body: (StoredVerdict) throws -> Void) throws {
        try read { db in
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT v.*, j.judge, j.version FROM verdicts v JOIN judge_versions j ON j.id = v.judge_version_id
                WHERE v.judge_version_id = ? ORDER BY v.sample_pk, v.dimension
                """, arguments: [judgeVersionID])
            while let r = try cursor.next() { try body(Self.verdict(r)) }
        }
    }

    /// The raw replies and bookkeeping of a sample's judge calls.
    public func judgeCalls(samplePK: Int64) throws -> [(ok: Bool, error: String?, raw: String?, latencyMilliseconds: Double?, promptTokens: Int?, completionTokens: Int?)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM judge_calls WHERE sample_pk = ? ORDER BY id", arguments: [samplePK]).map {
                (ok: $0["ok"], error: $0["error"], raw: $0["raw"], latencyMilliseconds: $0["latency_ms"],
                 promptTokens: $0["prompt_tokens"], completionTokens: $0["completion_tokens"])
            }
        }
    }
}

public struct StoredVerdict: Sendable, Equatable {
    public var samplePK: Int64
    public var judgeVersionID: Int64
    public var judge: String
    public var version: String
    public var dimension: String
    public var label: String?
    public var rationale: String
    public var confidence: Double?
    public var failure: String?
}
