import ArgumentParser
import Foundation
import Domain
import Store

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure recjudge on synthetic data of realistic size.",
        subcommands: [BenchImport.self, BenchJudge.self, BenchFakeServer.self, BenchStats.self, BenchLabel.self, BenchExport.self])
}

struct BenchImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Generate N tag samples (30–300 behaviours and 50 tags per user), import them, report samples/s and peak memory.")

    @Argument(help: "How many samples.") var count: Int = 100_000
    @Option(help: "The rubric folder.") var rubrics: String = "rubrics"
    @Option(help: "Work folder (default: a new temporary folder, removed afterwards).") var dir: String?
    @Option(help: "Seed of the generator.") var seed: UInt64 = 42

    func run() throws {
        let folder = try BenchFolder(dir: dir, name: "bench", rubricFolder: rubrics, rubrics: ["interest", "tag", "explanation"])
        defer { folder.close() }
        let work = folder.path
        let file = folder.file("samples.jsonl")

        var t0 = Date()
        let bytes = try Synthetic.writeTagSamples(count: count, to: file, seed: seed)
        say(String(format: "generated %d samples (%.1f MB) in %.1f s", count, Double(bytes) / 1e6, Date().timeIntervalSince(t0)))
        let rssBefore = peakResidentMB()

        let (config, store) = try openSession(work)
        t0 = Date()
        let report = try Importer(store: store, session: config).importSamples(file: file)
        let secs = Date().timeIntervalSince(t0)
        say(String(format: "imported %d samples (%d user contexts) in %.2f s: %.0f samples/s; peak RSS %.0f MB (%.0f MB before importing)",
                    report.added, try store.contextCount(), secs, Double(report.added) / secs, peakResidentMB(), rssBefore))

        // Opening the store afresh and reading one sample with its context.
        let probe = "bu\(count / 100)-tag-07"
        var times: [Double] = []
        for _ in 0..<5 {
            let t = Date()
            let s = try Store(path: config.storePath)
            guard try s.sample(id: probe) != nil else { complain("probe sample \(probe) missing"); throw Exit.failure }
            times.append(Date().timeIntervalSince(t) * 1000)
        }
        say(String(format: "open store + read one sample with its context: median %.2f ms, max %.2f ms (5 runs)",
                    times.sorted()[2], times.max() ?? 0))
    }
}

/// Peak resident memory of this process so far, in MB.
func peakResidentMB() -> Double {
    var u = rusage()
    getrusage(__rusage_who_t(0), &u)  // RUSAGE_SELF
    return Double(u.ru_maxrss) / 1024
}

