import Foundation

/// Why driving tmux failed.
public enum TmuxError: Error, CustomStringConvertible {
    /// No `tmux` on PATH.
    case notInstalled(searched: String)
    /// A tmux command exited with a non-zero status.
    case commandFailed(arguments: [String], status: Int32, stderr: String)
    /// A wait ran out of time; `screen` is the pane's text at that moment.
    case timedOut(waitingFor: String, seconds: Double, screen: String)
    /// The program in the pane ended while something was still awaited.
    case programExited(status: Int32, waitingFor: String, screen: String)

    public var description: String {
        switch self {
        case .notInstalled(let searched):
            return "tmux is not installed (searched PATH=\(searched)); install it (apt-get install -y tmux): the end-to-end tests need it"
        case .commandFailed(let arguments, let status, let stderr):
            return "tmux \(arguments.joined(separator: " ")) failed with status \(status): \(stderr)"
        case .timedOut(let what, let seconds, let screen):
            return "timed out after \(seconds) s waiting for \(what); screen:\n\(screen)"
        case .programExited(let status, let what, let screen):
            return "program exited with status \(status) while waiting for \(what); screen:\n\(screen)"
        }
    }
}

/// One pane in a private tmux server, for driving a full-screen program end to end.
///
/// Each session has its own server (`tmux -L <unique name>`, sockets in its own temporary
/// folder, no user configuration, no status line) so tests run in parallel without meeting.
/// The pane stays after its program ends so its last screen and exit status can be read.
/// Every wait polls every 50 ms up to a timeout; none sleeps a fixed time. The server is
/// killed by `kill()` or when the session is released.
public final class TmuxSession {
    /// The `-L` socket name of the private server.
    public let socketName: String
    private let tmuxPath: String
    private let directory: URL
    private let configPath: String
    private let statusPath: String
    private var killed = false
    private static let target = "main"

