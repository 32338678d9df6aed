// What the review screen reads and writes: every annotator's current label per sample and
// dimension, the standing adjudications, a judge version's verdicts, and the leads'
// adjudications appended to the decision log.
import GRDB
import Domain

/// A lead's standing adjudication on one sample and dimension.
public struct StandingAdjudication: Sendable, Equatable {
    public var lead: String
    public var label: String
    /// The lead's reason (the decision's comment).
    public var reason: String?

    public init(lead: String, label: String, reason: String?) {
        self.lead = lead; self.label = label; self.reason = reason
    }
}

/// Everything people and one judge version said about one sample, by dimension.
///
/// Current labels follow the log's rule: the last decision of a (sample, dimension, person)
/// stands; a withdrawn one (no label) leaves nothing. A person whose last decision is a lead's
/// counts as an adjudication there, not as a vote. Among the leads' standing adjudications,
/// the one set last wins.
public struct SampleReview: Sendable, Equatable {
    public var samplePK: Int64
    public var sampleID: String
    /// Dimension → annotator → current label.
    public var labels: [String: [String: String]]
    /// Dimension → standing adjudication.
    public var adjudications: [String: StandingAdjudication]
    /// Dimension → the judge version's verdict (failed verdicts have no label).
    public var verdicts: [String: ShownVerdict]

    public init(samplePK: Int64, sampleID: String, labels: [String: [String: String]] = [:],
                adjudications: [String: StandingAdjudication] = [:], verdicts: [String: ShownVerdict] = [:]) {
        self.samplePK = samplePK; self.sampleID = sampleID; self.labels = labels
        self.adjudications = adjudications; self.verdicts = verdicts
    }
}

/// A comment from the comments table (annotators' `c`), for the adjudication view.
public struct ReviewComment: Sendable, Equatable {
    public var annotator: String
    public var dimension: String?
    public var text: String

    public init(annotator: String, dimension: String?, text: String) {
        self.annotator = annotator; self.dimension = dimension; self.text = text
    }
}

/// One sample as the adjudication view shows it.
public struct SampleForReview: Sendable, Equatable {
    public var stored: StoredSample
    public var review: SampleReview
    /// Every comment on the sample, oldest first.
    public var comments: [ReviewComment]

    public init(stored: StoredSample, review: SampleReview, comments: [ReviewComment]) {
        self.stored = stored; self.review = review; self.comments = comments
    }
}

