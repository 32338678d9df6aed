import Foundation
import Testing
import TestSupport

@Suite struct SpawnTests {
    @Test func statusAndOutput() throws {
        let result = try spawnProcess(["sh", "-c", "printf 'out户'; printf err >&2; exit 7"])
        #expect(result.status == 7)
        #expect(result.stdout == "out户")
        #expect(result.stderr == "err")
    }

    @Test func inputFromData() throws {
        let result = try spawnProcess(["cat"], input: .data(Data("a\nb户".utf8)))
        #expect(result.status == 0)
        #expect(result.stdout == "a\nb户")
    }

    @Test func environmentAndDirectoryAreTheOnesGiven() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try spawnProcess(["sh", "-c", "echo \"$ONLY:$HOME\"; pwd"],
                                      env: ["ONLY": "yes", "PATH": "/usr/bin:/bin"],
                                      currentDirectory: dir.path)
        #expect(result.stdout == "yes:\n\(dir.resolvingSymlinksInPath().path)\n")
    }

    /// A child started from a test's worker thread must not inherit blocked or ignored signals,
    /// or tmux servers started by tests ignore kill-server (SWIFT-NOTES §4).
    @Test func childHasNoBlockedOrIgnoredSignals() async throws {
        let result = try await Task.detached {
            try spawnProcess(["grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"])
        }.value
        var masks: [String: UInt64] = [:]
        for line in result.stdout.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            if fields.count == 2 { masks[String(fields[0])] = UInt64(fields[1], radix: 16) }
        }
        #expect(masks["SigBlk:"] == 0)
        // Signals 1–31 only: glibc's posix_spawn itself leaves its two internal signals (32, 33) ignored.
        #expect(masks["SigIgn:"].map { $0 & 0x7FFF_FFFF } == 0)
    }

    @Test func signalsGive128PlusTheSignal() throws {
        #expect(try spawnProcess(["sh", "-c", "kill -9 $$"]).status == 137)
    }

    @Test func missingProgramsAndTimeoutsAreErrors() throws {
        #expect(throws: SpawnError.self) { try spawnProcess(["no-such-program-recjudge"]) }
        #expect(throws: SpawnError.self) { try spawnProcess([]) }
        #expect(throws: SpawnError.self) { try spawnProcess(["sleep", "30"], timeout: 0.2) }
    }

    @Test func pathsPointAtTheRepository() throws {
        #expect(FileManager.default.fileExists(atPath: repoRoot.appendingPathComponent("Package.swift").path))
        #expect(try builtProduct("termcheck").lastPathComponent == "termcheck")
        #expect(throws: SpawnError.self) { try builtProduct("no-such-product") }
    }
}
