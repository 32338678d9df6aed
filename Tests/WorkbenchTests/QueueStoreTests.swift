import Testing
import Foundation
import Domain
import Store
@testable import Workbench

@Suite("store: claims, leases, queues, filters, search")
struct QueueStoreTests {
    @Test func overlapIsDeterministicByHashAndFollowsTheShare() {
        var p = AssignmentPolicy()
        p.overlap = 3
        p.overlapShare = 0.2
        let ids = (0..<2000).map { "s\($0)" }
        let needs = ids.map { p.annotatorsNeeded(sampleID: $0) }
        #expect(needs == ids.map { p.annotatorsNeeded(sampleID: $0) })
        #expect(Set(needs) == [1, 3])
        let share = Double(needs.filter { $0 == 3 }.count) / Double(ids.count)
        #expect(share > 0.16 && share < 0.24, "share \(share)")
        p.overlapShare = 0
        #expect(ids.allSatisfy { p.annotatorsNeeded(sampleID: $0) == 1 })
        p.overlapShare = 1
        #expect(ids.allSatisfy { p.annotatorsNeeded(sampleID: $0) == 3 })
    }

    @Test func withoutOverlapAnnotatorsGetDisjointBatchesUntilTheTaskRunsOut() throws {
        let t = try TestSession(count: 6, share: 0)
        let p = t.config.assignment
        let a = try t.store.claim(annotator: "alice", task: "tag", policy: p, count: 4)
        let b = try t.store.claim(annotator: "bob", task: "tag", policy: p, count: 4)
        #expect(a.samplePKs.count == 4 && !a.exhausted)
        #expect(b.samplePKs.count == 2 && b.exhausted)
        #expect(Set(a.samplePKs).isDisjoint(with: b.samplePKs))
        let c = try t.store.claim(annotator: "carol", task: "tag", policy: p, count: 4)
        #expect(c.samplePKs.isEmpty && c.exhausted)
        #expect(try t.store.assignments(annotator: "alice", task: "tag").map(\.samplePK) == a.samplePKs)
    }

