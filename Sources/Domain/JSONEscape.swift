// JSON string literals written straight into byte buffers: the one escaper behind the
// serialiser, the export's lines and the LLM client's requests.

/// Writes JSON string literals (RFC 8259): quotes and backslashes escaped, \n \r \t by name,
/// other control characters and DEL as \u00XX, everything else as the UTF-8 bytes, copied
/// eight bytes at a time while none needs escaping.
public enum JSONEscape {
    /// Appends `s` as a JSON string literal (RFC 8259): quotes and backslashes escaped, \n \r \t
    /// by name, other control characters and DEL as \u00XX, everything else as UTF-8 bytes,
    /// copied in runs. Equal to what `JSONValue.string(s).serialized()` writes.
    public static func append(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { append(utf8: $0, to: &out) }
    }

    /// Appends valid UTF-8 text as a JSON string literal, as `append(_:to:)` does.
    public static func append(utf8 buf: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        appendContent(utf8: buf, to: &out)
        out.append(0x22)
    }

    /// Appends what `append(_:to:)` writes between the quotes: escaping a text in parts and
    /// joining them gives the escaped whole.
    public static func appendContent(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendContent(utf8: $0, to: &out) }
    }

    /// As `appendContent(_:to:)`, for valid UTF-8 text.
    public static func appendContent(utf8 buf: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        // The text goes in pieces through a buffer on the stack, written through a pointer (an
        // escape is six bytes at most): appending byte by byte to the array cost more than the
        // escaping itself on texts with many newlines and quotes (judge prompts).
        // Sized to the text: most are short keys and values, and a buffer over a page would be
        // probed page by page on every call.
        let piece = min(buf.count, 1024)
        guard piece > 0 else { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: piece * 6) { scratch in
            guard let w = scratch.baseAddress else { return }
            var start = 0
            while start < buf.count {
                let end = min(buf.count, start + piece)
                let n = escape(UnsafeBufferPointer(rebasing: buf[start..<end]), into: w)
                out.append(contentsOf: UnsafeBufferPointer(start: w, count: n))
                start = end
            }
        }
    }

    /// Writes the escaped bytes of `buf` (no quotes around) to `w`, which has room for six
    /// bytes per input byte; returns how many it wrote.
    private static func escape(_ buf: UnsafeBufferPointer<UInt8>, into w: UnsafeMutablePointer<UInt8>) -> Int {
        let n = buf.count
        guard let src = buf.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(src)
        var i = 0, o = 0
        while i < n {
            // Eight bytes at a time while none needs escaping.
            if i + 8 <= n {
                let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if !special(x) { UnsafeMutableRawPointer(w + o).storeBytes(of: x, as: UInt64.self); i += 8; o += 8; continue }
            }
            let b = src[i]
            i += 1
            if !isSpecial(b) { w[o] = b; o += 1; continue }
            w[o] = 0x5C
            switch b {
            case 0x22: w[o + 1] = 0x22; o += 2
            case 0x5C: w[o + 1] = 0x5C; o += 2
            case 0x0A: w[o + 1] = UInt8(ascii: "n"); o += 2
            case 0x0D: w[o + 1] = UInt8(ascii: "r"); o += 2
            case 0x09: w[o + 1] = UInt8(ascii: "t"); o += 2
            default:
                w[o + 1] = UInt8(ascii: "u"); w[o + 2] = 0x30; w[o + 3] = 0x30
                w[o + 4] = hexDigit(b >> 4); w[o + 5] = hexDigit(b & 15); o += 6
            }
        }
        return o
    }

    /// Whether any byte of `buf` would be escaped (else the text is its own escaped content).
    public static func needsEscaping(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        buf[plainRunEnd(buf, from: 0)...].contains(where: isSpecial)
    }

    /// Where a run of bytes of `buf` starting at `i` may need a closer look: steps eight bytes
    /// at a time while none is escaped (the parser steps over strings with it too).
    @inline(__always) static func plainRunEnd(_ buf: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        guard let base = buf.baseAddress else { return i }
        let raw = UnsafeRawPointer(base)
        var j = i
        while j + 8 <= buf.count, !special(raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)) { j += 8 }
        return j
    }

    /// Whether the byte is escaped: a control character, a quote, a backslash or DEL.
    @inline(__always) static func isSpecial(_ b: UInt8) -> Bool { b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F }

    @inline(__always) private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether any of eight bytes is below 0x20, a quote, a backslash or DEL (SWAR: a byte of
    /// `v` is zero exactly when `(v − 0x01…) & ~v & 0x80…` has its high bit set).
    @inline(__always) private static func special(_ x: UInt64) -> Bool {
        func zeroByte(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        let control = (x &- 0x2020_2020_2020_2020) & ~x & highs
        return (control | zeroByte(x ^ (0x22 &* ones)) | zeroByte(x ^ (0x5C &* ones)) | zeroByte(x ^ (0x7F &* ones))) != 0
    }
}
