import GRDB
import Domain

extension StoredSample {
    /// A sample as the store returns it, for screens and tests built without a store.
    public init(_ sample: Sample, pk: Int64, source: String = "", contentHash: String = "") {
        self.init(pk: pk, sample: sample, source: source, contentHash: contentHash)
    }
}

/// One dimension's verdict as the workbench shows it.
public struct ShownVerdict: Sendable, Equatable {
    /// nil when the verdict failed.
    public var label: String?
    public var rationale: String
    public var failure: String?
    public var confidence: Double?

    public init(label: String?, rationale: String = "", failure: String? = nil, confidence: Double? = nil) {
        self.label = label; self.rationale = rationale; self.failure = failure; self.confidence = confidence
    }
}

/// One of the annotator's own comments.
public struct OwnComment: Sendable, Equatable {
    public var dimension: String?
    public var text: String
    public var createdAt: Double

    public init(dimension: String?, text: String, createdAt: Double) {
        self.dimension = dimension; self.text = text; self.createdAt = createdAt
    }
}

/// Everything the label screen shows about one sample for one annotator: never another
/// annotator's labels or comments.
public struct SampleForLabelling: Sendable, Equatable {
    public var stored: StoredSample
    /// The shown judge version's verdicts, by dimension (empty without a judge).
    public var verdicts: [String: ShownVerdict]
    /// The annotator's current labels, by dimension.
    public var labels: [String: String]
    /// The annotator's own comments on the sample, oldest first.
    public var comments: [OwnComment]
    /// Whether the annotator holds an assignment on the sample (false once a lapsed lease
    /// went to someone else).
    public var held: Bool
    /// Whether that assignment is done.
    public var done: Bool

    public init(stored: StoredSample, verdicts: [String: ShownVerdict], labels: [String: String], comments: [OwnComment],
                held: Bool, done: Bool) {
        self.stored = stored; self.verdicts = verdicts; self.labels = labels; self.comments = comments
        self.held = held; self.done = done
    }
}

/// Which of an annotator's claimed samples a queue shows. Conditions combine with AND;
/// `dimension` narrows the others to one dimension (any dimension otherwise).
public struct QueueFilter: Sendable, Equatable, Hashable {
    /// The annotator has not answered (every dimension, or `dimension`).
    public var unlabelled = false
    /// The shown judge's verdict failed.
    public var judgeFailed = false
    /// The annotator's label differs from the judge's.
    public var disagreement = false
    public var dimension: String?
    /// The annotator's label is this — or, when the judge is visible, the judge's is.
    public var label: String?

    public init(unlabelled: Bool = false, judgeFailed: Bool = false, disagreement: Bool = false,
                dimension: String? = nil, label: String? = nil) {
        self.unlabelled = unlabelled; self.judgeFailed = judgeFailed; self.disagreement = disagreement
        self.dimension = dimension; self.label = label
    }

    public var isEmpty: Bool { !unlabelled && !judgeFailed && !disagreement && dimension == nil && label == nil }
}

extension Store {
    /// The newest version of a judge (any judge when `judge` is nil) that has verdicts for a
    /// task, or nil. Reads through the verdicts' version index, never the verdicts themselves.
    public func latestJudgeVersion(task: String, judge: String? = nil) throws -> StoredJudgeVersion? {
        try read { db in
            var sql = "SELECT * FROM judge_versions j WHERE j.task = :task"
            if judge != nil { sql += " AND j.judge = :judge" }
            sql += " AND EXISTS (SELECT 1 FROM verdicts v WHERE v.judge_version_id = j.id) ORDER BY j.id DESC LIMIT 1"
            var args: [String: (any DatabaseValueConvertible)?] = ["task": task]
            if let judge { args["judge"] = judge }
            return try Row.fetchOne(db, sql: sql, arguments: StatementArguments(args)).map(Self.judgeVersion)
        }
    }