/// A write the review screen refused before touching the store.
public struct AdjudicationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension Store {
    /// Every sample of `task` with at least one standing human label (annotator or lead), in
    /// sample order, with the verdicts of `judgeVersionID` (none when nil). One read
    /// transaction: a scan of the task's decisions, then of the version's verdicts.
    public func reviewItems(task: String, judgeVersionID: Int64?) throws -> [SampleReview] {
        try read { db in
            var people: [Int64: [String: [String: LatestDecision]]] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT d.id, d.sample_pk, d.dimension, d.annotator, d.role, d.label, d.comment
                FROM decisions d JOIN samples s ON s.pk = d.sample_pk WHERE s.task = ? ORDER BY d.id
                """, arguments: [task])
            while let r = try rows.next() {
                let pk: Int64 = r["sample_pk"]
                let dim: String = r["dimension"]
                let who: String = r["annotator"]
                let role: String = r["role"]
                people[pk, default: [:]][dim, default: [:]][who] = LatestDecision(lead: role == DecisionRole.lead.rawValue, label: r["label"],
                                                                                  comment: r["comment"], id: r["id"])
            }
            var reviews: [Int64: SampleReview] = [:]
            for (pk, dims) in people {
                var review = SampleReview(samplePK: pk, sampleID: "")
                for (dim, byPerson) in dims { Self.settle(byPerson, dimension: dim, into: &review) }
                if !review.labels.isEmpty || !review.adjudications.isEmpty { reviews[pk] = review }
            }
            guard !reviews.isEmpty else { return [] }
            let ids = try Row.fetchCursor(db, sql: "SELECT pk, id FROM samples WHERE task = ? ORDER BY pk", arguments: [task])
            while let r = try ids.next() {
                let pk: Int64 = r["pk"]
                if reviews[pk] != nil { reviews[pk]?.sampleID = r["id"] }
            }
            if let judgeVersionID {
                let verdicts = try Row.fetchCursor(db, sql: """
                    SELECT sample_pk, dimension, label, rationale, failure, confidence FROM verdicts WHERE judge_version_id = ?
                    """, arguments: [judgeVersionID])
                while let r = try verdicts.next() {
                    let pk: Int64 = r["sample_pk"]
                    guard reviews[pk] != nil else { continue }
                    reviews[pk]?.verdicts[r["dimension"]] = ShownVerdict(label: r["label"], rationale: r["rationale"],
                                                                         failure: r["failure"], confidence: r["confidence"])
                }
            }
            return reviews.keys.sorted().compactMap { reviews[$0] }
        }
    }

    /// One sample for the adjudication view, read in one transaction; nil when no such sample.
    public func sampleForReview(pk: Int64, judgeVersionID: Int64?) throws -> SampleForReview? {
        try read { db in
            guard let stored = try Self.fetchSample(db, where: "s.pk = ?", [pk]) else { return nil }
            var review = SampleReview(samplePK: pk, sampleID: stored.sample.id)
            var latest: [String: [String: LatestDecision]] = [:]
            let rows = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT id, dimension, annotator, role, label, comment FROM decisions WHERE sample_pk = ? ORDER BY id
                """), arguments: [pk])
            while let r = try rows.next() {
                let role: String = r["role"]
                latest[r["dimension"], default: [:]][r["annotator"]] = LatestDecision(lead: role == DecisionRole.lead.rawValue, label: r["label"],
                                                                                      comment: r["comment"], id: r["id"])
            }
            for (dim, byPerson) in latest { Self.settle(byPerson, dimension: dim, into: &review) }
            if let judgeVersionID {
                let verdicts = try Row.fetchCursor(db.cachedStatement(sql: """
                    SELECT dimension, label, rationale, failure, confidence FROM verdicts WHERE sample_pk = ? AND judge_version_id = ?
                    """), arguments: [pk, judgeVersionID])
                while let r = try verdicts.next() {
                    review.verdicts[r["dimension"]] = ShownVerdict(label: r["label"], rationale: r["rationale"],
                                                                   failure: r["failure"], confidence: r["confidence"])
                }
            }
            let comments = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT annotator, dimension, text FROM comments WHERE sample_pk = ? ORDER BY id
                """), arguments: [pk]).map { ReviewComment(annotator: $0["annotator"], dimension: $0["dimension"], text: $0["text"]) }
            return SampleForReview(stored: stored, review: review, comments: comments)
        }
    }

    /// One person's last decision on a (sample, dimension).
    struct LatestDecision {
        var lead: Bool
        var label: String?
        var comment: String?
        var id: Int64
    }

    /// Splits the last decisions of one (sample, dimension) into annotator votes and the
    /// standing adjudication (the lead decision set last; withdrawn ones leave nothing).
    static func settle(_ byPerson: [String: LatestDecision], dimension: String, into review: inout SampleReview) {
        var lastLead: (id: Int64, adjudication: StandingAdjudication)?
        for (who, d) in byPerson {
            guard let label = d.label else { continue }
            if d.lead {
                if d.id > lastLead?.id ?? Int64.min {
                    lastLead = (d.id, StandingAdjudication(lead: who, label: label, reason: d.comment))
                }
            } else {
                review.labels[dimension, default: [:]][who] = label
            }
        }
        if let lastLead { review.adjudications[dimension] = lastLead.adjudication }
    }

    /// Appends a lead's adjudications in one transaction named "record adjudication"; when
    /// this returns they are on disk. Every decision must have the lead role and the
    /// `adjudicate` or `undo` action (undo withdraws or restores an earlier adjudication).
    /// - Throws: `AdjudicationError` (nothing written) for any other decision; store errors.
    @discardableResult
    public func adjudicate(_ decisions: [DecisionInput]) throws -> [Int64] {
        for d in decisions where d.role != .lead || (d.action != .adjudicate && d.action != .undo) {
            throw AdjudicationError(message: "an adjudication is a lead's adjudicate or undo decision (got \(d.role.rawValue) \(d.action.rawValue))")
        }
        return try write("record adjudication") { db in try decisions.map { try Self.insert($0, db) } }
    }
}
