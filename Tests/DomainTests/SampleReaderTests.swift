import Testing
import Foundation
@testable import Domain

@Suite struct SampleReaderTests {
    let reader: SampleReader
    init() throws {
        reader = SampleReader(rubrics: try ["interest", "tag", "explanation"].map { try Rubric.load(path: rubricPath($0)) })
    }

    static let good = #"{"id": "u1029-tag-07", "task": "tag", "user": {"id": "u1029", "profile": {"age": 30, "city": "杭州"}, "behaviors": [{"time": "2025-06-18", "type": "purchase", "item": "婴儿遮阳帽", "category": "母婴"}, {"time": "2025-06-19", "type": "search", "query": "儿童防晒衣"}], "interests": ["亲子育儿"]}, "output": {"tag": "儿童防紫外线冰丝防晒衣", "interest": "亲子育儿", "reason": "近期购买遮阳帽"}, "generator": {"model": "qwen3-14b-sft", "round": 3}, "batch": "b7"}"#

    func field(_ text: String) -> SampleReader.FieldError? {
        do throws(SampleReader.FieldError) { _ = try reader.samples(from: try! JSONParser.parse(text)); return nil } catch { return error }
    }

    @Test func readsASampleAndKeepsUnknownFields() throws {
        let s = try reader.samples(from: try JSONParser.parse(Self.good))
        #expect(s.count == 1)
        #expect(s[0].id == "u1029-tag-07" && s[0].task == "tag" && s[0].userID == "u1029")
        #expect(s[0].output("tag") == "儿童防紫外线冰丝防晒衣")
        #expect(s[0].generatorRound == 3)
        #expect(s[0].extra["batch"] == .string("b7"))
        #expect(s[0].behaviors.map(\.type) == ["purchase", "search"])
        #expect(s[0].interests == ["亲子育儿"])
    }

    @Test func readsAContextWithManyOutputs() throws {
        let line = #"{"task": "tag", "user": {"id": "u1"}, "outputs": [{"id": "a", "output": {"tag": "轻量缓震跑步鞋"}}, {"output": {"tag": "儿童绘本"}}]}"#
        let s = try reader.samples(from: try JSONParser.parse(line))
        #expect(s.map(\.task) == ["tag", "tag"])
        #expect(s[0].id == "a")
        #expect(s[1].id.hasPrefix("u1-tag-"))
        // Derived ids are stable.
        #expect(try reader.samples(from: try JSONParser.parse(line))[1].id == s[1].id)
        #expect(s[0].contextJSON == s[1].contextJSON)
    }

    @Test(arguments: [
        (#""output": {"tag": "儿童防紫外线冰丝防晒衣""#, #""output": {"tag": 42"#, "output.tag", "expected a string, found a number"),
        (#""task": "tag""#, #""task": "tags""#, "task", "unknown task 'tags'"),
        (#""id": "u1029", "profile""#, #""id": 1029, "profile""#, "user.id", "expected a string"),
        (#"{"time": "2025-06-19", "type": "search""#, #"{"type": "search""#, "user.behaviors[1].time", "missing"),
        (#""interests": ["亲子育儿"]"#, #""interests": "亲子育儿""#, "user.interests", "expected an array"),
        (#""round": 3"#, #""round": "three""#, "generator.round", "whole number"),
        (#""tag": "儿童防紫外线冰丝防晒衣""#, #""tag": "  ""#, "output.tag", "empty"),
    ])
    func badFieldsAreNamed(find: String, replace: String, field: String, message: String) throws {
        let e = try #require(self.field(Self.good.replacingOccurrences(of: find, with: replace)))
        #expect(e.field == field)
        #expect(e.message.contains(message), "\(e.message)")
    }

    @Test func explanationsNeedAnItem() throws {
        let line = #"{"id": "e1", "task": "explanation", "user": {"id": "u"}, "output": {"explanation": "Great read"}}"#
        let e = try #require(field(line))
        #expect(e.field == "item")
    }

    @Test func outputsEntriesAreLocated() throws {
        let line = #"{"task": "tag", "user": {"id": "u1"}, "outputs": [{"output": {"tag": "a"}}, {"output": {}}]}"#
        let e = try #require(field(line))
        #expect(e.field == "outputs[1].output.tag")
    }
}

@Suite struct JSONLinesReaderTests {
    func lines(_ bytes: [UInt8], max: Int = JSONLinesReader.maxLineBytes) throws -> ([String], [String]) {
        let dir = tempDir()
        let path = dir + "/f.jsonl"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var r = JSONLinesReader(path: path, maxLineBytes: max)
        var out: [String] = []
        try r.forEachLine { n, line in
            switch line {
            case .text(let b): out.append("\(n):" + String(decoding: b, as: UTF8.self))
            case .tooLong(let k): out.append("\(n):too long \(k)")
            }
        }
        return (out, r.notes)
    }

    @Test func bomAndCRLFAreReadAndNoted() throws {
        let (l, notes) = try lines([0xEF, 0xBB, 0xBF] + Array("{\"a\":1}\r\n\r\n{\"b\":2}\r\n".utf8))
        #expect(l == ["1:{\"a\":1}", "3:{\"b\":2}"])
        #expect(notes.contains { $0.contains("byte-order mark") })
        #expect(notes.contains { $0.contains("CRLF") })
    }

    @Test func overlongLinesAreSkippedAndCounted() throws {
        let (l, _) = try lines(Array("ok\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 100) + Array("\nlast".utf8), max: 50)
        #expect(l == ["1:ok", "2:too long 100", "3:last"])
    }

    @Test func aMultiMegabyteLineIsRead() throws {
        let big = "{\"s\": \"" + String(repeating: "户", count: 2_000_000) + "\"}"
        let (l, _) = try lines(Array(big.utf8))
        #expect(l.count == 1 && l[0].utf8.count == big.utf8.count + 2)
    }
}
