// Per-annotator counts and time per item; `--by week` and `--by judge-version`; the decision
// log's latest-row semantics.
import Foundation
import Testing
import Store
@testable import Curation

@Suite("Annotators, groups and the decision log")
struct AnnotatorAndGroupTests {
    static let monday = 1_750_636_800.0  // 2025-06-23 00:00 UTC, a Monday (ISO week 26)

    @Test("counts, actions and time per item come from the decision log")
    func annotatorCountsAndTime() throws {
        let s = try TestSession.tags()
        try s.addTagSamples(7)
        let pks = try (0..<7).map { try #require(try s.store.sample(id: "t\($0)")).pk }
        let t = Self.monday + 9 * 3600
        func label(_ i: Int, _ label: String?, _ action: DecisionAction, at offset: Double) -> DecisionInput {
            DecisionInput(samplePK: pks[i], dimension: "relevance", annotator: "alice", label: label, action: action,
                          rubricVersion: 1, time: t + offset)
        }
        try s.store.record([
            label(0, "yes", .accept, at: 0), label(1, "yes", .accept, at: 30), label(2, "weak_relevance", .override, at: 60),
            label(3, "yes", .label, at: 90),
            label(4, "yes", .accept, at: 7290),  // after a two-hour break: not timed
            label(5, "yes", .accept, at: 7330),
            label(0, "weak_relevance", .override, at: 5),  // changed her mind on t0
            label(6, "yes", .accept, at: 7400), label(6, nil, .undo, at: 7401),  // and withdrew t6
        ])
        let alice = try s.report().task("tag").annotator("alice")
        #expect(alice.items == 6 && alice.labels == 6 && alice.decisions == 9)
        #expect(alice.actions == ["accept": 3, "override": 2, "label": 1])
        // Finishing times 5, 30, 60, 90, 7290, 7330: gaps 25, 30, 30, (7200 is a break), 40.
        #expect(alice.timedItems == 4)
        #expect(alice.medianSecondsPerItem == 30)
        #expect(alice.meanSecondsPerItem == 31.25)
        // The latest row counts: t0 is weak_relevance now, t6 has no label.
        let relevance = try s.report().task("tag").dimension("relevance")
        #expect(relevance.labels.map(\.ratings) == [4, 2])
        #expect(relevance.items == 6)
    }

    @Test("--annotator keeps one row in the annotator table and refuses an unknown name")
    func annotatorFilter() throws {
        let s = try JudgeFiguresTests.tenSamples()
        try s.importLabels([("t1", "bob", "relevance", "yes", nil, nil)])
        let report = try s.report { $0.annotator = "bob" }
        #expect(try report.task("tag").annotators.map(\.annotator) == ["bob"])
        // The consensus still uses everyone.
        #expect(try report.task("tag").dimension("relevance").consensusItems == 10)
        #expect(throws: AgreementError.unknownAnnotator("carol", known: ["alice", "bob"])) {
            try s.report { $0.annotator = "carol" }
        }
    }

    @Test("--by week splits items by the week of their latest human decision")
    func byWeek() throws {
        let s = try TestSession.tags()
        try s.addTagSamples(5)
        let wednesday25 = Self.monday - 5 * 86_400 + 3600   // 2025-06-18, week 25
        let tuesday26 = Self.monday + 86_400 + 3600          // 2025-06-24, week 26
        try s.importLabels([
            ("t0", "alice", "relevance", "yes", wednesday25, nil), ("t1", "alice", "relevance", "yes", wednesday25 + 60, nil),
            ("t2", "alice", "relevance", "weak_relevance", tuesday26, nil), ("t3", "alice", "relevance", "yes", tuesday26, nil),
            ("t4", "alice", "relevance", "yes", tuesday26, nil),
            // t1 was labelled again in week 26 by bob: it belongs to week 26 now.
            ("t1", "bob", "relevance", "yes", tuesday26 + 60, nil),
        ])
        try s.importVerdicts("ext", (0..<5).map { ("t\($0)", "relevance", "yes") })
        let task = try s.report { $0.grouping = .week }.task("tag")
        #expect(task.groups.map(\.key) == ["2025-W25", "2025-W26"])
        #expect(task.groups.map(\.detail) == ["2025-06-16", "2025-06-23"])
        #expect(task.groups.allSatisfy { $0.grouping == .week })
        let w25 = try #require(task.groups.first?.dimensions.first { $0.dimension == "relevance" })
        let w26 = try #require(task.groups.last?.dimensions.first { $0.dimension == "relevance" })
        #expect(w25.items == 1 && w26.items == 4)
        expectValue(try w26.judge("ext").accuracy, 0.75, "week 26 accuracy")
        expectValue(try w25.judge("ext").accuracy, 1, "week 25 accuracy")
        // Without --by there are no groups.
        #expect(try s.report().task("tag").groups.isEmpty)
    }

