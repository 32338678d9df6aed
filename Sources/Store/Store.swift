import Foundation
import GRDB
import Domain

/// The session store: one SQLite file in WAL mode, shared by every process of a session
/// (annotators, a judge run, stats). Writers wait for each other (busy timeout) instead of
/// failing, and every write path is one named transaction.
///
/// The interface speaks the domain (samples, verdicts, decisions), never SQL, so that a
/// PostgreSQL backend can stand behind it later.
public final class Store: Sendable {
    public let path: String
    /// One serialized connection per process. SQLite's WAL mode (set once, when the file is
    /// created, and kept in the file) lets processes read while another writes. A
    /// `DatabasePool` would write to the file on every open (it recreates the WAL), and a
    /// store that is only opened and read must stay byte-for-byte as it was.
    let pool: DatabaseQueue

    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 60

    /// Opens the store at `path`, creating it and applying pending migrations. `migrating`
    /// is told the names of the migrations about to run on a store that already had some
    /// (not on a new one), before they run: on a large store they can take minutes.
    public init(path: String, migrating: (([String]) -> Void)? = nil) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeout)
        config.label = "recjudge"
        config.prepareDatabase { db in
            // FULL: a decision is on disk when its commit returns, even if the machine dies.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            pool = try DatabaseQueue(path: path, configuration: config)
            let mode = try pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
            if mode != "wal" {
                _ = try pool.writeWithoutTransaction { try String.fetchOne($0, sql: "PRAGMA journal_mode = WAL") }
            }
            // Migrate only when something is pending: migrating is a write.
            let migrator = Schema.migrator
            if try !pool.read({ try migrator.hasCompletedMigrations($0) }) {
                let applied = try pool.read { try migrator.appliedIdentifiers($0) }
                if !applied.isEmpty, let migrating {
                    migrating(migrator.migrations.filter { !applied.contains($0) })
                }
                try migrator.migrate(pool)
            }
        } catch let e as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: e.message ?? "\(e)")
        }
    }

    /// The names of the migrations applied, in order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Schema.migrator.appliedMigrations(db) }
    }

    /// Runs one write transaction. Errors from SQLite become `StoreError`.
    func write<T>(_ name: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch let e as DatabaseError {
            throw StoreError.failed(operation: name, reason: e.message ?? "\(e)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let e as DatabaseError {
            throw StoreError.readFailed(e)
        }
    }

    /// Moves the WAL into the main file (done when the last connection closes, too).
    public func checkpoint() throws {
        _ = try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }
}

public enum StoreError: Error, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case failed(operation: String, reason: String)
    case notFound(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let r): "cannot open the store \(p): \(r)"
        case .failed(let op, let r): "store: \(op) failed: \(r)"
        case .notFound(let what): "not found: \(what)"
        case .invalid(let what): what
        }
    }
}

extension StoreError {
    /// A read SQLite refused.
    static func readFailed(_ e: DatabaseError) -> StoreError { .failed(operation: "read", reason: e.message ?? "\(e)") }
}

/// Seconds since 1970 as stored in the `*_at` columns.
func now() -> Double { Date().timeIntervalSince1970 }