/// Synthetic RecGPT-shaped data for benchmarks, deterministic for a seed.
enum Synthetic {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
    }

    static let categories = ["母婴", "户外", "数码", "美妆", "宠物", "家装", "运动", "食品", "服饰", "图书"]
    static let items = ["婴儿遮阳帽", "儿童防晒衣", "轻量登山杖", "防水冲锋衣", "降噪蓝牙耳机", "机械键盘", "保湿精华液",
                        "猫咪冻干零食", "北欧风落地灯", "缓震跑步鞋", "有机燕麦片", "纯棉T恤", "儿童绘本"]
    static let types = ["purchase", "cart", "favorite", "click", "click", "click", "search"]
    static let interests = ["亲子育儿", "户外徒步", "数码发烧", "护肤美妆", "萌宠生活", "家居装修", "跑步健身"]
    static let modifiers = ["儿童", "轻量", "防水", "降噪", "有机", "加厚", "便携", "冰丝", "复古", "高腰"]
    static let cores = ["防晒衣", "登山鞋", "蓝牙耳机", "保温杯", "瑜伽垫", "猫砂盆", "收纳盒", "跑步鞋", "面霜", "绘本"]

    /// Writes `count` tag samples as user contexts with 50 outputs each; returns the bytes written.
    static func writeTagSamples(count: Int, to path: String, seed: UInt64) throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw InputError(file: path, line: nil, message: "cannot create")
        }
        defer { try? h.close() }
        var rng = SplitMix64(state: seed)
        var buf: [UInt8] = []
        buf.reserveCapacity(8 << 20)
        var written = 0
        let perUser = 50
        var made = 0
        var user = 0
        while made < count {
            let uid = "bu\(user)"
            var behaviors: [JSONValue] = []
            let n = Int.random(in: 30...300, using: &rng)
            for k in 0..<n {
                let type = types.randomElement(using: &rng)!
                var b = JSONObject()
                let month = 1 + k * 11 / max(n, 1), day = 1 + Int.random(in: 0..<28, using: &rng)
                b["time"] = .string("2025-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)")
                b["type"] = .string(type)
                if type == "search" {
                    b["query"] = .string(modifiers.randomElement(using: &rng)! + cores.randomElement(using: &rng)!)
                } else {
                    b["item"] = .string(modifiers.randomElement(using: &rng)! + items.randomElement(using: &rng)! + " \(Int.random(in: 1...999, using: &rng))款")
                    b["category"] = .string(categories.randomElement(using: &rng)!)
                }
                behaviors.append(.object(b))
            }
            let mine = (0..<3).map { _ in interests.randomElement(using: &rng)! }
            var u = JSONObject()
            u["id"] = .string(uid)
            u["profile"] = .object(JSONObject([("age", .number(String(Int.random(in: 18...60, using: &rng)))),
                                               ("gender", .string(Bool.random(using: &rng) ? "female" : "male")),
                                               ("city", .string(["杭州", "上海", "北京", "成都"].randomElement(using: &rng)!))]))
            u["behaviors"] = .array(behaviors)
            u["interests"] = .array(mine.map { .string($0) })
            var outputs: [JSONValue] = []
            for t in 0..<min(perUser, count - made) {
                let tag = modifiers.randomElement(using: &rng)! + modifiers.randomElement(using: &rng)! + cores.randomElement(using: &rng)!
                outputs.append(.object(JSONObject([
                    ("id", .string("\(uid)-tag-\(t < 10 ? "0" : "")\(t)")),
                    ("output", .object(JSONObject([("tag", .string(tag)), ("interest", .string(mine[t % 3])),
                                                   ("reason", .string("近期多次浏览相关商品并加购"))]))),
                ])))
            }
            made += outputs.count
            let line = JSONObject([("task", .string("tag")), ("user", .object(u)), ("outputs", .array(outputs)),
                                   ("generator", .object(JSONObject([("model", .string("qwen3-14b-sft")), ("round", .number("3"))])))])
            JSONValue.object(line).write(into: &buf, canonical: false)
            buf.append(0x0A)
            if buf.count > 4 << 20 { h.write(Data(buf)); written += buf.count; buf.removeAll(keepingCapacity: true) }
            user += 1
        }
        h.write(Data(buf)); written += buf.count
        return written
    }
}

/// A bench command's work folder with its session: the folder `--dir` names (kept, so a
/// later run can reuse its store) or a new temporary one (removed by `close()`).
struct BenchFolder {
    let path: String
    private let temporary: Bool

    private let name: String

    /// Creates the folder.
    init(dir: String?, name: String) throws {
        path = dir ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("recjudge-\(name)-\(getpid())")
        temporary = dir == nil
        self.name = name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Creates the folder and its session (see `writeSession`).
    init(dir: String?, name: String, rubricFolder: String, rubrics: [String], judges: String? = nil) throws {
        try self.init(dir: dir, name: name)
        try writeSession(rubricFolder: rubricFolder, rubrics: rubrics, judges: judges)
    }

    /// Unless the folder holds one already, writes a session.yaml naming `rubrics` (paths
    /// under the rubric folder) with `judges` (YAML lines under `judges:`; the default
    /// session's judges when nil).
    func writeSession(rubricFolder: String, rubrics: [String], judges: String? = nil) throws {
        let sessionFile = file(SessionConfig.fileName)
        guard !FileManager.default.fileExists(atPath: sessionFile) else { return }
        let paths = rubrics.map { URL(fileURLWithPath: rubricFolder).appendingPathComponent("\($0).yaml").standardizedFileURL.path }
        var yaml = SessionConfig.render(name: name, rubricPaths: paths)
        if let judges, let at = yaml.range(of: "judges:\n"), let end = yaml.range(of: "assignment:", range: at.upperBound..<yaml.endIndex) {
            yaml.replaceSubrange(at.upperBound..<end.lowerBound, with: judges)
        }
        try writeAtomically(Array(yaml.utf8), to: sessionFile)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Removes a temporary folder (a `--dir` folder stays).
    func close() { if temporary { try? FileManager.default.removeItem(atPath: path) } }

    /// The session and its store: a store holding `count` tag samples and some decisions is
    /// reused, an empty one is filled by `generate`, any other is refused.
    func openStore(count: Int, generate: (SessionConfig, Store) throws -> Void) throws -> (SessionConfig, Store) {
        let (config, store) = try openSession(path)
        if try store.sampleCount(task: "tag") == count, try store.decisionCount() > 0 {
            say("reusing the store in \(path): \(count) samples, \(try store.decisionCount()) decisions")
        } else if try store.sampleCount() == 0 {
            try generate(config, store)
        } else {
            complain("\(path) holds a store of another size; remove it or pick another --dir")
            throw Exit.badInput
        }
        return (config, store)
    }
}
