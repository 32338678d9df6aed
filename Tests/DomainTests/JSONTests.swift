import Testing
@testable import Domain

@Suite struct JSONParserTests {
    func parse(_ bytes: [UInt8]) -> Result<JSONValue, JSONSyntaxError> {
        bytes.withUnsafeBufferPointer { b in
            do throws(JSONSyntaxError) { return .success(try JSONParser.parse(b)) } catch { return .failure(error) }
        }
    }

    @Test func readsNestedValuesAndKeepsNumberText() throws {
        let v = try JSONParser.parse(#"{"a": [1, 2.50, -3e2, true, null], "b": {"c": "户外\n\u00e9\ud83d\ude00"}}"#)
        #expect(v[path: "b.c"]?.string == "户外\né😀")
        #expect(v.object?["a"]?.array?[1] == .number("2.50"))
        #expect(v.serialized() == #"{"a":[1,2.50,-3e2,true,null],"b":{"c":"户外\n\#u{e9}😀"}}"#)
    }

    @Test func canonicalFormSortsKeys() throws {
        let a = try JSONParser.parse(#"{"b": 1, "a": {"y": 2, "x": 3}}"#)
        let b = try JSONParser.parse(#"{"a": {"x": 3, "y": 2}, "b": 1}"#)
        #expect(a.serialized(canonical: true) == b.serialized(canonical: true))
        #expect(a.serialized(canonical: true) == #"{"a":{"x":3,"y":2},"b":1}"#)
    }

    @Test func escapesControlCharactersWhenWriting() throws {
        let v = JSONValue.string("a\u{1B}[2J\u{7}")
        let text = v.serialized()
        #expect(text == #""a\u001b[2J\u0007""#)
        #expect(try JSONParser.parse(text) == v)
    }

    @Test(arguments: [
        ("{\"a\": 1,}", "expected a quoted key"),
        ("{\"a\": 1, \"a\": 2}", "duplicate key \"a\""),
        ("[1, 2", "unterminated array"),
        ("\"abc", "unterminated string"),
        ("{\"a\": 01}", "expected ',' or '}'"),
        ("\"\\ud800\"", "unpaired surrogate"),
        ("{} {}", "after the JSON value"),
        ("", "empty line"),
        ("nul", "invalid literal"),
        ("\"tab\there\"", "control character"),
    ])
    func refusesMalformedJSON(text: String, message: String) {
        guard case .failure(let e) = parse(Array(text.utf8)) else { Issue.record("accepted \(text)"); return }
        #expect(e.message.contains(message), "\(e)")
    }

    /// The members `forEachMember` hands over: each key as written, and its value's range.
    func members(_ text: String) -> Result<[(key: String, value: Range<Int>)], JSONSyntaxError> {
        Array(text.utf8).withUnsafeBufferPointer { b in
            var out: [(key: String, value: Range<Int>)] = []
            do throws(JSONSyntaxError) {
                try JSONParser.forEachMember(b) { key, value in out.append((String(decoding: b[key], as: UTF8.self), value)) }
                return .success(out)
            } catch { return .failure(error) }
        }
    }

    @Test func membersGivesEachKeyAndTheBytesOfItsValue() throws {
        let text = #"{"a": [1, {"x": "\u00e9"}], "b\n": "户外", "c": null, "d": {"e": [[]]}}"#
        let m = try members(text).get()
        #expect(m.map(\.key) == ["a", #"b\n"#, "c", "d"], "keys as written")
        let bytes = Array(text.utf8)
        let values = m.map { String(decoding: bytes[$0.value], as: UTF8.self) }
        #expect(values == [#"[1, {"x": "\u00e9"}]"#, #""户外""#, "null", #"{"e": [[]]}"#])
        // Each value's bytes parse to what the whole parse gives for that member.
        let whole = try JSONParser.parse(text)
        for ((_, range), key) in zip(m, ["a", "b\n", "c", "d"]) {
            #expect(try JSONParser.parse(String(decoding: bytes[range], as: UTF8.self)) == whole.object?[key])
        }
    }

    /// An array of objects read in one pass: each object element's own members (not those of
    /// objects nested in them), then the element; other elements are only handed over.
    @Test func forEachElementHandsTheMembersOfObjectElementsFirst() throws {
        let text = #"[{"a": 1, "b": {"c": [2]}}, "x", [{"d": 3}], {}, {"e\"": "户外"}]"#
        let bytes = Array(text.utf8)
        var events: [String] = []
        try bytes.withUnsafeBufferPointer { b throws(JSONSyntaxError) in
            try JSONParser.forEachElement(b, member: { key, value in
                events.append("\(String(decoding: b[key], as: UTF8.self))=\(String(decoding: b[value], as: UTF8.self))")
            }, element: { value in
                events.append("[\(String(decoding: b[value], as: UTF8.self))]")
            })
        }
        #expect(events == [#"a=1"#, #"b={"c": [2]}"#, #"[{"a": 1, "b": {"c": [2]}}]"#, #"["x"]"#, #"[[{"d": 3}]]"#, "[{}]",
                           #"e\"="户外""#, #"[{"e\"": "户外"}]"#])
        for bad in [#"[{"a": 1,}]"#, #"[{"a": tru}]"#, #"[{"a" 1}]"#, #"[{}, ]"#, #"[{"a": "\q"}]"#] {
            let refused = Array(bad.utf8).withUnsafeBufferPointer { b -> Bool in
                do throws(JSONSyntaxError) { try JSONParser.forEachElement(b, member: { _, _ in }, element: { _ in }); return false } catch { return true }
            }
            #expect(refused, "\(bad)")
        }
    }

    /// What `parse` refuses but for duplicate keys (which `forEachMember` does not look for).
    @Test(arguments: [
        ("[1, 2]", "expected a JSON object"),
        ("{\"a\": [1, 2}", "expected ',' or ']'"),
        ("{\"a\": \"x\\q\"}", "invalid escape"),
        ("{\"a\": {\"b\": tru}}", "invalid literal"),
        ("{\"a\": \"abc}", "unterminated string"),
        ("{\"a\": 1} x", "after the JSON value"),
        (String(repeating: "{\"a\":", count: 70) + "1" + String(repeating: "}", count: 70), "nesting deeper"),
    ])
    func membersRefusesWhatParseRefuses(text: String, message: String) {
        guard case .failure(let e) = members(text) else { Issue.record("accepted \(text)"); return }
        #expect(e.message.contains(message), "\(e)")
    }

    /// Strings are stepped over eight bytes at a time: a quote, an escape or a control character
    /// at any position of a run is still found, by every reading (value, members, appendString).
    @Test func everyPositionInAStringIsRead() throws {
        for offset in 0..<20 {
            let head = String(repeating: "户", count: offset / 3) + String(repeating: "x", count: offset % 3)
            let tail = String(repeating: "y", count: 20 - offset)
            for (escaped, decoded) in [(#"\""#, "\""), (#"\\"#, "\\"), (#"\n"#, "\n"), (#"\u00e9"#, "é")] {
                let text = #"{"k": ""# + head + escaped + tail + #"", "z": 1}"#
                #expect(try JSONParser.parse(text) == .object(JSONObject([("k", .string(head + decoded + tail)), ("z", .number("1"))])))
                let bytes = Array(text.utf8)
                let m = try members(text).get()
                #expect(m.map(\.key) == ["k", "z"], "\(text)")
                var out: [UInt8] = []
                try bytes.withUnsafeBufferPointer { b throws(JSONSyntaxError) in
                    try JSONParser.appendString(UnsafeBufferPointer(rebasing: b[m[0].value]), to: &out)
                }
                #expect(String(decoding: out, as: UTF8.self) == head + decoded + tail)
            }
            let bad = Array(#"{"k": ""#.utf8) + Array(head.utf8) + [0x01] + Array((tail + #""}"#).utf8)
            guard case .failure(let e) = parse(bad) else { Issue.record("accepted a control character at \(offset)"); continue }
            #expect(e.message.contains("control character") && e.column == 8 + head.utf8.count, "\(e)")
            let skipped = bad.withUnsafeBufferPointer { b -> JSONSyntaxError? in
                do throws(JSONSyntaxError) { try JSONParser.forEachMember(b) { _, _ in }; return nil } catch { return error }
            }
            #expect(skipped?.message.contains("control character") == true, "members at \(offset)")
        }
    }

    @Test func refusesInvalidUTF8WithItsColumn() {
        let bytes: [UInt8] = Array("{\"a\": \"".utf8) + [0xE6, 0x88] + Array("\"}".utf8)
        guard case .failure(let e) = parse(bytes) else { Issue.record("accepted invalid UTF-8"); return }
        #expect(e.message.contains("invalid UTF-8"))
        #expect(e.column == 8)
    }

    /// ASCII is checked eight bytes at a time: a bad byte at any position is still found there.
    @Test func aBadByteIsFoundAtEveryPosition() {
        for at in 0..<40 {
            for bad: [UInt8] in [[0xFF], [0xE6, 0x88], [0xC0, 0xAF]] {
                let bytes = Array(String(repeating: "a", count: at).utf8) + bad + Array("户外 and more ascii text".utf8)
                #expect(bytes.withUnsafeBufferPointer { UTF8Check.firstInvalidOffset($0) } == at, "\(bad) at \(at)")
            }
            let good = Array(String(repeating: "a", count: at).utf8) + Array("户外😀".utf8) + Array(String(repeating: "b", count: at).utf8)
            #expect(good.withUnsafeBufferPointer { UTF8Check.firstInvalidOffset($0) } == nil)
        }
    }

    @Test func refusesOverlongAndSurrogateEncodings() {
        // Three-byte sequences cut short at the end, or with a bad last byte, whatever the lead.
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF],
                             [0xE6, 0x88], [0xE6], [0xEF, 0xBF, 0x41], [0xE1, 0xC0, 0x80], [0xE0, 0x9F, 0x80]] {
            let r = bad.withUnsafeBufferPointer { UTF8Check.firstInvalidOffset($0) }
            #expect(r == 0, "\(bad)")
        }
        let ok = Array("户外 😀 é".utf8) + [0xEF, 0xBF, 0xBF, 0xE1, 0x80, 0x80, 0xED, 0x9F, 0xBF]
        #expect(ok.withUnsafeBufferPointer { UTF8Check.firstInvalidOffset($0) } == nil)
    }

    @Test func deepNestingIsRefusedWithoutExhaustingTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        guard case .failure(let e) = parse(Array(deep.utf8)) else { Issue.record("accepted"); return }
        #expect(e.message.contains("nesting deeper than 64"))
        let ok = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect((try? JSONParser.parse(ok)) != nil)
    }

    @Test func randomBytesNeverCrash() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let n = Int.random(in: 0..<40, using: &rng)
            let alphabet: [UInt8] = Array("{}[]\",:0123456789.eE-+tfnul\\ ab".utf8) + [0xE6, 0x88, 0xB7, 0xFF, 0x00, 0x1B]
            let bytes = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
            _ = parse(bytes)
        }
    }
}

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func incrementalEqualsOneShot() {
        var s = SHA256()
        s.update("户外防水"); s.update(Array("登山鞋".utf8))
        #expect(s.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() == SHA256.hex("户外防水登山鞋"))
    }
}

