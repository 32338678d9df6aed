import Foundation

/// Exponential backoff with jitter that defers to the server's `Retry-After`.
///
/// For the retry after failed attempt `n` (1-based), the backoff ceiling is
/// `c = min(maxDelay, baseDelay * 2^(n-1))` and the delay is drawn uniformly from
/// `[c * (1 - jitter), c]`: `jitter = 1` is "full jitter", `0.5` "equal jitter", `0` none.
/// When the error carries `Retry-After`, that wait is used instead, capped at `maxRetryAfter`.
public struct RetryPolicy: Sendable {
    /// Total attempts including the first; 1 means no retries.
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// Fraction of the backoff that is randomised, clamped to 0...1.
    public var jitter: Double
    /// The longest server-requested wait that is honoured as given.
    public var maxRetryAfter: Double

    public init(maxAttempts: Int = 5, baseDelay: Double = 0.5, maxDelay: Double = 30,
                jitter: Double = 1, maxRetryAfter: Double = 120) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
        self.maxRetryAfter = maxRetryAfter
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Seconds to wait before the retry that follows failed attempt `attempt` (1-based).
    /// Never negative; uses `random` only when there is no `Retry-After` and `jitter > 0`.
    public func delay(attempt: Int, error: LLMError, random: inout some RandomNumberGenerator) -> Double {
        if let requested = error.retryAfter, requested.isFinite {
            return min(max(requested, 0), max(maxRetryAfter, 0))
        }
        let exponent = Double(min(max(attempt - 1, 0), 62))
        let ceiling = max(0, min(maxDelay, baseDelay * pow(2, exponent)))
        let spread = min(max(jitter.isFinite ? jitter : 1, 0), 1)
        guard spread > 0, ceiling > 0 else { return ceiling }
        let floor = ceiling * (1 - spread)
        return floor + Double.random(in: 0...1, using: &random) * (ceiling - floor)
    }

    /// Parses a `Retry-After` value: delta-seconds (`"120"`, fractions tolerated) or an
    /// HTTP-date (IMF-fixdate, RFC 850 or asctime), as seconds after `now` (past dates give 0).
    /// Returns nil for anything else.
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text) {
            return seconds.isFinite && seconds >= 0 ? seconds : nil
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                return max(0, date.timeIntervalSince(now))
            }
        }
        return nil
    }
}

/// Calls `client.complete` up to `policy.maxAttempts` times, sleeping `policy.delay` between
/// attempts while the error `isRetryable`. `onRetry(attempt, error, delay)` runs before each
/// sleep, `attempt` being the 1-based number of the attempt that failed.
///
/// Throws the last `LLMError` when attempts run out or the error is not retryable, and
/// `LLMError.cancelled` when the task is cancelled (also during a backoff sleep).
public func completeWithRetries(
    _ client: some ChatClient, _ request: ChatRequest, policy: RetryPolicy,
    onRetry: @Sendable (Int, LLMError, Double) -> Void = { _, _, _ in }
) async throws -> ChatCompletion {
    var random = SystemRandomNumberGenerator()
    var attempt = 1
    while true {
        if Task.isCancelled { throw LLMError.cancelled }
        do {
            return try await client.complete(request)
        } catch let error as LLMError {
            guard error.isRetryable, attempt < policy.maxAttempts else { throw error }
            let wait = policy.delay(attempt: attempt, error: error, random: &random)
            onRetry(attempt, error, wait)
            do {
                try await Task.sleep(nanoseconds: UInt64(min(wait, 86_400) * 1e9))
            } catch {
                throw LLMError.cancelled
            }
            attempt += 1
        } catch is CancellationError {
            throw LLMError.cancelled
        }
    }
}
