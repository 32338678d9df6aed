/// Why a line is not JSON, with the byte column (1-based) where reading stopped.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var column: Int
    public var message: String
    public var description: String { "column \(column): \(message)" }
}

/// A strict JSON reader (RFC 8259) over UTF-8 bytes: one value, optional whitespace around it.
/// It refuses invalid UTF-8, duplicate object keys and nesting deeper than `maxDepth`, and
/// never recurses deeper than that, so no input can exhaust the stack.
public struct JSONParser {
    public static let defaultMaxDepth = 64

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONSyntaxError) -> JSONValue {
        try checkUTF8(bytes)
        var p = JSONParser(bytes: bytes, maxDepth: maxDepth)
        p.skipWhitespace()
        let v = try p.value(depth: 0)
        p.skipWhitespace()
        if p.i < bytes.count { throw p.fail("unexpected text after the JSON value") }
        return v
    }

    /// Parses a line and also returns where each member of the top-level object lies in
    /// `bytes`, so a caller can keep a member's original text without writing it again.
    public static func parseWithMemberRanges(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONSyntaxError) -> (JSONValue, [String: Range<Int>]) {
        try checkUTF8(bytes)
        var p = JSONParser(bytes: bytes, maxDepth: maxDepth)
        p.memberRanges = [:]
        p.skipWhitespace()
        let v = try p.value(depth: 0)
        p.skipWhitespace()
        if p.i < bytes.count { throw p.fail("unexpected text after the JSON value") }
        return (v, p.memberRanges ?? [:])
    }

    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONSyntaxError) -> JSONValue {
        var copy = text
        let result: Result<JSONValue, JSONSyntaxError> = copy.withUTF8 { buf in
            do throws(JSONSyntaxError) { return .success(try parse(buf, maxDepth: maxDepth)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Steps over the object `bytes` holds, checking it as `parse` checks it (UTF-8, unless the
    /// caller vouches for it with `utf8Checked`; syntax; depth) except for duplicate keys, and
    /// hands each member's key (the bytes between its quotes, as written, escapes not decoded)
    /// and value range to `member`, in order. Allocates nothing.
    public static func forEachMember(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = defaultMaxDepth, utf8Checked: Bool = false,
                                     _ member: (_ key: Range<Int>, _ value: Range<Int>) throws(JSONSyntaxError) -> Void) throws(JSONSyntaxError) {
        try walk(bytes, maxDepth: maxDepth, utf8Checked: utf8Checked, open: UInt8(ascii: "{"), kind: "object") { p throws(JSONSyntaxError) in
            try withoutActuallyEscaping(member) { member throws(JSONSyntaxError) in try p.skipObject(depth: 1, member: member) }
        }
    }

    /// As `forEachMember`, for the array `bytes` holds: hands each element's range to
    /// `element`, in order, and first, for an element that is an object, its members to
    /// `member` (as `forEachMember` would): an array of objects is read in one pass.
    /// Allocates nothing.
    public static func forEachElement(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = defaultMaxDepth, utf8Checked: Bool = false,
                                      member: (_ key: Range<Int>, _ value: Range<Int>) throws(JSONSyntaxError) -> Void,
                                      element: (_ value: Range<Int>) throws(JSONSyntaxError) -> Void) throws(JSONSyntaxError) {
        try walk(bytes, maxDepth: maxDepth, utf8Checked: utf8Checked, open: UInt8(ascii: "["), kind: "array") { p throws(JSONSyntaxError) in
            try withoutActuallyEscaping(member) { member throws(JSONSyntaxError) in
                try withoutActuallyEscaping(element) { element throws(JSONSyntaxError) in
                    try p.skipArray(depth: 1, element: element, objectMember: member)
                }
            }
        }
    }

    /// Checks `bytes` as UTF-8 (unless the caller vouches for it), then has `step` step over the
    /// one value it holds, which must open with `open` (a JSON `kind`), and checks that nothing
    /// follows it.
    private static func walk(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, utf8Checked: Bool, open: UInt8, kind: String,
                             _ step: (inout JSONParser) throws(JSONSyntaxError) -> Void) throws(JSONSyntaxError) {
        if !utf8Checked { try checkUTF8(bytes) }
        var p = JSONParser(bytes: bytes, maxDepth: maxDepth)
        p.skipWhitespace()
        guard p.i < bytes.count, bytes[p.i] == open else { throw p.fail("expected a JSON \(kind)") }
        try step(&p)
        p.skipWhitespace()
        if p.i < bytes.count { throw p.fail("unexpected text after the JSON value") }
    }

    /// - Throws: `JSONSyntaxError` at the first byte that is not valid UTF-8.
    private static func checkUTF8(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) {
        if let bad = UTF8Check.firstInvalidOffset(bytes) {
            throw JSONSyntaxError(column: bad + 1, message: "invalid UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true)))")
        }
    }

    /// Appends the text of the JSON string `bytes` holds (quotes included, nothing around
    /// them), escapes decoded, as UTF-8. The caller vouches that `bytes` is valid UTF-8.
    /// - Throws: `JSONSyntaxError` when it is not one JSON string.
    public static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) throws(JSONSyntaxError) {
        var p = JSONParser(bytes: bytes, maxDepth: defaultMaxDepth)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\"") else { throw p.fail("expected a JSON string") }
        try p.appendString(to: &out)
        if p.i < bytes.count { throw p.fail("unexpected text after the JSON value") }
    }

    /// Steps over one value, checking its syntax.
    mutating func skipValue(depth: Int) throws(JSONSyntaxError) {
        guard i < bytes.count else { throw fail("unexpected end of line") }
        switch bytes[i] {
        case UInt8(ascii: "{"): try skipObject(depth: depth + 1, member: nil)
        case UInt8(ascii: "["): try skipArray(depth: depth + 1, element: nil)
        case UInt8(ascii: "\""): try skipString()
        default: _ = try value(depth: depth)
        }
    }

    /// Steps over an array (at `depth`), handing each element's range to `element`, and the
    /// members of elements that are objects to `objectMember`.
    mutating func skipArray(depth: Int, element: ((Range<Int>) throws(JSONSyntaxError) -> Void)?,
                            objectMember: ((Range<Int>, Range<Int>) throws(JSONSyntaxError) -> Void)? = nil) throws(JSONSyntaxError) {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        i += 1
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return }
        while true {
            skipWhitespace()
            let start = i
            if let objectMember, i < bytes.count, bytes[i] == UInt8(ascii: "{") {
                try skipObject(depth: depth + 1, member: objectMember)
            } else {
                try skipValue(depth: depth)
            }
            if let element { try element(start..<i) }
            skipWhitespace()
            guard i < bytes.count else { throw fail("unterminated array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return }
            throw fail("expected ',' or ']' in array")
        }
    }

    /// Where a run of string bytes starting at `j` may need a closer look: steps eight bytes at
    /// a time while none is a quote, a backslash or a control character (or DEL).
    @inline(__always) func plainRunEnd(from j: Int) -> Int { JSONEscape.plainRunEnd(bytes, from: j) }

    /// Steps over a string, checking its escapes (its text is decoded only when it has escapes).
    mutating func skipString() throws(JSONSyntaxError) {
        var j = plainRunEnd(from: i + 1)
        while j < bytes.count {
            let b = bytes[j]
            if b == UInt8(ascii: "\"") { i = j + 1; return }
            if b == UInt8(ascii: "\\") { _ = try string(); return }
            if b < 0x20 { i = j; throw fail("control character in a string (escape it as \\u00\(String(b, radix: 16)))") }
            j += 1
        }
        i = j
        throw fail("unterminated string")
    }

    /// Steps over an object (at `depth`), handing each member's key (the bytes between its
    /// quotes) and value range to `member`.
    mutating func skipObject(depth: Int, member: ((Range<Int>, Range<Int>) throws(JSONSyntaxError) -> Void)?) throws(JSONSyntaxError) {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        i += 1
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return }
        while true {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a quoted key in object") }
            let keyStart = i + 1
            try skipString()
            let key = keyStart..<(i - 1)
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
            i += 1
            skipWhitespace()
            let start = i
            try skipValue(depth: depth)
            if let member { try member(key, start..<i) }
            skipWhitespace()
            guard i < bytes.count else { throw fail("unterminated object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return }
            throw fail("expected ',' or '}' in object")
        }
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var i = 0
    /// When set, the byte ranges of the top-level object's member values are recorded.
    var memberRanges: [String: Range<Int>]?

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) { self.bytes = bytes; self.maxDepth = maxDepth }

    func fail(_ message: String) -> JSONSyntaxError { JSONSyntaxError(column: i + 1, message: message) }

    mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard i < bytes.count else { throw fail(depth == 0 ? "empty line: expected a JSON object" : "unexpected end of line") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("unexpected character \(Self.describe(bytes[i]))")
        }
    }

    static func describe(_ b: UInt8) -> String {
        (0x21...0x7E).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16, uppercase: true))"
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw fail("invalid literal") }
        let w = UnsafeBufferPointer(start: word.utf8Start, count: n)
        for k in 0..<n where bytes[i + k] != w[k] { throw fail("invalid literal") }
        i += n
    }

    mutating func number() throws(JSONSyntaxError) -> String {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        func digits(_ p: inout JSONParser) -> Int {
            let s = p.i
            while p.i < p.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p.bytes[p.i]) { p.i += 1 }
            return p.i - s
        }
        guard i < bytes.count else { throw fail("unexpected end of number") }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else if digits(&self) == 0 { throw fail("invalid number") }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            if digits(&self) == 0 { throw fail("invalid number: digits expected after '.'") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            if digits(&self) == 0 { throw fail("invalid number: digits expected in exponent") }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
    }

    mutating func string() throws(JSONSyntaxError) -> String {
        i += 1 // opening quote
        let start = i
        // Fast path: no escapes.
        i = plainRunEnd(from: i)
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw fail("control character in a string (escape it as \\u00\(String(b, radix: 16)))") }
            i += 1
        }
        var out: [UInt8] = []
        i = start - 1
        try appendString(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads the string at `i` (its opening quote), appending its decoded text to `out`.
    mutating func appendString(to out: inout [UInt8]) throws(JSONSyntaxError) {
        i += 1 // opening quote
        let start = i
        i = plainRunEnd(from: i)
        while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\"), bytes[i] >= 0x20 { i += 1 }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; return }
            if b < 0x20 { throw fail("control character in a string (escape it as \\u00\(String(b, radix: 16)))") }
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            i += 1
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid surrogate pair in \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else { throw fail("unpaired surrogate in \\u escape") }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw fail("unpaired surrogate in \\u escape")
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                out.append(contentsOf: UTF8.encode(u)!)
            default: throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
            }
        }
        throw fail("unterminated string")
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - 55
            default: throw fail("invalid hex digit in \\u escape")
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        i += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth))
            skipWhitespace()
            guard i < bytes.count else { throw fail("unterminated array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw fail("expected ',' or ']' in array")
        }
    }

    mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
        i += 1
        var o = JSONObject()
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
        while true {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a quoted key in object") }
            let keyStart = i
            let key = try string()
            if o.keys.contains(key) {
                i = keyStart
                throw fail("duplicate key \"\(key)\"")
            }
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after key \"\(key)\"") }
            i += 1
            skipWhitespace()
            let valueStart = i
            o.appendUnchecked(key, try value(depth: depth))
            if depth == 1, memberRanges != nil { memberRanges?[key] = valueStart..<i }
            skipWhitespace()
            guard i < bytes.count else { throw fail("unterminated object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
            throw fail("expected ',' or '}' in object")
        }
    }
}

/// UTF-8 validation that says where the first bad byte is (RFC 3629: no overlongs, no
/// surrogates, nothing above U+10FFFF).
public enum UTF8Check {
    public static func firstInvalidOffset(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let p = b.baseAddress else { return nil }
        var i = 0
        let n = b.count
        let raw = UnsafeRawPointer(p)
        while i < n {
            // Eight ASCII bytes at a time.
            if i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            let c = p[i]
            if c < 0x80 { i += 1; continue }
            // Three-byte sequences whose lead allows any continuation (most CJK text) first.
            if c >= 0xE1 && c <= 0xEF && c != 0xED {
                guard i + 2 < n, p[i + 1] & 0xC0 == 0x80, p[i + 2] & 0xC0 == 0x80 else { return i }
                i += 3; continue
            }
            let need: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return i
            }
            guard i + need < n else { return i }
            let first = p[i + 1]
            if first < lo || first > hi { return i }
            var k = 2
            while k <= need {
                if p[i + k] & 0xC0 != 0x80 { return i }
                k += 1
            }
            i += need + 1
        }
        return nil
    }
}