    @Test("ISO weeks: year boundaries and week 53")
    func isoWeeks() {
        var weeks = ISOWeeks()
        #expect(weeks.week(of: 0).key == "1970-W01" && weeks.week(of: 0).monday == "1969-12-29")
        #expect(weeks.week(of: 1_735_560_000).key == "2025-W01")    // 2024-12-30 12:00, a Monday
        #expect(weeks.week(of: 1_609_675_200).key == "2020-W53")    // 2021-01-03 12:00, a Sunday
        #expect(weeks.week(of: 1_609_761_600).key == "2021-W01")    // 2021-01-04, a Monday
        #expect(weeks.week(of: Self.monday + 86_399).key == "2025-W26")
        #expect(ISOWeeks.civil(ISOWeeks.days(year: 2024, month: 2, day: 29)) == (2024, 2, 29))
    }

    @Test("--by judge-version compares versions, each on the items it judged")
    func byJudgeVersion() throws {
        let s = try TestSession.tags(judges: ["v1", "v2"])
        try s.addTagSamples(10)
        try s.importLabels((0..<10).map { ("t\($0)", "alice", "relevance", $0 % 2 == 0 ? "yes" : "weak_relevance", nil, nil) })
        // v1 (t0–t5) always says yes; v2 (t4–t9) is always right.
        try s.importVerdicts("v1", (0..<6).map { ("t\($0)", "relevance", "yes") })
        try s.importVerdicts("v2", (4..<10).map { ("t\($0)", "relevance", $0 % 2 == 0 ? "yes" : "weak_relevance") })
        let task = try s.report { $0.grouping = .judgeVersion }.task("tag")
        #expect(task.groups.map(\.detail) == ["v1", "v2"])
        let versions = try #require(task.dimensions.first).judges.map(\.judge.version)
        #expect(task.groups.map(\.key) == versions)
        for (group, accuracy) in zip(task.groups, [0.5, 1.0]) {
            let relevance = try #require(group.dimensions.first { $0.dimension == "relevance" })
            #expect(relevance.items == 6)
            #expect(relevance.judges.count == 1 && relevance.judges[0].judge.judge == group.detail)
            expectValue(relevance.judges[0].accuracy, accuracy, "\(group.detail) accuracy")
        }
        // --judge keeps one judge's versions only; an unknown judge is refused.
        #expect(try s.report { $0.judge = "v2" }.task("tag").dimension("relevance").judges.map(\.judge.judge) == ["v2"])
        #expect(throws: AgreementError.self) { try s.report { $0.judge = "nobody" } }
    }

    @Test("labels the rubric no longer knows are counted and left out")
    func ignoredLabels() throws {
        let s = try TestSession.tags()
        try s.addTagSamples(2)
        let pk = try #require(try s.store.sample(id: "t0")).pk
        try s.store.record([
            DecisionInput(samplePK: pk, dimension: "old_dimension", annotator: "alice", label: "yes", action: .label, rubricVersion: 1),
            DecisionInput(samplePK: pk, dimension: "relevance", annotator: "alice", label: "renamed", action: .label, rubricVersion: 1),
            DecisionInput(samplePK: pk, dimension: "validity", annotator: "alice", label: "yes", action: .label, rubricVersion: 1),
        ])
        let task = try s.report().task("tag")
        #expect(task.ignoredLabels == 2)
        #expect(try task.dimension("validity").items == 1 && task.dimension("relevance").items == 0)
    }

    @Test("an empty store gives a report of undefined figures, not a crash")
    func emptyStore() throws {
        let s = try TestSession.tags()
        let report = try s.report { $0.grouping = .week }
        let task = try report.task("tag")
        #expect(task.samples == 0 && task.annotators.isEmpty && task.groups.isEmpty)
        #expect(task.dimensions.count == 5)
        #expect(task.dimensions.allSatisfy { $0.items == 0 && $0.passRate.value == nil })
        #expect(report.text().joined(separator: "\n").contains("no human labels yet"))
        #expect(throws: AgreementError.unknownTask("nope", known: ["tag", "interest"])) { try s.report { $0.task = "nope" } }
    }
}

