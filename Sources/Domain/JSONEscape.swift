// JSON string literals written straight into byte buffers: the one escaper behind the
// serialiser, the export's lines and the LLM client's requests.

/// Writes JSON string literals (RFC 8259): quotes and backslashes escaped, \n \r \t by name,
/// other control characters and DEL as \u00XX, everything else as the UTF-8 bytes, copied in
/// runs eight bytes at a time while none needs escaping.
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
        var run = 0, i = 0
        let n = buf.count
        let raw = UnsafeRawBufferPointer(buf)
        while i < n {
            // Eight bytes at a time while none needs escaping.
            if i + 8 <= n, !special(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8; continue }
            let b = buf[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C && b != 0x7F { i += 1; continue }
            if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<i])) }
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            default:
                out.append(0x5C); out.append(UInt8(ascii: "u")); out.append(0x30); out.append(0x30)
                out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)])
            }
            i += 1
            run = i
        }
        if run < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<n])) }
        out.append(0x22)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080
    // (`special` also serves the parser, to step over strings eight bytes at a time.)

    /// Whether any of eight bytes is below 0x20, a quote, a backslash or DEL (SWAR: a byte of
    /// `v` is zero exactly when `(v − 0x01…) & ~v & 0x80…` has its high bit set).
    @inline(__always) static func special(_ x: UInt64) -> Bool {
        func zeroByte(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        let control = (x &- 0x2020_2020_2020_2020) & ~x & highs
        return (control | zeroByte(x ^ (0x22 &* ones)) | zeroByte(x ^ (0x5C &* ones)) | zeroByte(x ^ (0x7F &* ones))) != 0
    }
}
