// The files of an export: written into a staging folder beside the output, which replaces
// the output by rename only once everything is written and recorded.
import Foundation
import Store
import Domain
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A staging folder for an export. Until `swap()`, nothing is visible at `out`; `discard()`
/// removes every trace (the staging folder, parents it created, and a half-done swap).
final class ExportStaging {
    /// The output folder, absolute.
    let out: String
    let staging: String
    private let aside: String
    private var createdParents: [String] = []
    private var swapped = false
    private var hadOld = false
    private let force: Bool

    /// Checks `out` and creates the staging folder beside it.
    /// - Parameter protecting: paths that must never be inside `out` (the store).
    /// - Throws: `ExportError.outputNotEmpty` when `out` holds files and `force` is false, or
    ///   when it holds files but is not an earlier export's folder (no recjudge manifest.json)
    ///   or holds a protected path; `.outputNotAFolder` when it is a file; `.cannotWrite` when
    ///   the folder cannot be made.
    init(out path: String, force: Bool, protecting: [String] = []) throws {
        let fm = FileManager.default
        let out = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        self.out = out
        self.force = force
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: out, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw ExportError.outputNotAFolder(out) }
            let contents = (try? fm.contentsOfDirectory(atPath: out)) ?? []
            if !contents.isEmpty {
                if !force { throw ExportError.outputNotEmpty(out) }
                let inside = protecting.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path }
                    .filter { $0 == out || $0.hasPrefix(out.hasSuffix("/") ? out : out + "/") }
                if !inside.isEmpty || !Self.isExport(out) {
                    throw ExportError.invalidOption("--force replaces only an earlier export's folder (one with a recjudge manifest.json); \(out) is not one"
                        + (inside.isEmpty ? "" : " and holds \(inside[0])"))
                }
            }
        }
        let parent = (out as NSString).deletingLastPathComponent
        let name = (out as NSString).lastPathComponent
        var missing: [String] = []
        var p = parent
        while !p.isEmpty, p != "/", !fm.fileExists(atPath: p) {
            missing.append(p)
            p = (p as NSString).deletingLastPathComponent
        }
        let tag = "recjudge-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        staging = (parent as NSString).appendingPathComponent(".\(name).\(tag)")
        aside = (parent as NSString).appendingPathComponent(".\(name).\(tag).old")
        for dir in missing.reversed() {
            guard mkdir(dir, 0o755) == 0 || errno == EEXIST else {
                let reason = String(cString: strerror(errno))
                discard()
                throw ExportError.cannotWrite(dir, reason: reason)
            }
            createdParents.append(dir)
        }
        guard mkdir(staging, 0o755) == 0 else {
            let reason = String(cString: strerror(errno))
            discard()
            throw ExportError.cannotWrite(parent, reason: reason)
        }
    }

    func path(_ name: String) -> String { (staging as NSString).appendingPathComponent(name) }

    /// Whether a folder holds a manifest.json written by an export.
    static func isExport(_ folder: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent("manifest.json")),
              let text = String(data: data, encoding: .utf8),
              case .object(let o)? = try? JSONParser.parse(text) else { return false }
        return o["schema"]?.string?.hasPrefix("recjudge.export/") == true
    }

    /// Puts the staged folder at `out` by rename (an existing `out` is moved aside first and
    /// restored if the rename fails). Refuses, as at the start, an `out` that another process
    /// filled meanwhile, unless forced.
    func swap() throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: out) {
            if !force, !((try? fm.contentsOfDirectory(atPath: out)) ?? []).isEmpty { throw ExportError.outputNotEmpty(out) }
            guard rename(out, aside) == 0 else { throw ExportError.cannotWrite(out, reason: String(cString: strerror(errno))) }
            hadOld = true
        }
        guard rename(staging, out) == 0 else {
            let reason = String(cString: strerror(errno))
            if hadOld { rename(aside, out); hadOld = false }
            throw ExportError.cannotWrite(out, reason: reason)
        }
        swapped = true
    }

    /// After a successful swap and record: removes what `out` held before.
    func finish() {
        if hadOld { try? FileManager.default.removeItem(atPath: aside) }
        hadOld = false
    }

    /// Undoes everything: a swap is reversed (the old `out` comes back), then the staging
    /// folder and any parents this export created are removed.
    func discard() {
        let fm = FileManager.default
        if swapped {
            rename(out, staging)
            if hadOld { rename(aside, out) }
            swapped = false; hadOld = false
        }
        try? fm.removeItem(atPath: staging)
        for dir in createdParents.reversed() { rmdir(dir) }
        createdParents = []
    }
}

/// A file written through a large buffer with write(2).
final class BufferedFile {
    let path: String
    private var fd: Int32
    private(set) var buffer: [UInt8] = []
    private(set) var bytes = 0
    private let writesBack: Bool
    private var written: Int64 = 0
    private var handedToDisk: Int64 = 0

