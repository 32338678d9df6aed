import FlyingFox
import FlyingSocks
import Foundation

/// An OpenAI-compatible chat-completions server on 127.0.0.1 for tests and benchmarks.
///
/// Each `POST /v1/chat/completions` is answered by the next scripted behaviour if any
/// (FIFO), otherwise by the handler. The server counts requests, keeps the last
/// `keepLast` of them, and tracks how many handlers were running at once.
public final class FakeOpenAIServer: Sendable {
    public typealias Handler = @Sendable (FakeRequest) -> FakeBehavior

    private struct State {
        var handler: Handler
        var script: [FakeBehavior] = []
        var requestCount = 0
        var recent: [FakeRequest] = []
        var inFlight = 0
        var maxInFlight = 0
        var clients: Set<HTTPRequest.Address> = []
        var http: HTTPServer?
        var runTask: Task<Void, any Error>?
        var port: Int?
    }

    private let state: Locked<State>
    private let keepLast: Int

    /// - Parameters:
    ///   - script: behaviours for the first requests, in order.
    ///   - keepLast: how many received requests `recentRequests` keeps.
    ///   - handler: the behaviour for every request after the script runs out.
    public init(script: [FakeBehavior] = [], keepLast: Int = 100,
                handler: @escaping Handler = { _ in .answer(#"{"verdict": "ok"}"#) }) {
        state = Locked(State(handler: handler, script: script))
        self.keepLast = max(0, keepLast)
    }

    // MARK: control

    /// Starts listening on 127.0.0.1:`port` (0 picks a free port) and returns the port.
    /// Throws `FakeServerError` if the server is already running or cannot listen.
    @discardableResult
    public func start(port: Int = 0) async throws -> Int {
        guard (0...65535).contains(port) else { throw FakeServerError("port \(port) is out of range") }
        let address = try sockaddr_in.inet(ip4: "127.0.0.1", port: UInt16(port))
        let http = HTTPServer(address: address, timeout: 3_600,
                              pool: NoDelaySocketPool(base: .ePoll(maxEvents: 256)), logger: .disabled,
                              handler: ClosureHTTPHandler { [weak self] request in
                                  guard let self else { return FakeResponses.error(503, type: "server_error", message: "stopped") }
                                  return await respond(to: request)
                              })
        let claimed = state.withLock { state -> Bool in
            guard state.http == nil else { return false }
            state.http = http
            return true
        }
        guard claimed else { throw FakeServerError("the server is already started") }
        // Whichever comes first: listening, or run() failing (e.g. the port is taken).
        let (events, event) = AsyncStream<(any Error)?>.makeStream()
        let runTask = Task {
            do {
                try await http.run()
                event.yield(FakeServerError("the server stopped"))
            } catch {
                event.yield(error)
                throw error
            }
        }
        let waitTask = Task {
            do {
                try await http.waitUntilListening(timeout: 10)
                event.yield(nil)
            } catch {
                event.yield(error)
            }
        }
        var first: (any Error)?? = nil
        for await outcome in events {
            first = outcome
            break
        }
        waitTask.cancel()
        if case let failure?? = first {
            runTask.cancel()
            state.withLock { $0.http = nil }
            throw FakeServerError("cannot listen on 127.0.0.1:\(port): \(failure)")
        }
        guard case .ip4(_, let bound)? = await http.listeningAddress else {
            runTask.cancel()
            state.withLock { $0.http = nil }
            throw FakeServerError("the server reports no IPv4 address")
        }
        state.withLock { $0.runTask = runTask; $0.port = Int(bound) }
        return Int(bound)
    }

    /// Closes the listening socket and every connection; running handlers are cancelled.
    public func stop() async {
        let (http, runTask) = state.withLock { state in
            defer { state.http = nil; state.runTask = nil; state.port = nil }
            return (state.http, state.runTask)
        }
        await http?.stop(timeout: 0)
        runTask?.cancel()
        _ = await runTask?.result
    }

    /// The bound port while running.
    public var port: Int? { state.withLock { $0.port } }

    /// `http://127.0.0.1:PORT/v1` while running, nil otherwise.
    public var baseURL: String? { port.map { "http://127.0.0.1:\($0)/v1" } }

    /// Appends behaviours to the script.
    public func enqueue(_ behaviors: FakeBehavior...) {
        state.withLock { $0.script.append(contentsOf: behaviors) }
    }

    /// Replaces the handler used once the script is empty.
    public func setHandler(_ handler: @escaping Handler) {
        state.withLock { $0.handler = handler }
    }

    // MARK: observations

    /// Chat-completions requests received so far.
    public var requestCount: Int { state.withLock { $0.requestCount } }
    /// The last `keepLast` requests, oldest first.
    public var recentRequests: [FakeRequest] { state.withLock { $0.recent } }
    /// Handlers running right now.
    public var inFlight: Int { state.withLock { $0.inFlight } }
    /// The most handlers ever running at the same moment: above 1 proves the client overlapped requests.
    public var maxInFlight: Int { state.withLock { $0.maxInFlight } }
    /// Distinct client sockets (address and port) that sent chat requests: fewer than
    /// `requestCount` proves keep-alive connections were reused.
    public var connectionCount: Int { state.withLock { $0.clients.count } }

    // MARK: serving

    private func respond(to request: HTTPRequest) async -> HTTPResponse {
        switch (request.method, request.path) {
        case (.POST, "/v1/chat/completions"):
            return await chatCompletion(request)
        case (.GET, "/v1/models"):
            return FakeResponses.json(200, #"{"object":"list","data":[{"id":"fake-model","object":"model","owned_by":"recjudge"}]}"#)
        default:
            return FakeResponses.error(404, type: "invalid_request_error", message: "no route for \(request.method.rawValue) \(request.path)")
        }
    }

    private func chatCompletion(_ request: HTTPRequest) async -> HTTPResponse {
        let body = (try? await request.bodyData) ?? Data()
        var headers: [String: String] = [:]
        for (name, value) in request.headers { headers[name.rawValue.lowercased()] = value }
        var received = FakeRequest(index: 0, headers: headers, body: body)  // decoded outside the lock
        let (scripted, handler) = state.withLock { state -> (FakeBehavior?, Handler) in
            state.requestCount += 1
            received.index = state.requestCount
            if let client = request.remoteAddress { state.clients.insert(client) }
            if keepLast > 0 {
                state.recent.append(received)
                if state.recent.count > keepLast { state.recent.removeFirst(state.recent.count - keepLast) }
            }
            state.inFlight += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
            return (state.script.isEmpty ? nil : state.script.removeFirst(), state.handler)
        }
        // The handler runs unlocked, so it may read the server's counters.
        let behavior = scripted ?? handler(received)
        defer { state.withLock { $0.inFlight -= 1 } }
        guard received.model != nil else {
            return FakeResponses.error(400, type: "invalid_request_error", message: "body is not a chat request")
        }
        return await FakeResponses.response(for: behavior, to: received)
    }

    // MARK: a server process for benchmarks

    /// Serves on 127.0.0.1:`port` until the task is cancelled, answering every request with
    /// `content` after `latency` seconds. `onListening` gets the bound port once listening.
    public static func runForever(port: Int, latency: Double, content: String,
                                  onListening: @Sendable (Int) -> Void = { _ in }) async throws {
        let server = FakeOpenAIServer(keepLast: 0) { _ in
            latency > 0 ? .answerAfter(latency, content) : .answer(content)
        }
        onListening(try await server.start(port: port))
        let runTask = server.state.withLock { $0.runTask }
        await withTaskCancellationHandler {
            _ = await runTask?.result
        } onCancel: {
            runTask?.cancel()
        }
        await server.stop()
    }
}

/// The fake server could not start.
public struct FakeServerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// A value behind a lock (the state is touched briefly from many connection tasks).
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock(); defer { lock.unlock() }
        return try body(&value)
    }
}