@Suite struct ContentHashTests {
    /// Reference digests from the canonical MurmurHash3_x64_128 (seed 0; Python mmh3 5.x,
    /// `hash128(s, 0, True, signed=False).to_bytes(16, "little").hex()`).
    @Test func matchesMurmurHash3() {
        #expect(ContentHash.hex("") == "00000000000000000000000000000000")
        #expect(ContentHash.hex("hello") == "029bbd41b3a7d8cb191dae486a901e5b")
        #expect(ContentHash.hex("The quick brown fox jumps over the lazy dog") == "6c1b07bc7bbc4be347939ac4a93c437a")
    }

    @Test func incrementalEqualsOneShot() {
        let text = String(repeating: "户外防水登山鞋 trail shoes ", count: 37)
        var h = ContentHash()
        let bytes = Array(text.utf8)
        for chunk in stride(from: 0, to: bytes.count, by: 7) { h.update(Array(bytes[chunk..<min(chunk + 7, bytes.count)])) }
        #expect(h.finalize() == ContentHash.hex(text))
    }
}

/// The one JSON string escaper against a byte-by-byte reading of RFC 8259.
@Suite struct JSONEscapeTests {
    /// The specification, one byte at a time.
    static func reference(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0..<0x20, 0x7F: out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    @Test func escapesExactlyAsTheSpecificationReadsAndParsesBack() throws {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["a", "跑鞋", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "🙂", " ", "/", "abcdefgh"]
        var cases = ["", "plain ascii text of some length", "引号\"在中间\"", String(repeating: "x", count: 17) + "\n"]
        for _ in 0..<300 {
            cases.append((0..<Int.random(in: 0...40, using: &rng)).map { _ in pieces.randomElement(using: &rng) ?? "" }.joined())
        }
        // Long texts go through the escaper in 1 KiB pieces: escapes and wide characters on
        // and around the seams.
        for seam in 1020...1030 { cases.append(String(repeating: "x", count: seam) + "户\"\n\u{1}" + String(repeating: "y", count: 1030)) }
        cases.append(String(repeating: "户外\"\n", count: 700))
        for _ in 0..<20 {
            cases.append((0..<Int.random(in: 300...900, using: &rng)).map { _ in pieces.randomElement(using: &rng) ?? "" }.joined())
        }
        for text in cases {
            var out: [UInt8] = []
            JSONEscape.append(text, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == Self.reference(text))
            #expect(String(decoding: out, as: UTF8.self) == JSONValue.string(text).serialized())
            #expect(try JSONParser.parse(String(decoding: out, as: UTF8.self)) == .string(text))
        }
    }
}
