#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a JSON Lines file line by line with memory bounded by the longest line.
/// It tells about a byte-order mark and CRLF line ends (both accepted), refuses lines over
/// `maxLineBytes` and reports 1-based line numbers.
public struct JSONLinesReader {
    public static let maxLineBytes = 64 << 20

    public let path: String
    public private(set) var notes: [String] = []
    public private(set) var bytesRead = 0
    private let maxLine: Int

    public init(path: String, maxLineBytes: Int = JSONLinesReader.maxLineBytes) {
        self.path = path
        self.maxLine = maxLineBytes
    }

    public enum Line {
        case text(UnsafeBufferPointer<UInt8>)
        /// The line was longer than the limit and was skipped; `bytes` is its length.
        case tooLong(bytes: Int)
    }

    /// Calls `body` for each line that is not blank. Throws if the file cannot be read.
    public mutating func forEachLine(_ body: (Int, Line) throws -> Void) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw InputError(file: path, line: nil, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw InputError(file: path, line: nil, message: "is a folder, not a JSON Lines file")
        }
        let chunk = 1 << 20
        var buf = [UInt8](repeating: 0, count: chunk)
        var line: [UInt8] = []
        var lineNumber = 0
        var overLong = 0           // bytes of the current line beyond the limit (skipping)
        var sawCR = false
        var first = true

        func emit(_ body: (Int, Line) throws -> Void) throws {
            lineNumber += 1
            if overLong > 0 {
                try body(lineNumber, .tooLong(bytes: overLong))
            } else {
                if line.last == 0x0D { line.removeLast(); sawCR = true }
                if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    try line.withUnsafeBufferPointer { try body(lineNumber, .text($0)) }
                }
            }
            line.removeAll(keepingCapacity: line.capacity <= 4 << 20)
            overLong = 0
        }

        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunk) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(file: path, line: lineNumber + 1, message: "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytesRead += n
            var start = 0
            if first {
                first = false
                if n >= 3, buf[0] == 0xEF, buf[1] == 0xBB, buf[2] == 0xBF {
                    start = 3
                    notes.append("\(path):1: note: UTF-8 byte-order mark ignored")
                }
            }
            try buf.withUnsafeBufferPointer { b in
                var i = start
                while i < n {
                    // Find the next newline in this chunk.
                    var j = i
                    while j < n, b[j] != 0x0A { j += 1 }
                    let piece = UnsafeBufferPointer(rebasing: b[i..<j])
                    if overLong > 0 || line.count + piece.count > maxLine {
                        overLong += piece.count + (overLong == 0 ? line.count : 0)
                        line.removeAll()
                    } else {
                        line.append(contentsOf: piece)
                    }
                    if j < n { try emit(body) }
                    i = j + 1
                }
            }
        }
        if !line.isEmpty || overLong > 0 { try emit(body) }
        if sawCR { notes.append("\(path): note: CRLF line ends read as LF") }
    }
}
