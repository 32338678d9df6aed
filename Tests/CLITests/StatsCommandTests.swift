import Testing
import Foundation
import TestSupport

/// `recjudge stats` driven end to end through the built binary: data brought in with
/// `recjudge import` (samples, `--labels`, `--verdicts`), figures read back as tables and JSON.
@Suite final class StatsCommandTests {
    let bin: String
    let dir: URL
    static let fixtures = repoRoot.appendingPathComponent("Tests/CurationTests/Fixtures")

    init() throws {
        bin = try builtProduct("recjudge").path
        dir = try temporaryDirectory(prefix: "cli-stats")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func recjudge(_ args: [String]) throws -> ProcessResult {
        try spawnProcess([bin] + args, env: ["LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"], currentDirectory: dir.path,
                         timeout: 300)
    }

    /// A session on the pairwise test rubric with the given replay judges.
    func session(_ name: String, judges: [String]) throws -> String {
        let folder = dir.appendingPathComponent(name).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let yaml = """
        name: \(name)
        rubrics:
          - \(Self.fixtures.appendingPathComponent("pairwise.yaml").path)
        judges:
        \(judges.map { "  - {name: \($0), kind: replay}" }.joined(separator: "\n"))

        """
        try yaml.write(toFile: folder + "/session.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    func importAll(_ session: String, set: String, labels: Bool = true, judges: [String]) throws {
        let fixture = { (name: String) in Self.fixtures.appendingPathComponent("\(set).\(name).jsonl").path }
        var runs = [["import", session, fixture("samples")]]
        if labels { runs.append(["import", session, fixture("labels"), "--labels"]) }
        for judge in judges { runs.append(["import", session, fixture("verdicts.\(judge)"), "--verdicts", judge]) }
        for args in runs {
            let r = try recjudge(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
    }

    func json(_ result: ProcessResult) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: result.standardOutput) as? [String: Any])
    }

    @Test func llmbarAccuracyEndToEndAsJSONAndTable() throws {
        let s = try session("natural", judges: ["gpt-4", "gpt-4-swap"])
        try importAll(s, set: "llmbar-natural", judges: ["gpt-4", "gpt-4-swap"])
        let root = try json(try recjudge(["stats", s, "--json", "--bootstrap", "20"]))
        #expect(root["schema"] as? String == "recjudge.stats/1")
        #expect(root["session"] as? String == "natural")
        let task = try #require((root["tasks"] as? [[String: Any]])?.first)
        #expect(task["task"] as? String == "pairwise" && task["samples"] as? Int == 100)
        let preference = try #require((task["dimensions"] as? [[String: Any]])?.first)
        #expect(preference["dimension"] as? String == "preference" && preference["items"] as? Int == 100)
        let judges = try #require(preference["judges"] as? [[String: Any]])
        #expect(judges.map { $0["judge"] as? String } == ["gpt-4", "gpt-4-swap"])
        // LLMBar Natural, GPT-4 Vanilla_NoRules: 92 / 100 without the swap, 95 / 100 with it (statistics.json).
        for (judge, expected) in zip(judges, [0.92, 0.95]) {
            let accuracy = try #require(judge["accuracy"] as? [String: Any])
            #expect(abs(try #require(accuracy["value"] as? Double) - expected) < 1e-12)
            #expect(accuracy["interval"] as? String == "wilson")
            #expect(judge["comparedItems"] as? Int == 100 && judge["referenceItems"] as? Int == 100)
            let confusion = try #require(judge["confusion"] as? [String: Any])
            #expect(confusion["labels"] as? [String] == ["pass", "fail"])
        }
        let annotator = try #require((task["annotators"] as? [[String: Any]])?.first)
        #expect(annotator["annotator"] as? String == "gold" && annotator["labels"] as? Int == 100)
        // Nobody else labelled: the annotator has no consensus to compare with, and says so.
        let agreement = try #require(annotator["consensusAgreement"] as? [String: Any])
        #expect(agreement["value"] is NSNull && agreement["undefined"] as? String == "noPairedItems")

        let table = try recjudge(["stats", s, "--bootstrap", "20"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("judge gpt-4 [replay]") && table.stdout.contains("judge gpt-4-swap [replay]"))
        #expect(table.stdout.contains("0.920") && table.stdout.contains("0.950"))
        #expect(table.stdout.contains("undefined"))  // one annotator: α, AC1 and the consensus comparison
    }

    @Test func pandalmKappaThroughTheBinary() throws {
        let s = try session("pandalm", judges: ["pandalm-7b"])
        try importAll(s, set: "pandalm", judges: ["pandalm-7b"])
        let root = try json(try recjudge(["stats", s, "--json", "--bootstrap", "0"]))
        let task = try #require((root["tasks"] as? [[String: Any]])?.first)
        let humans = try #require((task["dimensions"] as? [[String: Any]])?.first?["humans"] as? [String: Any])
        let pairs = try #require(humans["pairs"] as? [[String: Any]])
        let kappas = try pairs.map { pair -> Double in
            let kappa = try #require(pair["cohensKappa"] as? [String: Any])
            return (try #require(kappa["value"] as? Double) * 10_000).rounded() / 10_000
        }
        #expect(kappas == [0.8520, 0.8789, 0.8617])
        let alpha = try #require(humans["krippendorffsAlpha"] as? [String: Any])
        #expect((try #require(alpha["value"] as? Double) * 10_000).rounded() / 10_000 == 0.8642)
        #expect(alpha["interval"] is NSNull)  // --bootstrap 0
    }

    @Test func groupsByWeekAndJudgeVersion() throws {
        let s = try session("weeks", judges: ["gpt-4"])
        try importAll(s, set: "llmbar-natural", labels: false, judges: ["gpt-4"])
        // An annotator working in two ISO weeks: 2025-06-18 (W25) and 2025-06-24 (W26).
        let lines = (0..<10).map { i in
            #"{"sample": "llmbar-natural-\#(i)", "annotator": "ann", "dimension": "preference", "label": "first", "time": "2025-06-\#(i < 4 ? "18" : "24")T10:00:00Z"}"#
        }
        let file = dir.appendingPathComponent("weeks.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try recjudge(["import", s, file, "--labels"]).status == 0)

        let weekly = try json(try recjudge(["stats", s, "--json", "--by", "week", "--bootstrap", "0"]))
        let task = try #require((weekly["tasks"] as? [[String: Any]])?.first)
        let groups = try #require(task["groups"] as? [[String: Any]])
        #expect(groups.compactMap { $0["key"] as? String } == ["2025-W25", "2025-W26"])
        #expect(groups.compactMap { $0["detail"] as? String } == ["2025-06-16", "2025-06-23"])
        let items = groups.map { (($0["dimensions"] as? [[String: Any]])?.first?["items"] as? Int) }
        #expect(items == [4, 6])

        let byVersion = try recjudge(["stats", s, "--by", "judge-version", "--bootstrap", "0"])
        #expect(byVersion.status == 0, "\(byVersion.stderr)")
        #expect(byVersion.stdout.contains("by judge version (each on the items it judged)"))
        let week = try recjudge(["stats", s, "--by", "week", "--bootstrap", "0"])
        #expect(week.stdout.contains("by week of the latest human decision (UTC)") && week.stdout.contains("2025-W26"))
    }

    @Test func refusalsNameWhatToTypeInstead() throws {
        let s = try session("refusals", judges: ["gpt-4"])
        let unknownTask = try recjudge(["stats", s, "--task", "nope"])
        #expect(unknownTask.status == 65)
        #expect(unknownTask.stderr.contains("no task 'nope' in this session (tasks: pairwise)"))
        let unknownJudge = try recjudge(["stats", s, "--judge", "nobody"])
        #expect(unknownJudge.status == 65 && unknownJudge.stderr.contains("no judge 'nobody'"))
        let badBy = try recjudge(["stats", s, "--by", "month"])
        #expect(badBy.status == 64 && badBy.stderr.contains("--by takes judge-version or week"))
        let noSession = try recjudge(["stats"])
        #expect(noSession.status == 64)
        // An empty session reports, it does not fail.
        let empty = try recjudge(["stats", s])
        #expect(empty.status == 0 && empty.stdout.contains("no human labels yet"))
        let schema = try recjudge(["stats", "--schema"])
        #expect(schema.status == 0 && schema.stdout.contains("recjudge.stats/1") && schema.stdout.contains("FIGURE"))
    }

    @Test func escapeSequencesInNamesNeverReachTheTerminal() throws {
        let s = try session("hostile", judges: ["gpt-4"])
        try importAll(s, set: "llmbar-natural", judges: [])
        let line = #"{"sample": "llmbar-natural-0", "annotator": "\u001b]0;pwned\u0007\u001b[2Jeve", "dimension": "preference", "label": "first"}"#
        let file = dir.appendingPathComponent("hostile.jsonl").path
        try (line + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try recjudge(["import", s, file, "--labels"]).status == 0)
        for args in [["stats", s, "--bootstrap", "0"], ["stats", s, "--json", "--bootstrap", "0"]] {
            let r = try recjudge(args)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(!r.standardOutput.contains(0x1B) && !r.standardOutput.contains(0x07), "\(args)")
            #expect(r.stdout.contains("eve"))
        }
    }
}
