// Throwaway sessions for the agreement tests: real rubrics, a real store, and data brought
// in through the importer that `recjudge import` runs.
import Foundation
import TestSupport
import Testing
import Domain
import Store
@testable import Curation

enum Paths {
    /// The repository root (symlinks resolved, so a scratch package that links the tests still finds the clone).
    static let repoRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repoRoot.appendingPathComponent("Tests/CurationTests/Fixtures")
    /// Read-only public data sets beside the clone.
    static let sharedData = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }
}

/// A session folder in the temporary directory with its own store, removed when the
/// session is released.
final class TestSession {
    let folder: String
    let config: SessionConfig
    let store: Store

    /// `rubrics`: paths; `judges`: replay judges named in session.yaml.
    init(rubrics: [String], judges: [String] = []) throws {
        folder = try temporaryDirectory(prefix: "curation").path
        let yaml = """
        name: test
        rubrics:
        \(rubrics.map { "  - \($0)" }.joined(separator: "\n"))
        judges:
          - {name: rules, kind: rules}
        \(judges.map { "  - {name: \($0), kind: replay}" }.joined(separator: "\n"))

        """
        try yaml.write(toFile: folder + "/session.yaml", atomically: true, encoding: .utf8)
        config = try SessionConfig.load(folder: folder)
        store = try Store(path: config.storePath)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// The shipped tag rubric (relevance, consistency, specificity, validity) and interest rubric.
    static func tags(judges: [String] = ["ext"]) throws -> TestSession {
        try TestSession(rubrics: ["tag", "interest"].map { Paths.repoRoot.appendingPathComponent("rubrics/\($0).yaml").path },
                        judges: judges)
    }

    /// The pairwise test rubric.
    static func pairwise(judges: [String]) throws -> TestSession {
        try TestSession(rubrics: [Paths.fixture("pairwise.yaml")], judges: judges)
    }

    var importer: Importer { Importer(store: store, session: config) }

    func write(_ name: String, _ lines: [String]) throws -> String {
        let path = folder + "/" + name
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Tag samples t0…t(n−1).
    func addTagSamples(_ n: Int) throws {
        let lines = (0..<n).map { i in
            #"{"id": "t\#(i)", "task": "tag", "user": {"id": "u\#(i % 3)", "behaviors": [], "interests": ["跑步"]}, "output": {"tag": "轻量缓震跑步鞋\#(i)", "interest": "跑步"}}"#
        }
        _ = try importer.importSamples(file: try write("samples-\(UUID().uuidString).jsonl", lines))
    }

    /// Human decisions through `import --labels`: (sample, annotator, dimension, label, time?, role?).
    func importLabels(_ rows: [(String, String, String, String, Double?, String?)]) throws {
        let lines = rows.map { s, a, d, l, t, r in
            #"{"sample": "\#(s)", "annotator": "\#(a)", "dimension": "\#(d)", "label": "\#(l)""#
                + (t.map { #", "time": \#($0)"# } ?? "") + (r.map { #", "role": "\#($0)""# } ?? "") + "}"
        }
        _ = try importer.importLabels(file: try write("labels-\(UUID().uuidString).jsonl", lines))
    }

    /// A replay judge's verdicts through `import --verdicts`: (sample, dimension, label).
    func importVerdicts(_ judge: String, _ rows: [(String, String, String)]) throws {
        let lines = rows.map { s, d, l in #"{"sample": "\#(s)", "dimension": "\#(d)", "label": "\#(l)"}"# }
        _ = try importer.importVerdicts(file: try write("verdicts-\(UUID().uuidString).jsonl", lines), judge: judge)
    }

    /// The report with `configure`d options; 50 bootstrap resamples unless configured (a
    /// debug build is slow, and the tests check that intervals exist, not their precision).
    func report(_ configure: (inout AgreementOptions) -> Void = { _ in }) throws -> AgreementReport {
        var options = AgreementOptions()
        options.bootstrapReplicates = 50
        configure(&options)
        return try AgreementReport(store: store, session: config, options: options)
    }
}

extension AgreementReport {
    func task(_ name: String) throws -> TaskAgreement {
        try #require(tasks.first { $0.task == name }, "task \(name)")
    }
}

extension TaskAgreement {
    func dimension(_ name: String) throws -> DimensionAgreement {
        try #require(dimensions.first { $0.dimension == name && !$0.isAll }, "dimension \(name)")
    }
    var all: DimensionAgreement? { dimensions.first { $0.isAll } }
    func annotator(_ name: String) throws -> AnnotatorAgreement {
        try #require(annotators.first { $0.annotator == name }, "annotator \(name)")
    }
}

extension DimensionAgreement {
    func judge(_ name: String) throws -> JudgeAgreement {
        try #require(judges.first { $0.judge.judge == name }, "judge \(name)")
    }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}

/// |actual − expected| ≤ 1e-9, recording which figure failed.
func expectValue(_ figure: Figure, _ expected: Double, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard let value = figure.value else {
        Issue.record("\(what): undefined (\(figure.estimate)), expected \(expected)", sourceLocation: sourceLocation)
        return
    }
    #expect(abs(value - expected) <= 1e-9, "\(what): \(value) ≠ \(expected)", sourceLocation: sourceLocation)
}