    /// With `writesBack`, what is written is sent to disk as it goes (see `writeAll`): for files
    /// that are kept.
    init(path: String, writesBack: Bool = false) throws {
        self.path = path
        self.writesBack = writesBack
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ExportError.cannotWrite(path, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(1 << 20)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Appends bytes built by `body` to the buffer, flushing when it is full.
    func append(_ body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Appends `data`; a large one goes to the file as it is, without a copy into the buffer.
    func append(contentsOf data: [UInt8]) throws {
        guard data.count >= 1 << 16 else { return try append { $0.append(contentsOf: data) } }
        try flush()
        try data.withUnsafeBytes { try writeAll($0) }
        bytes += data.count
    }

    func flush() throws {
        try buffer.withUnsafeBytes { try writeAll($0) }
        bytes += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ raw: UnsafeRawBufferPointer) throws {
        guard let base = raw.baseAddress else { return }
        var done = 0
        while done < raw.count {
            let n = write(fd, base + done, raw.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw ExportError.cannotWrite(path, reason: String(cString: strerror(errno)))
            }
            done += n
        }
        written += Int64(raw.count)
        // Every 32 MB, the disk is asked to start on what was written: `finish` then waits for
        // the last part only, not for a gigabyte the kernel kept in memory.
        if writesBack, written - handedToDisk >= 32 << 20, let startWriteback {
            _ = startWriteback(fd, handedToDisk, written - handedToDisk, 2 /* SYNC_FILE_RANGE_WRITE */)
            handedToDisk = written
        }
    }

    /// Flushes, syncs to disk and closes.
    func finish() throws {
        try flush()
        guard fsync(fd) == 0, close(fd) == 0 else {
            fd = -1
            throw ExportError.cannotWrite(path, reason: String(cString: strerror(errno)))
        }
        fd = -1
    }
}

/// Linux's sync_file_range, looked up at run time (the Glibc module leaves it out): starts
/// writing a range of a file to disk without waiting for it. Nil where there is none.
private let startWriteback: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32)? = {
    guard let symbol = dlsym(nil, "sync_file_range") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32).self)
}()

/// The rows an export will record, spooled to a file while the sets are written and read
/// back inside the recording transaction: memory stays flat however many rows there are.
/// A record: sample key (8 bytes), split and pair side (1 byte), labels length (4 bytes),
/// labels (UTF-8), and for a pair's side the other side's key (8 bytes); see `encode`.
final class RowSpool {
    let file: BufferedFile
    private(set) var count = 0

    init(path: String) throws { file = try BufferedFile(path: path) }

    /// Appends one record's bytes to `out`: the key, a byte for the split (low bits) and the
    /// pair side (0 none, 1 chosen, 2 rejected, times 16), the labels' length and bytes, and
    /// for a pair's side the other side's key.
    static func encode(samplePK: Int64, split: Split, labels: [UInt8], pair: ExportPairSide?, into out: inout [UInt8]) {
        withUnsafeBytes(of: samplePK.littleEndian) { out.append(contentsOf: $0) }
        let side: UInt8 = pair.map { $0.role == .chosen ? 1 : 2 } ?? 0
        out.append(UInt8(split.index) | side << 4)
        withUnsafeBytes(of: UInt32(labels.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: labels)
        if let pair { withUnsafeBytes(of: pair.with.littleEndian) { out.append(contentsOf: $0) } }
    }

    /// Adds `count` records encoded by `encode`.
    func add(records: [UInt8], count: Int) throws {
        guard count > 0 else { return }
        try file.append(contentsOf: records)
        self.count += count
    }

    /// Reads every record back, in the order added (labels as UTF-8 bytes, valid during the call).
    func forEach(_ body: (_ samplePK: Int64, _ split: Split, _ labels: UnsafeRawBufferPointer, _ pair: ExportPairSide?) throws -> Void) throws {
        try file.finish()
        guard let h = FileHandle(forReadingAtPath: file.path) else {
            throw ExportError.cannotWrite(file.path, reason: "cannot read the spooled rows back")
        }
        defer { try? h.close() }
        var pending: [UInt8] = []
        var at = 0
        func need(_ n: Int) throws -> Bool {
            while pending.count - at < n {
                let chunk = try h.read(upToCount: 1 << 20) ?? Data()
                if chunk.isEmpty { return false }
                pending.removeFirst(at); at = 0
                pending.append(contentsOf: chunk)
            }
            return true
        }
        func int64(at i: Int) -> Int64 {
            var v: Int64 = 0
            for k in 0..<8 { v |= Int64(pending[i + k]) << (8 * Int64(k)) }
            return v
        }
        while try need(13) {
            var length: UInt32 = 0
            let pk = int64(at: at)
            let kind = pending[at + 8]
            let split: Split = kind & 15 == 0 ? .train : kind & 15 == 1 ? .dev : .test
            for i in 0..<4 { length |= UInt32(pending[at + 9 + i]) << (8 * UInt32(i)) }
            at += 13
            let side = kind >> 4
            guard try need(Int(length) + (side == 0 ? 0 : 8)) else { throw ExportError.damaged("the spooled rows of this export are truncated") }
            let start = at
            at += Int(length)
            var pair: ExportPairSide?
            if side != 0 {
                pair = ExportPairSide(role: side == 1 ? .chosen : .rejected, with: int64(at: at))
                at += 8
            }
            try pending.withUnsafeBytes { try body(pk, split, UnsafeRawBufferPointer(rebasing: $0[start..<(start + Int(length))]), pair) }
        }
    }
}
