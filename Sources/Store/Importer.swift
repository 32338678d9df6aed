import Foundation
import GRDB
import Domain

public struct ImportOptions: Sendable {
    /// Import the good lines and set the bad ones aside instead of refusing the file.
    public var skipInvalid = false
    /// Where the bad lines go (JSON Lines: line, error, text) when skipping.
    public var rejectsPath: String?
    /// How many problems to list before summarising.
    public var maxErrors = 50
    public init(skipInvalid: Bool = false, rejectsPath: String? = nil) {
        self.skipInvalid = skipInvalid; self.rejectsPath = rejectsPath
    }
}

public struct ImportReport: Sendable {
    public var added = 0
    public var unchanged = 0
    public var rejected = 0
    public var lines = 0
    public var notes: [String] = []
    public var errors: [InputError] = []
}

/// Reads sample, decision and verdict files into the store. A file is checked line by
/// line inside one transaction: if any line is bad (and bad lines are not being skipped)
/// the transaction is rolled back and the store is exactly as before.
public struct Importer {
    public let store: Store
    public let session: SessionConfig

    public init(store: Store, session: SessionConfig) { self.store = store; self.session = session }

    struct LineError: Error { var field: String?; var message: String }
    struct Counts { var added = 0; var unchanged = 0 }

    // MARK: Samples

    /// A line's samples, checked and serialised off the writing thread.
    struct PreparedSamples: Sendable {
        var contextHash: String
        var contextJSON: String
        var userID: String
        var rows: [(id: String, task: String, body: String, hash: String, model: String?, round: Int?)]
    }

