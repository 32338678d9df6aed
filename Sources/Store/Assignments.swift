import GRDB
import Domain

/// What one claim handed to an annotator.
public struct Claim: Sendable, Equatable {
    /// The samples claimed, in sample order (a subset may be lapsed leases taken over).
    public var samplePKs: [Int64]
    /// How many of them were lapsed leases of other annotators.
    public var takenOver: Int
    /// True when the task has no more work for this annotator right now: nothing lapsed,
    /// nothing short of annotators that they do not already hold, no sample never handed out.
    public var exhausted: Bool

    public init(samplePKs: [Int64], takenOver: Int = 0, exhausted: Bool) {
        self.samplePKs = samplePKs; self.takenOver = takenOver; self.exhausted = exhausted
    }
}

/// The outcome of recording an annotator's decisions on one sample.
public struct LabelWrite: Sendable, Equatable {
    /// Row ids of the decisions appended, in the order given.
    public var decisionIDs: [Int64]
    /// Whether the annotator has now answered every dimension of the sample.
    public var done: Bool

    public init(decisionIDs: [Int64], done: Bool) { self.decisionIDs = decisionIDs; self.done = done }
}

extension AssignmentPolicy {
    /// How many annotators a sample gets: `overlap` when the sample's hash falls in the first
    /// `overlapShare` of the hash range, else 1. Deterministic in the sample id alone (the
    /// first 8 bytes of SHA-256 of the id, as a fraction of 2⁶⁴), so every process agrees.
    public func annotatorsNeeded(sampleID: String) -> Int {
        guard overlap > 1, overlapShare > 0 else { return 1 }
        var h = SHA256()
        h.update(sampleID)
        let bytes = h.finalize()
        var x: UInt64 = 0
        for b in bytes.prefix(8) { x = x << 8 | UInt64(b) }
        let fraction = Double(x >> 11) / Double(UInt64(1) << 53)
        return fraction < overlapShare ? overlap : 1
    }
}

