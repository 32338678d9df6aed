import GRDB
import Domain

/// A sample as stored: its row key, where it came from, and its content.
public struct StoredSample: Sendable, Equatable {
    public var pk: Int64
    public var sample: Sample
    public var source: String
    public var contentHash: String
    /// The stored user context's key (samples that share a context share it); nil when the
    /// sample was not read from a store.
    public var contextID: Int64? = nil
}

extension Store {
    public func sampleCount(task: String? = nil) throws -> Int {
        try read { db in
            if let task { return try Int.fetchOne(db, sql: "SELECT count(*) FROM samples WHERE task = ?", arguments: [task]) ?? 0 }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM samples") ?? 0
        }
    }

    /// Sample counts per task.
    public func sampleCounts() throws -> [String: Int] {
        try read { db in
            var out: [String: Int] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT task, count(*) AS n FROM samples GROUP BY task") { out[r["task"]] = r["n"] }
            return out
        }
    }

    public func contextCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM contexts") ?? 0 }
    }

    public func sample(id: String) throws -> StoredSample? {
        try read { db in try Self.fetchSample(db, where: "s.id = ?", [id]) }
    }

    public func sample(pk: Int64) throws -> StoredSample? {
        try read { db in try Self.fetchSample(db, where: "s.pk = ?", [pk]) }
    }

    /// The sample keys of a task (or all), in import order.
    public func samplePKs(task: String? = nil) throws -> [Int64] {
        try read { db in
            if let task { return try Int64.fetchAll(db, sql: "SELECT pk FROM samples WHERE task = ? ORDER BY pk", arguments: [task]) }
            return try Int64.fetchAll(db, sql: "SELECT pk FROM samples ORDER BY pk")
        }
    }

    /// Calls `body` for every sample of a task (or all) in import order, streaming.
    public func forEachSample(task: String? = nil, _ body: (StoredSample) throws -> Void) throws {
        try read { db in
            let sql = Self.sampleSQL + (task == nil ? "" : " WHERE s.task = ?") + " ORDER BY s.pk"
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: task.map { [$0] } ?? [])
            var contexts: [Int64: JSONObject] = [:]
            while let row = try cursor.next() {
                if let s = try Self.decodeSample(row, contexts: &contexts) { try body(s) }
            }
        }
    }

    static let sampleSQL = """
        SELECT s.pk, s.id, s.body, s.source, s.content_hash, s.context_id, c.json AS context
        FROM samples s JOIN contexts c ON c.id = s.context_id
        """

    static func fetchSample(_ db: Database, where clause: String, _ args: StatementArguments) throws -> StoredSample? {
        guard let row = try Row.fetchOne(db, sql: sampleSQL + " WHERE " + clause, arguments: args) else { return nil }
        return try decodeSample(row)
    }

    static func decodeSample(_ row: Row) throws -> StoredSample? {
        var none: [Int64: JSONObject] = [:]
        return try decodeSample(row, contexts: &none)
    }

    /// Rebuilds a sample from its stored JSON. The store only holds JSON it wrote itself, so a
    /// failure here means the file was edited by hand: reported, never a crash.
    /// - Parameter contexts: parsed user contexts by id, reused across rows (many samples share one).
    static func decodeSample(_ row: Row, contexts: inout [Int64: JSONObject]) throws -> StoredSample? {
        let id: String = row["id"]
        let bodyText: String = row["body"]
        let contextID: Int64 = row["context_id"]
        guard case .object(let body)? = try? JSONParser.parse(bodyText) else {
            throw StoreError.invalid("sample \(id): stored JSON is damaged")
        }
        let user: JSONObject
        if let cached = contexts[contextID] { user = cached } else {
            let contextText: String = row["context"]
            guard case .object(let parsed)? = try? JSONParser.parse(contextText) else {
                throw StoreError.invalid("sample \(id): stored context JSON is damaged")
            }
            if contexts.count > 256 { contexts.removeAll(keepingCapacity: true) }
            contexts[contextID] = parsed
            user = parsed
        }
        let sample = Sample(id: id, task: body["task"]?.string ?? "", user: user, item: body["item"]?.object,
                            output: body["output"]?.object ?? JSONObject(), generatorModel: body["model"]?.string,
                            generatorRound: body["round"]?.int, extra: body["extra"]?.object ?? JSONObject())
        return StoredSample(pk: row["pk"], sample: sample, source: row["source"], contentHash: row["content_hash"], contextID: contextID)
    }
}
