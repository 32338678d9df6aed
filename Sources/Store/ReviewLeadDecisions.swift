// What the review screen needs before it hands samples to the label view: where a person's
// own standing decision is an adjudication, so the label view leaves it alone.
import GRDB

extension Store {
    /// For each of `samplePKs`, the dimensions where `person`'s newest decision is a lead's
    /// adjudication with a label (the log's rule: a person's last decision on a sample and
    /// dimension stands, and a lead's counts as an adjudication, not a vote). Samples with none
    /// are left out. One read transaction; samples are looked up 500 at a time through the
    /// decisions' (sample, dimension, annotator) index.
    public func standingAdjudications(by person: String, samplePKs: [Int64]) throws -> [Int64: Set<String>] {
        guard !samplePKs.isEmpty else { return [:] }
        return try read { db in
            var out: [Int64: Set<String>] = [:]
            var start = 0
            while start < samplePKs.count {
                let page = Array(samplePKs[start..<min(samplePKs.count, start + 500)])
                start += page.count
                var args = StatementArguments(page)
                args += [person]
                let marks = page.map { _ in "?" }.joined(separator: ",")
                // Per (sample, dimension): the role and label of the person's newest decision.
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT d.sample_pk, d.dimension, d.role, d.label FROM decisions d
                    WHERE d.sample_pk IN (\(marks)) AND d.annotator = ?
                      AND d.id = (SELECT MAX(e.id) FROM decisions e
                                  WHERE e.sample_pk = d.sample_pk AND e.dimension = d.dimension AND e.annotator = d.annotator)
                    """, arguments: args)
                while let r = try rows.next() {
                    let role: String = r["role"]
                    let label: String? = r["label"]
                    guard role == DecisionRole.lead.rawValue, label != nil else { continue }
                    out[r["sample_pk"], default: []].insert(r["dimension"])
                }
            }
            return out
        }
    }
}
