import CCurl
import Foundation

/// What the engine reports for one transfer. The client turns it into a completion or an
/// `LLMError`, scrubbing the key from any text.
enum TransferOutcome: Sendable {
    /// The server answered (any status). `retryAfter` is already in seconds.
    case response(status: Int, body: [UInt8], retryAfter: Double?, latency: Double)
    /// libcurl gave up: `code` is the CURLcode, `message` its most specific explanation.
    case failure(code: UInt32, message: String, bodyTooLarge: Bool)
    /// The task was cancelled, or the client shut down.
    case cancelled
}

/// One POST on one easy handle. Built on the caller's task, then owned by the engine
/// thread from submission to completion (the engine's lock hands it over).
final class CurlTransfer: @unchecked Sendable {
    /// Answers larger than this are refused (a chat completion is a few KB).
    static let maxBodyBytes = 32 << 20

    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>

    // Engine thread only (written by libcurl callbacks during curl_multi_perform).
    var body: [UInt8] = []
    var bodyTooLarge = false
    var retryAfterHeader: String?
    var retryAfterMsHeader: String?
    var started: ContinuousClock.Instant?
    var finished = false
    var continuation: CheckedContinuation<TransferOutcome, Never>?

    // Guarded by the engine's lock.
    var cancelRequested = false

    /// Configures a POST of `payload` to `url`. Throws `LLMConfigurationError` when libcurl
    /// rejects an option (out of memory, a protocol it was built without).
    init(url: String, payload: [UInt8], headers: [String], endpoint: Endpoint) throws {
        guard let easy = curl_easy_init() else { throw LLMConfigurationError("libcurl could not create a handle") }
        self.easy = easy
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        for header in headers { headerList = curl_slist_append(headerList, header) }

        let me = Unmanaged.passUnretained(self).toOpaque()
        var failed: [(String, CURLcode)] = []
        func check(_ name: String, _ code: CURLcode) { if code != CURLE_OK { failed.append((name, code)) } }
        check("URL", ccurl_setopt_str(easy, CURLOPT_URL, url))
        check("protocols", ccurl_setopt_str(easy, CURLOPT_PROTOCOLS_STR, "http,https"))
        check("nosignal", ccurl_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        check("post", ccurl_setopt_long(easy, CURLOPT_POST, 1))
        check("body size", ccurl_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(payload.count)))
        payload.withUnsafeBytes { raw in
            check("body", ccurl_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress)))
        }
        check("headers", ccurl_setopt_ptr(easy, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList)))
        check("connect timeout", ccurl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(endpoint.connectTimeout)))
        check("timeout", ccurl_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(endpoint.requestTimeout)))
        check("keepalive", ccurl_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1))
        check("user agent", ccurl_setopt_str(easy, CURLOPT_USERAGENT, "recjudge-llm/1 (libcurl)"))
        if let ca = endpoint.caBundle { check("CA bundle", ccurl_setopt_str(easy, CURLOPT_CAINFO, ca)) }
        check("error buffer", ccurl_setopt_ptr(easy, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer)))
        check("write function", ccurl_setopt_datafn(easy, CURLOPT_WRITEFUNCTION, curlWriteBody))
        check("write data", ccurl_setopt_ptr(easy, CURLOPT_WRITEDATA, me))
        check("header function", ccurl_setopt_datafn(easy, CURLOPT_HEADERFUNCTION, curlReadHeader))
        check("header data", ccurl_setopt_ptr(easy, CURLOPT_HEADERDATA, me))
        if let (name, code) = failed.first {
            throw LLMConfigurationError("libcurl rejected the \(name) option: \(String(cString: curl_easy_strerror(code)))")
        }
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// The outcome once libcurl reports `code` for this transfer. Engine thread only.
    func outcome(_ code: CURLcode) -> TransferOutcome {
        let latency = started.map { seconds(ContinuousClock.now - $0) } ?? 0
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            return .failure(code: code.rawValue, message: message, bodyTooLarge: bodyTooLarge)
        }
        var status = 0
        _ = ccurl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        let retryAfter = retryAfterMsHeader.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }.map { max(0, $0 / 1000) }
            ?? retryAfterHeader.flatMap { RetryPolicy.parseRetryAfter($0) }
        var taken: [UInt8] = []
        swap(&taken, &body)
        return .response(status: status, body: taken, retryAfter: retryAfter, latency: latency)
    }

    /// Records the headers the client needs; a new status line (after `100 Continue`) starts over.
    fileprivate func header(_ line: Substring) {
        if line.hasPrefix("HTTP/") {
            retryAfterHeader = nil
            retryAfterMsHeader = nil
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        if name == "retry-after" { retryAfterHeader = value }
        if name == "retry-after-ms" { retryAfterMsHeader = value }
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        Int(min(max(seconds * 1000, 1), Double(Int32.max)).rounded(.up))
    }
}

func seconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
}

/// CURLOPT_WRITEFUNCTION: appends to the transfer's body; returning less than given makes
/// libcurl stop with CURLE_WRITE_ERROR (used for the size cap).
private let curlWriteBody: ccurl_data_fn = { data, size, count, user in
    guard let user else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
    let n = size * count
    guard n > 0, let data else { return n }
    guard transfer.body.count + n <= CurlTransfer.maxBodyBytes else {
        transfer.bodyTooLarge = true
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: n) {
        transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n))
    }
    return n
}

/// CURLOPT_HEADERFUNCTION: one complete header line per call.
private let curlReadHeader: ccurl_data_fn = { data, size, count, user in
    let n = size * count
    guard let user, let data, n > 0 else { return n }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
    // Only status lines ("HTTP/") and Retry-After matter: skip the rest without decoding it.
    let first = UInt8(bitPattern: data[0])
    if first == UInt8(ascii: "H") || first == UInt8(ascii: "R") || first == UInt8(ascii: "r") {
        let line = data.withMemoryRebound(to: UInt8.self, capacity: n) {
            String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self)
        }
        transfer.header(Substring(line))
    }
    return n
}
