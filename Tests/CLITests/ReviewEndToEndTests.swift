import Testing
import Foundation
import Domain
import Store
import TestSupport

@Suite("recjudge review, end to end in tmux", .serialized)
struct ReviewEndToEndTests {
    /// Sample 1: alice and bob say yes; sample 2: alice yes, bob weak_relevance.
    static func votedSession() throws -> LabelSession {
        let session = try LabelSession(samples: 3)
        let store = try Store(path: session.dir.appendingPathComponent("store.sqlite").path)
        let votes: [(String, String, String)] = [("u1029-tag-01", "alice", "yes"), ("u1029-tag-01", "bob", "yes"),
                                                 ("u1029-tag-02", "alice", "yes"), ("u1029-tag-02", "bob", "weak_relevance")]
        for (id, who, label) in votes {
            let s = try #require(try store.sample(id: id))
            try store.record(DecisionInput(samplePK: s.pk, dimension: "relevance", annotator: who, label: label,
                                           action: .label, rubricVersion: 1))
        }
        return session
    }

    /// The lead opens the heat map's tie cell (no reference × judge yes: sample 2) in the label
    /// view, labels it, comes back: the sample has left the cell and the lead has a row.
    @Test func aHeatMapCellOpensInTheLabelViewAndTheReviewFollowsTheLabel() throws {
        let session = try Self.votedSession()
        let tmux = try TmuxSession()
        defer { tmux.kill() }
        let args = [session.binary, "review", session.dir.path, "--task", "tag", "--lead", "lena"].map { "'\($0)'" }.joined(separator: " ")
        try tmux.start(command: "\(args); echo \"exit=$?\"", width: 80, height: 24, env: ["XDG_CONFIG_HOME": session.dir.path])
        try tmux.waitFor("all pass", timeout: 30)
        try tmux.waitFor("    alice")                      // relevance's annotators under it
        try tmux.waitFor("    bob")
        try tmux.sendKeys("Enter")
        try tmux.waitFor("▶ reference — × judge yes: 1 sample(s)")
        try tmux.sendKeys("Enter")                         // Enter on the cell: its samples in the label view
        try tmux.waitFor("review: relevance: — × judge yes")
        try tmux.waitFor("u1029-tag-02")
        try tmux.waitFor("q back to review")
        try tmux.sendKeys("2")                             // relevance: weak_relevance, as lena
        try tmux.waitFor("1 saved ✓")
        try tmux.sendKeys("q")
        try tmux.waitFor("back from the label view: 1 change saved there")
        // Two of three now say weak_relevance: sample 2 has a reference and left the tie cell.
        try tmux.waitFor("▶ reference — × judge yes: 0 sample(s)")
        try tmux.sendKeys("Escape")
        try tmux.waitFor("    lena")
        try tmux.sendKeys("q")
        try tmux.waitFor("exit=0")
        // The summary fills the pane's width, so the shell's line pushes it into the history.
        let screen = try tmux.run(["capture-pane", "-p", "-S", "-50", "-t", "main"])
        #expect(screen.contains("lena · tag: 0 adjudications saved this session, 1 label change in the label view"), "\(screen)")

        let lena = try session.decisions(of: "lena")
        #expect(lena.count == 1)
        let d = try #require(lena.first)
        #expect(d.role == .annotator && d.action == .override)
        #expect(d.dimension == "relevance" && d.label == "weak_relevance" && d.judgeLabel == "yes")
        let store = try Store(path: session.dir.appendingPathComponent("store.sqlite").path)
        let two = try #require(try store.sample(id: "u1029-tag-02"))
        #expect(d.samplePK == two.pk)
        #expect(try store.holders(samplePK: two.pk).map(\.annotator) == ["lena"])   // only lena's own assignment
    }

    @Test func aBadReviewKeymapIsRefusedWithItsFileAndLine() throws {
        let session = try LabelSession(samples: 1)
        let keys = session.dir.appendingPathComponent("keys.yaml").path
        try "review:\n  conflicts: c\n  label_veiw: O\n".write(toFile: keys, atomically: true, encoding: .utf8)
        let r = try spawnProcess([session.binary, "review", session.dir.path, "--lead", "lena"],
                                 env: ["XDG_CONFIG_HOME": session.dir.path, "LANG": "C.UTF-8"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("keys.yaml:3: review.label_veiw: unknown review request 'label_veiw'"), "\(r.stderr)")
    }

    /// Two annotators disagree on relevance of sample 2 (and agree on sample 1); the lead opens
    /// the conflict queue, adjudicates with a reason, quits; the store holds the lead decision.
    @Test func aLeadAdjudicatesAConflictWithAReason() throws {
        let session = try Self.votedSession()
        let storePath = session.dir.appendingPathComponent("store.sqlite").path
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