extension Store {
    /// Hands up to `count` samples of `task` to `annotator` under `policy`, in one IMMEDIATE
    /// transaction, so two annotators claiming at once never take the same slot.
    ///
    /// Work comes, in this order, from (1) leases of other annotators that expired unfinished
    /// (the sample moves to this annotator), (2) samples already handed out that still need more
    /// annotators and that this annotator does not hold, (3) samples never handed out, from the
    /// task's cursor; a sample gets `policy.annotatorsNeeded(sampleID:)` annotators. Each claim
    /// holds a lease of `policy.leaseMinutes`. Every step reads through an index: the cost is
    /// proportional to `count` (plus the annotator's own still-open overlap samples, skipped),
    /// never to the size of the task.
    /// - Parameter now: seconds since 1970 (tests pass a clock; nil means now).
    public func claim(annotator: String, task: String, policy: AssignmentPolicy, count: Int, now t: Double? = nil) throws -> Claim {
        let t = t ?? now()
        let lease = t + Double(policy.leaseMinutes) * 60
        return try write("claim work") { db in
            var got: [Int64] = []
            var takenOver = 0
            let insert = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO assignments (sample_pk, annotator, claimed_at, lease_until, done_at) VALUES (?, ?, ?, ?, NULL)
                """)
            // 1. Lapsed leases of others. CROSS JOIN keeps SQLite on the open-lease index: left to
            // itself it walks every sample of the task instead.
            let lapsed = try Row.fetchAll(db, sql: """
                SELECT a.sample_pk, a.annotator FROM assignments a CROSS JOIN samples s ON s.pk = a.sample_pk
                WHERE a.done_at IS NULL AND a.lease_until < :now AND a.annotator <> :me AND s.task = :task
                  AND NOT EXISTS (SELECT 1 FROM assignments b WHERE b.sample_pk = a.sample_pk AND b.annotator = :me)
                ORDER BY a.lease_until LIMIT :n
                """, arguments: ["now": t, "me": annotator, "task": task, "n": count])
            for r in lapsed {
                let pk: Int64 = r["sample_pk"]
                let previous: String = r["annotator"]
                try db.execute(sql: "DELETE FROM assignments WHERE sample_pk = ? AND annotator = ?", arguments: [pk, previous])
                try insert.execute(arguments: [pk, annotator, t, lease])
                got.append(pk)
                takenOver += 1
            }
            // 2. Samples handed out that still need annotators.
            if got.count < count {
                let open = try Row.fetchAll(db, sql: """
                    SELECT q.sample_pk, q.remaining FROM queue_open q
                    WHERE q.task = :task
                      AND NOT EXISTS (SELECT 1 FROM assignments b WHERE b.sample_pk = q.sample_pk AND b.annotator = :me)
                    ORDER BY q.sample_pk LIMIT :n
                    """, arguments: ["task": task, "me": annotator, "n": count - got.count])
                for r in open {
                    let pk: Int64 = r["sample_pk"]
                    let remaining: Int = r["remaining"]
                    try insert.execute(arguments: [pk, annotator, t, lease])
                    if remaining <= 1 {
                        try db.execute(sql: "DELETE FROM queue_open WHERE sample_pk = ?", arguments: [pk])
                    } else {
                        try db.execute(sql: "UPDATE queue_open SET remaining = remaining - 1 WHERE sample_pk = ?", arguments: [pk])
                    }
                    got.append(pk)
                }
            }
            // 3. Samples never handed out.
            var exhausted = false
            if got.count < count {
                let cursor = try Int64.fetchOne(db, sql: "SELECT next_pk FROM queue_cursors WHERE task = ?", arguments: [task]) ?? 0
                let want = count - got.count
                let fresh = try Row.fetchAll(db, sql: """
                    SELECT pk, id FROM samples WHERE task = ? AND pk >= ? ORDER BY pk LIMIT ?
                    """, arguments: [task, cursor, want])
                let openInsert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO queue_open (sample_pk, task, remaining) VALUES (?, ?, ?)")
                for r in fresh {
                    let pk: Int64 = r["pk"]
                    let id: String = r["id"]
                    try insert.execute(arguments: [pk, annotator, t, lease])
                    if db.changesCount == 1 { got.append(pk) }
                    let need = policy.annotatorsNeeded(sampleID: id)
                    if need > 1 { try openInsert.execute(arguments: [pk, task, need - 1]) }
                }
                if let last = fresh.last {
                    let lastPK: Int64 = last["pk"]
                    try db.execute(sql: """
                        INSERT INTO queue_cursors (task, next_pk) VALUES (?, ?)
                        ON CONFLICT(task) DO UPDATE SET next_pk = excluded.next_pk
                        """, arguments: [task, lastPK + 1])
                }
                exhausted = fresh.count < want
            }
            got.sort()
            return Claim(samplePKs: got, takenOver: takenOver, exhausted: exhausted)
        }
    }

    /// Extends the leases of everything `annotator` holds unfinished (all tasks), so that an
    /// annotator at work keeps their queue. Returns how many leases were renewed.
    @discardableResult
    public func renewLeases(annotator: String, policy: AssignmentPolicy, now t: Double? = nil) throws -> Int {
        let t = t ?? now()
        return try write("renew leases") { db in
            try db.execute(sql: "UPDATE assignments SET lease_until = ? WHERE annotator = ? AND done_at IS NULL",
                           arguments: [t + Double(policy.leaseMinutes) * 60, annotator])
            return db.changesCount
        }
    }

    /// Appends an annotator's decisions on one sample and keeps their assignment in step, in one
    /// transaction: when this returns, the decisions are on disk.
    ///
    /// The assignment is marked done when every dimension in `dimensions` has a label from this
    /// annotator (and undone when an undo withdraws one); its lease is renewed. An annotator's work
    /// is never refused: if their lease had lapsed and the sample went to someone else, the
    /// assignment is restored beside the other annotator's.
    /// - Precondition: every decision is for the same sample and annotator (else `StoreError.invalid`).
    public func recordLabels(_ decisions: [DecisionInput], dimensions: [String], policy: AssignmentPolicy,
                             now t: Double? = nil) throws -> LabelWrite {
        guard let first = decisions.first else { return LabelWrite(decisionIDs: [], done: false) }
        guard decisions.allSatisfy({ $0.samplePK == first.samplePK && $0.annotator == first.annotator }) else {
            throw StoreError.invalid("recordLabels: decisions for one sample and one annotator at a time")
        }
        let t = t ?? now()
        return try write("record labels") { db in
            var ids: [Int64] = []
            for var d in decisions {
                if d.time == nil { d.time = t }
                ids.append(try Self.insert(d, db))
            }
            let labels = try Self.currentLabels(db, samplePK: first.samplePK, annotator: first.annotator)
            let done = !dimensions.isEmpty && dimensions.allSatisfy { labels[$0] != nil }
            try db.execute(sql: """
                INSERT INTO assignments (sample_pk, annotator, claimed_at, lease_until, done_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(sample_pk, annotator) DO UPDATE SET lease_until = excluded.lease_until, done_at = excluded.done_at
                """, arguments: [first.samplePK, first.annotator, t, t + Double(policy.leaseMinutes) * 60, done ? t : nil])
            return LabelWrite(decisionIDs: ids, done: done)
        }
    }

    /// The annotator's current label per dimension of a sample: the label of their newest
    /// decision on it, dimensions whose newest decision withdrew the answer left out.
    public func currentLabels(samplePK: Int64, annotator: String) throws -> [String: String] {
        try read { db in try Self.currentLabels(db, samplePK: samplePK, annotator: annotator) }
    }

    static func currentLabels(_ db: Database, samplePK: Int64, annotator: String) throws -> [String: String] {
        var latest: [String: String?] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT dimension, label FROM decisions WHERE sample_pk = ? AND annotator = ? ORDER BY id
            """), arguments: [samplePK, annotator])
        while let r = try rows.next() { latest[r["dimension"]] = .some(r["label"]) }
        return latest.compactMapValues { $0 }
    }

    /// An annotator's claimed samples of a task in the order they were claimed (a batch in
    /// sample order), with whether each is done.
    public func assignments(annotator: String, task: String) throws -> [(samplePK: Int64, done: Bool)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.sample_pk, a.done_at IS NOT NULL AS done FROM assignments a CROSS JOIN samples s ON s.pk = a.sample_pk
                WHERE a.annotator = ? AND s.task = ? ORDER BY a.claimed_at, a.sample_pk
                """, arguments: [annotator, task]).map { (samplePK: $0["sample_pk"], done: $0["done"]) }
        }
    }

    /// Who holds a sample, with their lease and whether they are done (for tests and review).
    public func holders(samplePK: Int64) throws -> [(annotator: String, leaseUntil: Double, done: Bool)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT annotator, lease_until, done_at IS NOT NULL AS done FROM assignments WHERE sample_pk = ? ORDER BY annotator
                """, arguments: [samplePK]).map { (annotator: $0["annotator"], leaseUntil: $0["lease_until"], done: $0["done"]) }
        }
    }
}