    /// Imports samples (DESIGN §3). Re-importing the same content changes nothing; the same
    /// id with different content is an error naming both places.
    public func importSamples(file: String, options: ImportOptions = ImportOptions()) throws -> ImportReport {
        let reader = SampleReader(rubrics: session.rubrics)
        let t = now()
        let source = (file as NSString).lastPathComponent
        nonisolated(unsafe) var buffer: [UInt8] = []   // used by the reading thread only
        return try run(kind: "samples", file: file, options: options, keepingMember: "user", prepare: { _, value, userText in
            let samples: [Sample]
            do throws(SampleReader.FieldError) { samples = try reader.samples(from: value) } catch { throw LineError(field: error.field, message: error.message) }
            guard let first = samples.first else { throw LineError(field: nil, message: "no sample on this line") }
            // Hash the canonical form (key order does not matter); store the text as the file has it.
            var ch = ContentHash()
            JSONValue.object(first.user).write(into: &buffer, canonical: true)
            ch.update(buffer)
            buffer.removeAll(keepingCapacity: true)
            let contextHash = ch.finalize()
            var seen = Set<String>()
            var rows: [(id: String, task: String, body: String, hash: String, model: String?, round: Int?)] = []
            rows.reserveCapacity(samples.count)
            for s in samples {
                guard seen.insert(s.id).inserted else { throw LineError(field: "id", message: "'\(s.id)' appears twice on this line") }
                let body = s.bodyJSON()
                var h = ContentHash(); h.update(contextHash); h.update(body)
                rows.append((s.id, s.task, body, h.finalize(), s.generatorModel, s.generatorRound))
            }
            return PreparedSamples(contextHash: contextHash, contextJSON: userText ?? JSONValue.object(first.user).serialized(),
                                   userID: first.userID, rows: rows)
        }, apply: { db, line, p in
            // Check every sample of the line against the store before writing any of them.
            var counts = Counts()
            var fresh: [Int] = []
            let lookup = try db.cachedStatement(sql: "SELECT content_hash, source FROM samples WHERE id = ?")
            for (i, r) in p.rows.enumerated() {
                if let row = try Row.fetchOne(lookup, arguments: [r.id]) {
                    let oldHash: String = row["content_hash"], oldSource: String = row["source"]
                    if oldHash == r.hash { counts.unchanged += 1; continue }
                    throw LineError(field: "id", message: "'\(r.id)' was already imported from \(oldSource) with different content")
                }
                fresh.append(i)
            }
            guard !fresh.isEmpty else { return counts }
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO contexts (hash, user_id, json) VALUES (?, ?, ?)")
                .execute(arguments: [p.contextHash, p.userID, p.contextJSON])
            let contextID: Int64 = db.changesCount == 1
                ? db.lastInsertedRowID
                : try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM contexts WHERE hash = ?"), arguments: [p.contextHash]) ?? 0
            let insert = try db.cachedStatement(sql: """
                INSERT INTO samples (id, task, context_id, user_id, body, content_hash, model, round, source, imported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let at = "\(source):\(line)"
            for i in fresh {
                let r = p.rows[i]
                try insert.execute(arguments: [r.id, r.task, contextID, p.userID, r.body, r.hash, r.model, r.round, at, t])
                counts.added += 1
            }
            return counts
        })
    }

    // MARK: Decisions made elsewhere

    /// Imports human decisions: `{"sample", "annotator", "dimension", "label", "comment"?, "time"?, "role"?}`.
    public func importLabels(file: String, options: ImportOptions = ImportOptions()) throws -> ImportReport {
        let allowed: Set<String> = ["sample", "annotator", "dimension", "label", "comment", "time", "role"]
        return try run(kind: "labels", file: file, options: options) { db, _, value in
            guard case .object(let o) = value else { throw LineError(field: nil, message: "expected a JSON object, found \(value.kindName)") }
            if let k = o.keys.first(where: { !allowed.contains($0) }) {
                throw LineError(field: k, message: "unknown field (expected: \(allowed.sorted().joined(separator: ", ")))")
            }
            let (pk, rubric) = try sampleRef(o, db)
            let annotator = try text(o, "annotator")
            let dim = try dimension(o, rubric)
            let label = try text(o, "label")
            guard dim.label(label) != nil else {
                throw LineError(field: "label", message: "'\(label)' is not a label of \(rubric.task).\(dim.key) (labels: \(dim.labels.map(\.key).joined(separator: ", ")))")
            }
            var role = DecisionRole.annotator
            if let r = o["role"] {
                guard let s = r.string, let parsed = DecisionRole(rawValue: s) else { throw LineError(field: "role", message: "expected \"annotator\" or \"lead\"") }
                role = parsed
            }
            let comment = try optionalText(o, "comment")
            let time = try o["time"].map { try Self.time($0) }
            let key = SHA256.hex(value.serialized(canonical: true))
            let id = try Store.insert(DecisionInput(samplePK: pk, dimension: dim.key, annotator: annotator, role: role, label: label,
                                                    action: role == .lead ? .adjudicate : .import, comment: comment,
                                                    rubricVersion: rubric.version, time: time, importKey: key), db)
            return id == 0 ? Counts(added: 0, unchanged: 1) : Counts(added: 1, unchanged: 0)
        }
    }

    // MARK: Verdicts of an external judge

    /// Imports a replay judge's verdicts: one line per sample and dimension
    /// (`{"sample", "dimension", "label", "rationale"?}`) or per sample
    /// (`{"sample", "verdicts": {dimension: {"label", "rationale"?}}}`).
    public func importVerdicts(file: String, judge name: String, options: ImportOptions = ImportOptions()) throws -> ImportReport {
        guard let judge = session.judge(named: name) else {
            throw InputError(file: (session.folder as NSString).appendingPathComponent(SessionConfig.fileName), line: nil, field: "judges",
                             message: "no judge named '\(name)'; add `- {name: \(name), kind: replay}` to import its verdicts")
        }
        guard judge.kind == .replay else {
            throw InputError(file: file, line: nil, message: "judge '\(name)' is a \(judge.kind.rawValue) judge; verdicts from files go to a judge of kind replay")
        }
        var versions: [String: Int64] = [:]
        let allowed: Set<String> = ["sample", "dimension", "label", "rationale", "verdicts", "confidence"]
        return try run(kind: "verdicts:\(name)", file: file, options: options) { db, _, value in
            guard case .object(let o) = value else { throw LineError(field: nil, message: "expected a JSON object, found \(value.kindName)") }
            if let k = o.keys.first(where: { !allowed.contains($0) }) {
                throw LineError(field: k, message: "unknown field (expected: \(allowed.sorted().joined(separator: ", ")))")
            }
            let (pk, rubric) = try sampleRef(o, db)
            var items: [(String, JSONObject)] = []
            if let vs = o["verdicts"] {
                guard case .object(let m) = vs else { throw LineError(field: "verdicts", message: "expected an object of dimension → verdict") }
                for (k, v) in m.entries {
                    guard case .object(let vo) = v else { throw LineError(field: "verdicts.\(k)", message: "expected an object with a label") }
                    items.append((k, vo))
                }
            } else {
                items.append((try text(o, "dimension"), o))
            }
            let versionID: Int64
            if let v = versions[rubric.task] { versionID = v } else {
                versionID = try Store.register(JudgeVersion(judge: name, kind: "replay", model: judge.model, task: rubric.task,
                                                            rubricVersion: rubric.version,
                                                            params: ["replay": name, "rubric": rubric.fingerprint]), db)
                versions[rubric.task] = versionID
            }
            var verdicts: [VerdictInput] = []
            var counts = Counts()
            for (dimKey, vo) in items {
                let at = o["verdicts"] == nil ? "" : "verdicts.\(dimKey)."
                guard let dim = rubric.dimension(named: dimKey) else {
                    throw LineError(field: o["verdicts"] == nil ? "dimension" : "verdicts.\(dimKey)",
                                    message: "'\(dimKey)' is not a dimension of \(rubric.task) (\(rubric.dimensions.map(\.key).joined(separator: ", ")))")
                }
                guard let label = vo["label"]?.string else { throw LineError(field: at + "label", message: "missing or not a string") }
                guard dim.label(label) != nil else {
                    throw LineError(field: at + "label", message: "'\(label)' is not a label of \(rubric.task).\(dim.key) (labels: \(dim.labels.map(\.key).joined(separator: ", ")))")
                }
                if let r = vo["rationale"], r.string == nil { throw LineError(field: at + "rationale", message: "expected a string, found \(r.kindName)") }
                let existing = try String?.fetchOne(db, sql: "SELECT label FROM verdicts WHERE sample_pk = ? AND judge_version_id = ? AND dimension = ?",
                                                    arguments: [pk, versionID, dim.key])
                if let existing {
                    if existing == label { counts.unchanged += 1; continue }
                    throw LineError(field: at + "label", message: "this judge already gave '\(existing ?? "a failed verdict")' here; a replay judge's verdicts don't change (import under a new judge name)")
                }
                verdicts.append(VerdictInput(dimension: dim.key, label: label, rationale: vo["rationale"]?.string ?? "", confidence: vo["confidence"]?.double))
            }
            if !verdicts.isEmpty {
                try Store.recordJudgeCall(samplePK: pk, judgeVersionID: versionID,
                                          call: JudgeCallInput(ok: true, raw: value.serialized()), verdicts: verdicts, db)
                counts.added += verdicts.count
            }
            return counts
        }
    }

    // MARK: Field helpers

    private func text(_ o: JSONObject, _ key: String) throws -> String {
        guard let v = o[key] else { throw LineError(field: key, message: "missing") }
        guard case .string(let s) = v else { throw LineError(field: key, message: "expected a string, found \(v.kindName)") }
        guard !s.isEmpty else { throw LineError(field: key, message: "empty") }
        return s
    }

    private func optionalText(_ o: JSONObject, _ key: String) throws -> String? {
        guard let v = o[key], v != .null else { return nil }
        guard case .string(let s) = v else { throw LineError(field: key, message: "expected a string, found \(v.kindName)") }
        return s
    }

    private func sampleRef(_ o: JSONObject, _ db: Database) throws -> (Int64, Rubric) {
        let id = try text(o, "sample")
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT pk, task FROM samples WHERE id = ?"), arguments: [id]) else {
            throw LineError(field: "sample", message: "no sample '\(id)' in this session (import the samples first)")
        }
        let task: String = row["task"]
        guard let rubric = session.rubric(for: task) else { throw LineError(field: "sample", message: "task '\(task)' has no rubric in this session") }
        return (row["pk"], rubric)
    }

    private func dimension(_ o: JSONObject, _ rubric: Rubric) throws -> Domain.Dimension {
        let key = try text(o, "dimension")
        guard let d = rubric.dimension(named: key) else {
            throw LineError(field: "dimension", message: "'\(key)' is not a dimension of \(rubric.task) (\(rubric.dimensions.map(\.key).joined(separator: ", ")))")
        }
        return d
    }

    /// An ISO 8601 time ("2025-06-18T10:00:00Z", "2025-06-18") or seconds since 1970.
    static func time(_ v: JSONValue) throws -> Double {
        if let d = v.double { return d }
        guard let s = v.string else { throw LineError(field: "time", message: "expected an ISO 8601 time or seconds since 1970") }
        let f = ISO8601DateFormatter()
        if let d = f.date(from: s) { return d.timeIntervalSince1970 }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d.timeIntervalSince1970 }
        f.formatOptions = [.withFullDate]
        if let d = f.date(from: s) { return d.timeIntervalSince1970 }
        throw LineError(field: "time", message: "'\(s)' is not an ISO 8601 time (e.g. 2025-06-18T10:00:00Z)")
    }

    // MARK: The shared line loop

    /// A loop for imports that only need the parsed line.
    private func run(kind: String, file: String, options: ImportOptions,
                     _ apply: @escaping (Database, Int, JSONValue) throws -> Counts) throws -> ImportReport {
        try run(kind: kind, file: file, options: options, keepingMember: nil, prepare: { _, value, _ in value }, apply: apply)
    }

    /// Reads, parses and prepares lines on a second thread (`prepare` must not touch the
    /// store) while this thread applies them, in order, inside one write transaction.
    /// - Parameter keepingMember: a top-level member whose original text `prepare` receives.
    private func run<P: Sendable>(kind: String, file: String, options: ImportOptions, keepingMember: String?,
                                  prepare: @escaping @Sendable (Int, JSONValue, String?) throws -> P,
                                  apply: (Database, Int, P) throws -> Counts) throws -> ImportReport {
        let channel = HandOver<LineItem<P>, LinesEnd>(capacity: 256)
        let keepRaw = options.skipInvalid
        let producer = Thread {
            var reader = JSONLinesReader(path: file)
            do {
                try reader.forEachLine { lineNo, line in
                    var item = LineItem<P>(line: lineNo, raw: nil, result: .failure(InputError(file: file, line: lineNo, message: "")))
                    switch line {
                    case .tooLong(let n):
                        item.result = .failure(InputError(file: file, line: lineNo, message: "line is \(n) bytes, over the \(JSONLinesReader.maxLineBytes >> 20) MiB limit"))
                    case .text(let buf):
                        if keepRaw { item.raw = String(decoding: buf, as: UTF8.self) }
                        do {
                            let (value, ranges) = try JSONParser.parseWithMemberRanges(buf)
                            let kept = keepingMember.flatMap { ranges[$0] }.map { String(decoding: UnsafeBufferPointer(rebasing: buf[$0]), as: UTF8.self) }
                            item.result = .success(try prepare(lineNo, value, kept))
                        } catch let e as JSONSyntaxError {
                            item.result = .failure(InputError(file: file, line: lineNo, message: "not valid JSON: \(e)"))
                        } catch let e as LineError {
                            item.result = .failure(InputError(file: file, line: lineNo, field: e.field, message: e.message))
                        }
                    }
                    guard channel.put(item) else { throw CancellationError() }
                }
                channel.close(LinesEnd(bytesRead: reader.bytesRead, notes: reader.notes, error: nil))
            } catch is CancellationError {
                channel.close(LinesEnd(bytesRead: reader.bytesRead, notes: reader.notes, error: nil))
            } catch {
                channel.close(LinesEnd(bytesRead: reader.bytesRead, notes: reader.notes, error: error))
            }
        }
        producer.start()
        defer { channel.cancel() }

        var report = ImportReport()
        var rejects: [UInt8] = []
        var total = 0
        try store.write("import \(kind)") { db in
            while let item = channel.take() {
                report.lines += 1
                var bad: InputError?
                switch item.result {
                case .failure(let e): bad = e
                case .success(let p):
                    do {
                        var c = Counts()
                        if options.skipInvalid {
                            // A savepoint guards against a line failing halfway in SQLite itself.
                            try db.inSavepoint { c = try apply(db, item.line, p); return .commit }
                        } else {
                            c = try apply(db, item.line, p)
                        }
                        report.added += c.added; report.unchanged += c.unchanged
                    } catch let e as LineError {
                        bad = InputError(file: file, line: item.line, field: e.field, message: e.message)
                    }
                }
                guard let bad else { continue }
                total += 1
                if report.errors.count < options.maxErrors { report.errors.append(bad) }
                if options.skipInvalid {
                    report.rejected += 1
                    var o = JSONObject()
                    o["line"] = .number(String(item.line))
                    o["error"] = .string(bad.field.map { "\($0): \(bad.message)" } ?? bad.message)
                    o["text"] = .string(item.raw ?? "")
                    JSONValue.object(o).write(into: &rejects, canonical: false)
                    rejects.append(0x0A)
                }
            }
            let end = channel.end ?? LinesEnd(bytesRead: 0, notes: [], error: nil)
            if let e = end.error { throw e }
            if report.lines == 0 {
                throw InputError(file: file, line: nil, message: end.bytesRead == 0 ? "the file is empty: nothing to import" : "the file holds only blank lines: nothing to import")
            }
            if !options.skipInvalid, !report.errors.isEmpty { throw InputErrors(report.errors, total: total) }
            try db.execute(sql: "INSERT INTO imports (kind, file, added, unchanged, rejected, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [kind, file, report.added, report.unchanged, report.rejected, now()])
        }
        report.notes = channel.end?.notes ?? []
        if options.skipInvalid, let path = options.rejectsPath {
            try writeAtomically(rejects, to: path)
        }
        return report
    }
}

/// One read line on its way from the reading thread to the writing one.
struct LineItem<P: Sendable>: Sendable {
    var line: Int
    var raw: String?
    var result: Result<P, InputError>
}

/// How the reading thread's lines ended: bytes read, what the reader noted (a BOM, CRLF), and
/// the error that stopped it, if any.
struct LinesEnd: Sendable {
    var bytesRead: Int
    var notes: [String]
    var error: (any Error)?
}

/// Writes a file through a temporary sibling and a rename, so readers never see half a file.
public func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    let tmp = path + ".tmp-\(getpid())"
    guard FileManager.default.createFile(atPath: tmp, contents: Data(bytes)) else {
        throw InputError(file: path, line: nil, message: "cannot write")
    }
    if rename(tmp, path) != 0 {
        unlink(tmp)
        throw InputError(file: path, line: nil, message: "cannot write: \(String(cString: strerror(errno)))")
    }
}