    /// One sample as an annotator sees it, read in one transaction with a handful of indexed
    /// lookups: the sample and its context, the verdicts of `judgeVersionID` (none when nil),
    /// and the annotator's own labels, comments and assignment. Nil when no such sample.
    public func sampleForLabelling(pk: Int64, annotator: String, judgeVersionID: Int64?) throws -> SampleForLabelling? {
        try read { db in
            guard let stored = try Self.fetchSample(db, where: "s.pk = ?", [pk]) else { return nil }
            var verdicts: [String: ShownVerdict] = [:]
            if let judgeVersionID {
                let rows = try Row.fetchCursor(db.cachedStatement(sql: """
                    SELECT dimension, label, rationale, failure, confidence FROM verdicts WHERE sample_pk = ? AND judge_version_id = ?
                    """), arguments: [pk, judgeVersionID])
                while let r = try rows.next() {
                    verdicts[r["dimension"]] = ShownVerdict(label: r["label"], rationale: r["rationale"], failure: r["failure"],
                                                            confidence: r["confidence"])
                }
            }
            let labels = try Self.currentLabels(db, samplePK: pk, annotator: annotator)
            let comments = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT dimension, text, created_at FROM comments WHERE sample_pk = ? AND annotator = ? ORDER BY id
                """), arguments: [pk, annotator]).map {
                OwnComment(dimension: $0["dimension"], text: $0["text"], createdAt: $0["created_at"])
            }
            let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT done_at IS NOT NULL AS done FROM assignments WHERE sample_pk = ? AND annotator = ?
                """), arguments: [pk, annotator])
            return SampleForLabelling(stored: stored, verdicts: verdicts, labels: labels, comments: comments,
                                      held: row != nil, done: row?["done"] ?? false)
        }
    }

    /// The annotator's claimed samples of a task that pass `filter`, in the order they were claimed.
    ///
    /// Reads only this annotator's assignments and, per assignment, indexed lookups of their
    /// own newest decision and the verdict of `judgeVersionID` on each dimension concerned.
    /// With `judgeVisible` false (blind mode) a label filter looks at the annotator's labels only.
    public func queue(annotator: String, task: String, dimensions: [String], judgeVersionID: Int64?,
                      filter: QueueFilter, judgeVisible: Bool = true) throws -> [Int64] {
        let dims = filter.dimension.map { [$0] } ?? dimensions
        var args: [String: (any DatabaseValueConvertible)?] = ["me": annotator, "task": task, "v": judgeVersionID]
        var conditions: [String] = []
        func mine(_ i: Int) -> String {
            "(SELECT d.label FROM decisions d WHERE d.sample_pk = a.sample_pk AND d.dimension = :dim\(i) AND d.annotator = :me ORDER BY d.id DESC LIMIT 1)"
        }
        func judge(_ i: Int) -> String {
            "(SELECT v.label FROM verdicts v WHERE v.sample_pk = a.sample_pk AND v.judge_version_id = :v AND v.dimension = :dim\(i))"
        }
        for (i, d) in dims.enumerated() { args["dim\(i)"] = d }
        func any(_ clause: (Int) -> String) -> String {
            "(" + dims.indices.map(clause).joined(separator: " OR ") + ")"
        }
        if dims.isEmpty && (filter.unlabelled || filter.judgeFailed || filter.disagreement || filter.label != nil) {
            return []
        }
        if filter.unlabelled {
            conditions.append(filter.dimension == nil ? "a.done_at IS NULL" : "\(mine(0)) IS NULL")
        }
        if filter.judgeFailed {
            guard judgeVersionID != nil else { return [] }
            conditions.append(any { i in
                "EXISTS (SELECT 1 FROM verdicts v WHERE v.sample_pk = a.sample_pk AND v.judge_version_id = :v AND v.dimension = :dim\(i) AND v.label IS NULL)"
            })
        }
        if filter.disagreement {
            guard judgeVersionID != nil else { return [] }
            conditions.append(any { i in "(\(mine(i)) IS NOT NULL AND \(judge(i)) IS NOT NULL AND \(mine(i)) <> \(judge(i)))" })
        }
        if let label = filter.label {
            args["label"] = label
            if judgeVisible && judgeVersionID != nil {
                conditions.append(any { i in "(\(mine(i)) = :label OR \(judge(i)) = :label)" })
            } else {
                conditions.append(any { i in "\(mine(i)) = :label" })
            }
        }
        let sql = """
            SELECT a.sample_pk FROM assignments a CROSS JOIN samples s ON s.pk = a.sample_pk
            WHERE a.annotator = :me AND s.task = :task\(conditions.map { " AND " + $0 }.joined())
            ORDER BY a.claimed_at, a.sample_pk
            """
        return try read { db in try Int64.fetchAll(db, sql: sql, arguments: StatementArguments(args)) }
    }

    /// The first of `candidates` (the annotator's queue, in the order to search) whose output,
    /// item or user context contains `text`, ignoring case. Candidates are read a page at a
    /// time; the stored JSON is searched first and each hit confirmed on the decoded text,
    /// so JSON keys and escapes never match. Nil when none does.
    public func firstMatch(_ text: String, among candidates: [Int64]) throws -> Int64? {
        let needle = text.lowercased()
        guard !needle.isEmpty else { return nil }
        // Stored JSON holds strings escaped ("\"", "\\", "\n"): look for the escaped form there.
        let escaped = String(JSONValue.string(needle).serialized().dropFirst().dropLast())
        let page = 200
        var start = 0
        while start < candidates.count {
            let slice = Array(candidates[start..<min(candidates.count, start + page)])
            start += page
            let hits: Set<Int64> = try read { db in
                let marks = slice.map { _ in "?" }.joined(separator: ",")
                var args = StatementArguments(slice)
                args += [escaped, escaped]
                let rows = try Row.fetchAll(db, sql: """
                    SELECT s.pk FROM samples s JOIN contexts c ON c.id = s.context_id
                    WHERE s.pk IN (\(marks)) AND (instr(lower(s.body), ?) > 0 OR instr(lower(c.json), ?) > 0)
                    """, arguments: args)
                return Set(rows.map { $0["pk"] as Int64 })
            }
            for pk in slice where hits.contains(pk) {
                guard let s = try sample(pk: pk) else { continue }
                if Self.searchableText(s.sample).lowercased().contains(needle) { return pk }
            }
        }
        return nil
    }

    /// The text of a sample a person can see: output, item and user context values, without keys.
    public static func searchableText(_ s: Sample) -> String {
        var parts: [String] = []
        func collect(_ v: JSONValue) {
            switch v {
            case .string(let t): parts.append(t)
            case .number(let n): parts.append(n)
            case .bool(let b): parts.append(b ? "true" : "false")
            case .null: break
            case .array(let a): a.forEach(collect)
            case .object(let o): o.values.forEach(collect)
            }
        }
        collect(.object(s.output))
        if let item = s.item { collect(.object(item)) }
        collect(.object(s.user))
        return parts.joined(separator: "\n")
    }
}