@Suite("Human consensus")
struct HumanConsensusTests {
    @Test("the most votes win when no other label has as many and the share is enough")
    func rule() {
        let rule = HumanConsensus()
        #expect(rule.outcome(votes: [0])?.source == .single)
        #expect(rule.outcome(votes: [1, 1])?.source == .unanimous)
        #expect(rule.outcome(votes: [0, 1]) == nil)                        // a tie
        #expect(rule.outcome(votes: [2, 2, 0])?.label == 2)
        #expect(rule.outcome(votes: [2, 2, 0])?.source == .majority)
        #expect(rule.outcome(votes: [0, 1, 2]) == nil)
        #expect(rule.outcome(votes: [-1, -1]) == nil)                      // nothing to count
        #expect(rule.outcome(votes: [0, 1], adjudication: 1)?.source == .adjudicated)
        let strict = HumanConsensus(minimumAgreement: 1)
        #expect(strict.outcome(votes: [2, 2, 0]) == nil)
        #expect(HumanConsensus(minimumAgreement: 0.75).outcome(votes: [1, 1, 1, 0])?.label == 1)
        #expect(HumanConsensus(minimumAnnotators: 2).outcome(votes: [1]) == nil)
        #expect(HumanConsensus(adjudicationDecides: false).outcome(votes: [0, 0], adjudication: 1)?.label == 0)
        #expect(rule.outcome(labels: ["yes", "no", "yes"])?.label == "yes")
        #expect(rule.outcome(labels: [nil, "no"], adjudication: "yes")?.label == "yes")
    }

    /// The rule spelled out with a dictionary, for random votes: up to 12 annotators over up to
    /// 11 labels (more distinct labels than the counting buffer holds), missing votes, ties.
    @Test("counting agrees with a plain count on random votes, many labels included")
    func countingAgreesWithAPlainCount() {
        func reference(_ rule: HumanConsensus, _ votes: [Int], _ adjudication: Int?) -> HumanConsensus.Outcome? {
            var counts: [Int: Int] = [:]
            for v in votes where v >= 0 { counts[v, default: 0] += 1 }
            let annotators = counts.values.reduce(0, +)
            if let adjudication, adjudication >= 0, rule.adjudicationDecides {
                return .init(label: adjudication, source: .adjudicated, votes: counts[adjudication] ?? 0, annotators: annotators)
            }
            let top = counts.values.max() ?? 0
            let leaders = counts.filter { $0.value == top }.map(\.key)
            guard annotators >= rule.minimumAnnotators, annotators > 0, leaders.count == 1,
                  Double(top) >= rule.minimumAgreement * Double(annotators) - 1e-9 else { return nil }
            return .init(label: leaders[0], source: annotators == 1 ? .single : top == annotators ? .unanimous : .majority,
                         votes: top, annotators: annotators)
        }
        var rng = SystemRandomNumberGenerator()
        let rules = [HumanConsensus(), HumanConsensus(minimumAgreement: 0.75, minimumAnnotators: 2), HumanConsensus(adjudicationDecides: false)]
        for _ in 0..<3000 {
            let labels = Int.random(in: 1...11, using: &rng)
            let votes = (0..<Int.random(in: 0...12, using: &rng)).map { _ in Int.random(in: -1..<labels, using: &rng) }
            let adjudication: Int? = Bool.random(using: &rng) ? nil : Int.random(in: -1..<labels, using: &rng)
            for rule in rules {
                #expect(rule.outcome(votes: votes, adjudication: adjudication) == reference(rule, votes, adjudication),
                        "\(votes) adjudication \(String(describing: adjudication))")
            }
        }
    }

    @Test("the counting path agrees with the general one, leaving each annotator out")
    func countingPath() {
        let rows: [[Int]] = [[0, 0, 1], [0, 1, -1], [2, 2, 2], [-1, -1, 1], [1, 0, 2], [1, 1, 0]]
        for rule in [HumanConsensus(), HumanConsensus(minimumAgreement: 1), HumanConsensus(minimumAnnotators: 2)] {
            for row in rows {
                for skip in -1..<3 {
                    let votes = row.enumerated().map { $0.offset == skip ? -1 : $0.element }
                    var counts = [0, 0, 0]
                    for v in votes where v >= 0 { counts[v] += 1 }
                    for adjudication in [-1, 2] {
                        let general = rule.outcome(votes: votes, adjudication: adjudication >= 0 ? adjudication : nil)
                        let counted = rule.outcome(counts: counts, annotators: counts.reduce(0, +), adjudication: adjudication)
                        #expect(counted == general, "\(votes), adjudication \(adjudication)")
                        var scratch = [0, 0, 0]
                        let cells = row.map(Int32.init)
                        let fast = cells.withUnsafeBufferPointer { cells in
                            scratch.withUnsafeMutableBufferPointer {
                                rule.outcome(row: cells, skip: skip, adjudication: Int32(adjudication), counts: $0)
                            }
                        }
                        #expect(fast == general && scratch == [0, 0, 0], "\(row) skipping \(skip)")
                    }
                }
            }
        }
    }

    @Test("invalid settings are refused with a reason")
    func validation() {
        #expect(throws: AgreementError.self) { try HumanConsensus(minimumAgreement: 0).validate() }
        #expect(throws: AgreementError.self) { try HumanConsensus(minimumAgreement: 1.5).validate() }
        #expect(throws: AgreementError.self) { try HumanConsensus(minimumAnnotators: 0).validate() }
    }
}
