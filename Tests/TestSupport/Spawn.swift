import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a finished child process left behind.
public struct ProcessResult: Sendable {
    /// Exit status; 128 + the signal number when a signal ended it.
    public let status: Int32
    public let standardOutput: Data
    public let standardError: Data

    /// Standard output as UTF-8 (invalid bytes become U+FFFD).
    public var stdout: String { String(decoding: standardOutput, as: UTF8.self) }
    /// Standard error as UTF-8 (invalid bytes become U+FFFD).
    public var stderr: String { String(decoding: standardError, as: UTF8.self) }
}

/// Where a child's standard input comes from.
public enum ProcessInput: Sendable {
    /// /dev/null.
    case null
    /// A file, by path.
    case file(String)
    /// These bytes.
    case data(Data)
}

/// A child process that could not be started or did not finish in time.
public struct SpawnError: Error, CustomStringConvertible {
    public let description: String
}

/// Runs `argv` (found on PATH) to completion and returns its status and output.
///
/// Uses `posix_spawnp` with an empty signal mask and default signal actions, then `waitpid`,
/// never `Foundation.Process`: a child started by `Process` from a test's worker thread
/// inherits a blocked signal mask (so tmux servers ignore SIGTERM), and `Process` can hang
/// waiting for a child that daemonises. Standard output and error go to temporary files,
/// so output of any size never blocks the child. Descriptors other than 0–2 are not inherited.
/// - Parameters:
///   - env: the child's whole environment; nil inherits this process's.
///   - currentDirectory: the child's working directory; nil inherits this process's.
///   - timeout: seconds before the child is killed with SIGKILL and `SpawnError` thrown.
/// - Throws: `SpawnError` when `argv` is empty, the program cannot be started, or it times out.
public func spawnProcess(_ argv: [String], env: [String: String]? = nil,
                         currentDirectory: String? = nil, input: ProcessInput = .null,
                         timeout: Double = 120) throws -> ProcessResult {
    guard let program = argv.first else { throw SpawnError(description: "spawnProcess: empty argument list") }
    let scratch = try temporaryDirectory(prefix: "spawn")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outPath = scratch.appendingPathComponent("stdout").path
    let errPath = scratch.appendingPathComponent("stderr").path
    var inPath = "/dev/null"
    switch input {
    case .null: break
    case .file(let path): inPath = path
    case .data(let data):
        inPath = scratch.appendingPathComponent("stdin").path
        try data.write(to: URL(fileURLWithPath: inPath))
    }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    if let currentDirectory {
        guard let addChdir = GNUSpawnActions.addChdir else {
            throw SpawnError(description: "spawnProcess: this C library cannot set a child's directory")
        }
        _ = addChdir(&actions, currentDirectory)
    }
    _ = GNUSpawnActions.addCloseFrom?(&actions, 3)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    sigdelset(&allSignals, SIGKILL)
    sigdelset(&allSignals, SIGSTOP)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let assignments = (env ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
    var pid: pid_t = 0
    let spawnStatus = withCStrings(argv) { argvPointers in
        withCStrings(assignments) { envPointers in
            posix_spawnp(&pid, program, &actions, &attributes, argvPointers, envPointers)
        }
    }
    guard spawnStatus == 0 else {
        throw SpawnError(description: "cannot start \(program): \(String(cString: strerror(spawnStatus)))")
    }

    let status = try waitForChild(pid, timeout: timeout, program: program)
    let out = (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data()
    let err = (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data()
    return ProcessResult(status: status, standardOutput: out, standardError: err)
}

/// Polls `waitpid` until the child ends or `timeout` passes (then kills it and throws).
private func waitForChild(_ pid: pid_t, timeout: Double, program: String) throws -> Int32 {
    let deadline = Date().addingTimeInterval(timeout)
    var pause: useconds_t = 500
    while true {
        var raw: Int32 = 0
        let result = waitpid(pid, &raw, WNOHANG)
        if result == pid {
            let signal = raw & 0x7F
            return signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
        }
        if result < 0 && errno != EINTR {
            throw SpawnError(description: "waitpid for \(program) failed: \(String(cString: strerror(errno)))")
        }
        if Date() >= deadline {
            kill(pid, SIGKILL)
            var ignored: Int32 = 0
            _ = waitpid(pid, &ignored, 0)
            throw SpawnError(description: "\(program) did not finish within \(timeout) s and was killed")
        }
        usleep(pause)
        pause = min(pause * 2, 10_000)
    }
}

/// glibc's `_np` file actions, which Swift's Glibc module does not export (they are declared
/// only under _GNU_SOURCE): looked up by name; nil where the C library lacks them.
private enum GNUSpawnActions {
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    private static func symbol<T>(_ name: String) -> T? {
        guard let handle = dlopen(nil, RTLD_LAZY), let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }
}

/// Calls `body` with a NULL-terminated C array of copies of `strings`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
    defer { for p in pointers { free(p) } }
    return body(pointers)
}