    @Test func overlapSamplesGoToSeveralAnnotatorsButNeverTwiceToOne() throws {
        let t = try TestSession(count: 5, overlap: 2, share: 1)
        let p = t.config.assignment
        let a = try t.store.claim(annotator: "alice", task: "tag", policy: p, count: 10)
        let again = try t.store.claim(annotator: "alice", task: "tag", policy: p, count: 10)
        #expect(a.samplePKs.count == 5)
        #expect(again.samplePKs.isEmpty && again.exhausted)
        let b = try t.store.claim(annotator: "bob", task: "tag", policy: p, count: 10)
        #expect(b.samplePKs == a.samplePKs)
        let c = try t.store.claim(annotator: "carol", task: "tag", policy: p, count: 10)
        #expect(c.samplePKs.isEmpty)
        for pk in a.samplePKs { #expect(try t.store.holders(samplePK: pk).map(\.annotator) == ["alice", "bob"]) }
    }

    @Test func anExpiredUnfinishedLeaseComesBackToThePool() throws {
        let t = try TestSession(count: 3, share: 0, leaseMinutes: 30)
        let p = t.config.assignment
        let t0 = Date().timeIntervalSince1970
        let a = try t.store.claim(annotator: "alice", task: "tag", policy: p, count: 3, now: t0)
        #expect(a.samplePKs.count == 3)
        // alice finishes the first sample, then crashes.
        let first = a.samplePKs[0]
        _ = try t.store.recordLabels(t.rubric.dimensions.map {
            DecisionInput(samplePK: first, dimension: $0.key, annotator: "alice", label: $0.labels[0].key, action: .label, rubricVersion: 1)
        }, dimensions: t.rubric.dimensions.map(\.key), policy: p, now: t0 + 60)
        let early = try t.store.claim(annotator: "bob", task: "tag", policy: p, count: 3, now: t0 + 29 * 60)
        #expect(early.samplePKs.isEmpty)
        let late = try t.store.claim(annotator: "bob", task: "tag", policy: p, count: 3, now: t0 + 31 * 60)
        #expect(late.samplePKs == Array(a.samplePKs[1...]))
        #expect(late.takenOver == 2)
        #expect(try t.store.holders(samplePK: first).map(\.annotator) == ["alice"])
        #expect(try t.store.assignments(annotator: "alice", task: "tag").map(\.samplePK) == [first])
    }

    @Test func renewingKeepsAWorkingAnnotatorsLeases() throws {
        let t = try TestSession(count: 2, share: 0, leaseMinutes: 30)
        let p = t.config.assignment
        let t0 = Date().timeIntervalSince1970
        _ = try t.store.claim(annotator: "alice", task: "tag", policy: p, count: 2, now: t0)
        #expect(try t.store.renewLeases(annotator: "alice", policy: p, now: t0 + 25 * 60) == 2)
        let b = try t.store.claim(annotator: "bob", task: "tag", policy: p, count: 2, now: t0 + 40 * 60)
        #expect(b.samplePKs.isEmpty)
    }

    @Test func twoConnectionsClaimingAtOnceNeverOverClaim() throws {
        let t = try TestSession(count: 60, overlap: 2, share: 0.5)
        let p = t.config.assignment
        let path = t.config.storePath
        let results = Results()
        let group = DispatchGroup()
        for who in ["alice", "bob", "carol"] {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let store = try Store(path: path)
                    while true {
                        let c = try store.claim(annotator: who, task: "tag", policy: p, count: 7)
                        results.add(who, c.samplePKs)
                        if c.samplePKs.isEmpty { break }
                    }
                } catch { results.fail("\(error)") }
            }
        }
        #expect(group.wait(timeout: .now() + 60) == .success)
        #expect(results.errors.isEmpty, "\(results.errors)")
        for pk in try t.store.samplePKs(task: "tag") {
            guard let s = try t.store.sample(pk: pk) else { continue }
            let holders = try t.store.holders(samplePK: pk).map(\.annotator)
            #expect(holders.count == p.annotatorsNeeded(sampleID: s.sample.id), "\(s.sample.id): \(holders)")
            #expect(Set(holders).count == holders.count)
        }
    }

    @Test func recordingMarksDoneAndUndoReopens() throws {
        let t = try TestSession(count: 1, share: 0)
        let p = t.config.assignment
        let pk = try t.pk(1)
        let dims = t.rubric.dimensions.map(\.key)
        var w = try t.store.recordLabels([DecisionInput(samplePK: pk, dimension: "relevance", annotator: "alice", label: "yes", action: .accept, rubricVersion: 1)],
                                         dimensions: dims, policy: p)
        #expect(!w.done)
        w = try t.store.recordLabels(dims.dropFirst().map { DecisionInput(samplePK: pk, dimension: $0, annotator: "alice", label: "yes", action: .accept, rubricVersion: 1) },
                                     dimensions: dims, policy: p)
        #expect(w.done && w.decisionIDs.count == 3)
        w = try t.store.recordLabels([DecisionInput(samplePK: pk, dimension: "validity", annotator: "alice", label: nil, action: .undo, rubricVersion: 1)],
                                     dimensions: dims, policy: p)
        #expect(!w.done)
        #expect(try t.store.currentLabels(samplePK: pk, annotator: "alice") == ["relevance": "yes", "consistency": "yes", "specificity": "yes"])
        #expect(try t.store.decisions(samplePK: pk).count == 5)          // the log only grows
        #expect(throws: StoreError.self) {
            _ = try t.store.recordLabels([DecisionInput(samplePK: pk, dimension: "validity", annotator: "alice", label: "yes", action: .label, rubricVersion: 1),
                                      DecisionInput(samplePK: pk, dimension: "validity", annotator: "bob", label: "yes", action: .label, rubricVersion: 1)],
                                     dimensions: dims, policy: p)
        }
    }

    @Test func anAnnotatorNeverSeesAnotherAnnotatorsLabelsOrComments() throws {
        let t = try TestSession(count: 1, overlap: 2, share: 1)
        let judge = try t.judgeAll()
        let p = t.config.assignment
        let pk = try t.pk(1)
        _ = try t.store.recordLabels([DecisionInput(samplePK: pk, dimension: "relevance", annotator: "alice", label: "weak_relevance", action: .override, rubricVersion: 1)],
                                     dimensions: t.rubric.dimensions.map(\.key), policy: p)
        try t.store.comment(samplePK: pk, dimension: "relevance", annotator: "alice", text: "alice 的意见")
        let bob = try #require(try t.store.sampleForLabelling(pk: pk, annotator: "bob", judgeVersionID: judge.id))
        #expect(bob.labels.isEmpty)
        #expect(bob.comments.isEmpty)
        #expect(bob.verdicts["relevance"]?.label == "yes")
        let alice = try #require(try t.store.sampleForLabelling(pk: pk, annotator: "alice", judgeVersionID: judge.id))
        #expect(alice.labels == ["relevance": "weak_relevance"])
        #expect(alice.comments.map(\.text) == ["alice 的意见"])
        _ = try t.store.claim(annotator: "bob", task: "tag", policy: p, count: 5)
        let dims = t.rubric.dimensions.map(\.key)
        #expect(try t.store.queue(annotator: "bob", task: "tag", dimensions: dims, judgeVersionID: judge.id, filter: QueueFilter(disagreement: true)).isEmpty)
        #expect(try t.store.queue(annotator: "bob", task: "tag", dimensions: dims, judgeVersionID: judge.id, filter: QueueFilter(label: "weak_relevance")).isEmpty)
    }

    @Test func filtersSelectFromTheAnnotatorsOwnQueue() throws {
        let t = try TestSession(count: 5, share: 0)
        let judge = try t.judgeAll(failing: [3: "specificity"])
        let p = t.config.assignment
        let dims = t.rubric.dimensions.map(\.key)
        _ = try t.store.claim(annotator: "alice", task: "tag", policy: p, count: 4)   // samples 1–4
        let (s1, s2, s3) = (try t.pk(1), try t.pk(2), try t.pk(3))
        func label(_ pk: Int64, _ dim: String, _ l: String) throws {
            _ = try t.store.recordLabels([DecisionInput(samplePK: pk, dimension: dim, annotator: "alice", label: l, action: .label, rubricVersion: 1)],
                                         dimensions: dims, policy: p)
        }
        try label(s1, "relevance", "weak_relevance")                  // differs from the judge's yes
        for d in dims { try label(s2, d, d == "consistency" ? "low_consistency" : "yes") }   // done, agrees
        func q(_ f: QueueFilter, visible: Bool = true) throws -> [Int64] {
            try t.store.queue(annotator: "alice", task: "tag", dimensions: dims, judgeVersionID: judge.id, filter: f, judgeVisible: visible)
        }
        let all = try q(QueueFilter())
        #expect(all.count == 4)
        #expect(try q(QueueFilter(unlabelled: true)) == all.filter { $0 != s2 })
        #expect(try q(QueueFilter(judgeFailed: true)) == [s3])
        #expect(try q(QueueFilter(judgeFailed: true, dimension: "relevance")).isEmpty)
        #expect(try q(QueueFilter(disagreement: true)) == [s1])
        #expect(try q(QueueFilter(unlabelled: true, dimension: "relevance")) == all.filter { $0 != s1 && $0 != s2 })
        #expect(try q(QueueFilter(dimension: "consistency", label: "low_consistency")).count == 4)   // the judge says so on every one
        #expect(try q(QueueFilter(dimension: "consistency", label: "low_consistency"), visible: false) == [s2])   // blind: own labels only
        #expect(try q(QueueFilter(label: "weak_relevance")) == [s1])
    }

    @Test func theNewestJudgeVersionWithVerdictsIsShown() throws {
        let t = try TestSession(count: 2, share: 0)
        #expect(try t.store.latestJudgeVersion(task: "tag") == nil)
        let first = try t.judgeAll()
        let empty = try t.store.register(JudgeVersion(judge: "qwen", kind: "openai", model: "m", task: "tag", rubricVersion: 1, params: [:]))
        #expect(empty > first.id)
        #expect(try t.store.latestJudgeVersion(task: "tag")?.id == first.id)
        #expect(try t.store.latestJudgeVersion(task: "tag", judge: "qwen") == nil)
        #expect(try t.store.latestJudgeVersion(task: "tag", judge: "rules")?.version == first.version)
        #expect(try t.store.latestJudgeVersion(task: "interest") == nil)
    }

    @Test func searchMatchesVisibleTextNotJSONKeys() throws {
        let t = try TestSession(count: 4, share: 0, outputs: [3: (tag: "Waterproof 登山鞋", reason: "搜索过\"防水\"")])
        let pks = try t.store.samplePKs(task: "tag")
        #expect(try t.store.firstMatch("登山", among: pks) == pks[2])
        #expect(try t.store.firstMatch("WATERPROOF", among: pks) == pks[2])
        #expect(try t.store.firstMatch("\"防水\"", among: pks) == pks[2])
        #expect(try t.store.firstMatch("杭州", among: Array(pks.reversed())) == pks[3])     // in the user context
        #expect(try t.store.firstMatch("reason", among: pks) == nil)                       // a JSON key only
        #expect(try t.store.firstMatch("不存在的词", among: pks) == nil)
    }
}

final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var claims: [String: [Int64]] = [:]
    private(set) var errors: [String] = []
    func add(_ who: String, _ pks: [Int64]) { lock.lock(); claims[who, default: []] += pks; lock.unlock() }
    func fail(_ e: String) { lock.lock(); errors.append(e); lock.unlock() }
}