    /// Prepares a private server (started by `start`).
    /// - Throws: `TmuxError.notInstalled` when there is no tmux on PATH.
    public init() throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let found = path.split(separator: ":").map { "\($0)/tmux" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let found else { throw TmuxError.notInstalled(searched: path) }
        tmuxPath = found
        directory = try temporaryDirectory(prefix: "tmux")
        socketName = "rj\(getpid())-\(UUID().uuidString.prefix(8))"
        configPath = directory.appendingPathComponent("tmux.conf").path
        statusPath = directory.appendingPathComponent("exit-status").path
        try """
        set -g status off
        set -g remain-on-exit on
        set -g history-limit 200
        set -g escape-time 10
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts `command` (argv, run without a shell) in a `width`×`height` pane, with
    /// `LANG=C.UTF-8` and `TERM=xterm-256color` added to the environment unless `env` gives
    /// other values for them.
    public func start(command: [String], width: Int = 80, height: Int = 24,
                      env: [String: String] = [:]) throws {
        var variables = ["LANG": "C.UTF-8", "TERM": "xterm-256color"]
        variables.merge(env) { _, given in given }
        let assignments = variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        // tmux 3.3a often loses a dead pane's exit status (#{pane_dead_status} stays empty),
        // so a shell around the program records it in a file.
        let recorder = ["sh", "-c", "\"$@\"; echo $? > \"$0\"", statusPath]
        try run(["new-session", "-d", "-s", Self.target, "-x", "\(width)", "-y", "\(height)", "env"]
                + assignments + recorder + command)
    }

    /// Starts a shell command line (run by `sh -c`) in the pane; see `start(command:)`.
    public func start(command shellCommand: String, width: Int = 80, height: Int = 24,
                      env: [String: String] = [:]) throws {
        try start(command: ["sh", "-c", shellCommand], width: width, height: height, env: env)
    }

    /// Sends tmux key names (`Up`, `Enter`, `Escape`, `C-c`, `F5`, `q`, …).
    public func sendKeys(_ keys: String...) throws {
        try run(["send-keys", "-t", Self.target] + keys)
    }

    /// Types `text` literally, as if pasted.
    public func sendLiteral(_ text: String) throws {
        try run(["send-keys", "-t", Self.target, "-l", "--", text])
    }

    /// The pane's text as `capture-pane -p` gives it: rows joined by newlines, trailing spaces trimmed.
    public func capture() throws -> String {
        try trimmingFinalNewline(run(["capture-pane", "-p", "-t", Self.target]))
    }

    /// The pane's text with the escape sequences for colours and attributes (`capture-pane -p -e`).
    public func captureWithEscapes() throws -> String {
        try trimmingFinalNewline(run(["capture-pane", "-p", "-e", "-t", Self.target]))
    }

    /// The pane title, which a program sets with OSC 0 or 2.
    public func paneTitle() throws -> String {
        try display("#{pane_title}")
    }

    /// Resizes the window (the program gets SIGWINCH).
    public func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", Self.target, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until `text` is on screen.
    /// - Throws: `TmuxError.timedOut` or `.programExited`, with the screen, when it does not appear.
    public func waitFor(_ text: String, timeout: Double = 10) throws {
        try waitUntil(timeout: timeout, description: "\"\(text)\"") { $0.contains(text) }
    }

    /// Waits until `predicate` holds for the screen text.
    /// - Throws: `TmuxError.timedOut` or `.programExited`, with the screen, when it does not.
    public func waitUntil(timeout: Double = 10, description: String = "a condition",
                          _ predicate: (String) throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let screen = try capture()
            if try predicate(screen) { return }
            if let status = try exitStatus() {
                // The pane keeps its last screen: look once more, then give up.
                let last = try capture()
                if try predicate(last) { return }
                throw TmuxError.programExited(status: status, waitingFor: description, screen: last)
            }
            if Date() >= deadline {
                throw TmuxError.timedOut(waitingFor: description, seconds: timeout, screen: screen)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Waits for the program in the pane to end and returns its exit status.
    public func waitForExit(timeout: Double = 10) throws -> Int32 {
        var status: Int32?
        try poll(timeout: timeout, description: "the program to exit") {
            status = try exitStatus()
            return status != nil
        }
        return status ?? -1
    }

    /// Polls `condition` every 50 ms until it holds, whatever the pane shows (for checks on
    /// tmux state, such as a title or another window).
    /// - Throws: `TmuxError.timedOut`, with the pane's screen, when it does not hold in time.
    public func poll(timeout: Double = 10, description: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try condition() { return }
            if Date() >= deadline {
                throw TmuxError.timedOut(waitingFor: description, seconds: timeout, screen: try capture())
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// The program's exit status (128 + the signal number if a signal ended it), or nil while
    /// it runs.
    public func exitStatus() throws -> Int32? {
        guard let recorded = try? String(contentsOfFile: statusPath, encoding: .utf8) else { return nil }
        return Int32(recorded.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A tmux format evaluated for the pane (`display-message -p`).
    public func display(_ format: String) throws -> String {
        try trimmingFinalNewline(run(["display-message", "-p", "-t", Self.target, format]))
    }

    /// Runs any tmux command against this server and returns its standard output.
    @discardableResult
    public func run(_ arguments: [String]) throws -> String {
        let full = ["-u", "-L", socketName, "-f", configPath] + arguments
        let result = try spawnProcess([tmuxPath] + full, env: clientEnvironment, timeout: 30)
        guard result.status == 0 else {
            throw TmuxError.commandFailed(arguments: arguments, status: result.status, stderr: result.stderr)
        }
        return result.stdout
    }

    /// Kills the server and everything in it; later calls do nothing.
    public func kill() {
        guard !killed else { return }
        killed = true
        _ = try? spawnProcess([tmuxPath, "-L", socketName, "kill-server"], env: clientEnvironment, timeout: 10)
    }

    private var clientEnvironment: [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        return [
            "PATH": inherited["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": inherited["HOME"] ?? directory.path,
            "LANG": "C.UTF-8",
            "TERM": "xterm-256color",
            "TMUX_TMPDIR": directory.path,
        ]
    }

    private func trimmingFinalNewline(_ text: String) -> String {
        text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
