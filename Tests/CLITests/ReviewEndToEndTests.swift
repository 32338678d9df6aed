import Testing
import Foundation
import Domain
import Store
import TestSupport

@Suite("recjudge review, end to end in tmux", .serialized)
struct ReviewEndToEndTests {
    /// Two annotators disagree on relevance of sample 2 (and agree on sample 1); the lead opens
    /// the conflict queue, adjudicates with a reason, quits; the store holds the lead decision.
    @Test func aLeadAdjudicatesAConflictWithAReason() throws {
        let session = try LabelSession(samples: 3)
        let storePath = session.dir.appendingPathComponent("store.sqlite").path
        do {
            let store = try Store(path: storePath)
            let votes: [(String, String, String)] = [("u1029-tag-01", "alice", "yes"), ("u1029-tag-01", "bob", "yes"),
                                                     ("u1029-tag-02", "alice", "yes"), ("u1029-tag-02", "bob", "weak_relevance")]
            for (id, who, label) in votes {
                let s = try #require(try store.sample(id: id))
                try store.record(DecisionInput(samplePK: s.pk, dimension: "relevance", annotator: who, label: label,
                                               action: .label, rubricVersion: 1))
            }
        }
        let tmux = try TmuxSession()
        defer { tmux.kill() }
        let args = [session.binary, "review", session.dir.path, "--task", "tag", "--lead", "lena"].map { "'\($0)'" }.joined(separator: " ")
        try tmux.start(command: "exec \(args)", width: 80, height: 24, env: ["XDG_CONFIG_HOME": session.dir.path])
        try tmux.waitFor("recjudge review", timeout: 30)
        try tmux.waitFor("all pass", timeout: 30)
        try tmux.sendKeys("c")                               // relevance's conflicts: sample 2 only
        try tmux.waitFor("1 sample(s)")
        try tmux.waitFor("u1029-tag-02")
        try tmux.sendKeys("Enter")
        try tmux.waitFor("≠ choose")
        try tmux.sendKeys("2")
        try tmux.waitFor("reason for relevance → weak_relevance>")
        try tmux.sendLiteral("辅食机与防晒无关")
        try tmux.sendKeys("Enter")
        try tmux.waitFor("1 saved ✓")
        try tmux.waitFor("✓ weak_relevance")
        try tmux.sendKeys("q")
        #expect(try tmux.waitForExit(timeout: 10) == 0)

        let store = try Store(path: storePath)
        var lead: [StoredDecision] = []
        try store.forEachDecision { if $0.annotator == "lena" { lead.append($0) } }
        #expect(lead.count == 1)
        let d = try #require(lead.first)
        #expect(d.role == .lead && d.action == .adjudicate)
        #expect(d.dimension == "relevance" && d.label == "weak_relevance")
        #expect(d.comment == "辅食机与防晒无关")
        #expect(d.samplePK == (try store.sample(id: "u1029-tag-02"))?.pk)
    }
}
