import Foundation

/// Throughput and client-side cost of `CurlChatClient` against a live endpoint.
public struct LLMBenchmarkResult: Sendable, CustomStringConvertible {
    public var requests: Int
    public var failures: Int
    /// Wall-clock seconds for all requests.
    public var seconds: Double
    /// `requests / seconds` (failures included); 0 when no time elapsed.
    public var requestsPerSecond: Double
    /// (user + system CPU of this whole process during the run) / requests, from getrusage.
    public var cpuSecondsPerRequest: Double
    /// The first failure's description, if any.
    public var firstError: String?

    public var description: String {
        String(format: "%d requests (%d failed) in %.2f s: %.0f req/s, %.3f ms CPU/request",
               requests, failures, seconds, requestsPerSecond, cpuSecondsPerRequest * 1000)
            + (firstError.map { "; first error: \($0)" } ?? "")
    }
}

public enum LLMBenchmark {
    /// Sends `requests` small chat requests to `baseURL` with `concurrency` in flight, through
    /// one `CurlChatClient`. Failures are counted, not thrown; throws only
    /// `LLMConfigurationError` for an unusable endpoint or non-positive counts.
    public static func run(baseURL: String, requests: Int, concurrency: Int, apiKey: String? = nil,
                           model: String = "bench") async throws -> LLMBenchmarkResult {
        guard requests > 0, concurrency > 0 else {
            throw LLMConfigurationError("requests and concurrency must be positive")
        }
        let client = try CurlChatClient(endpoint: Endpoint(baseURL: baseURL, apiKey: apiKey),
                                        maxConnections: concurrency)
        defer { client.shutdown() }
        let request = ChatRequest(
            model: model,
            messages: [.system("You grade recommendations. Answer in JSON."),
                       .user("Item: waterproof hiking boots. Explanation: fits your trip. Grade it.")],
            temperature: 0, maxTokens: 200, responseFormat: .jsonObject)
        let tally = Tally(total: requests)
        let cpuBefore = cpuSeconds()
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<min(concurrency, requests) {
                group.addTask {
                    while tally.take() {
                        do { _ = try await client.complete(request) } catch { tally.fail(error) }
                    }
                }
            }
        }
        let elapsed = seconds(ContinuousClock.now - start)
        let cpu = cpuSeconds() - cpuBefore
        let (failures, firstError) = tally.failures
        return LLMBenchmarkResult(
            requests: requests, failures: failures, seconds: elapsed,
            requestsPerSecond: elapsed > 0 ? Double(requests) / elapsed : 0,
            cpuSecondsPerRequest: cpu / Double(requests), firstError: firstError)
    }

    /// User + system CPU seconds consumed by this process so far.
    public static func cpuSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func value(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return value(usage.ru_utime) + value(usage.ru_stime)
    }
}

/// Hands out request slots and counts failures across the benchmark's workers.
private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int
    private var failed = 0
    private var first: String?

    init(total: Int) { remaining = total }

    func take() -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard remaining > 0 else { return false }
        remaining -= 1
        return true
    }

    func fail(_ error: any Error) {
        lock.lock(); defer { lock.unlock() }
        failed += 1
        if first == nil { first = "\(error)" }
    }

    var failures: (Int, String?) {
        lock.lock(); defer { lock.unlock() }
        return (failed, first)
    }
}
