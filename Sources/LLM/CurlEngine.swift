import CCurl
import Foundation

/// libcurl's global state, initialised once before the first handle (Swift globals are lazy
/// and thread-safe).
let curlGlobalInit: CURLcode = ccurl_global_init_default()

/// Runs transfers concurrently on one curl multi handle, driven by ONE dedicated thread.
///
/// Callers hand transfers over through a lock-protected queue and `curl_multi_wakeup`; the
/// thread adds at most `maxActive` of them to the multi handle (the rest wait in FIFO order),
/// drives them with `curl_multi_perform` / `curl_multi_poll`, and resumes each caller's
/// continuation exactly once. Connections are kept in the multi handle's cache and reused.
/// No caller ever blocks: the cooperative pool only builds requests and parses answers.
final class CurlEngine: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    private let maxActive: Int
    private let lock = NSLock()
    private let exited = DispatchSemaphore(value: 0)
    private weak var thread: Thread?  // weak: the running thread retains itself and us

    // Guarded by `lock`.
    private var submitted: [CurlTransfer] = []
    private var cancelRequests: [CurlTransfer] = []
    private var stopping = false

    // Engine thread only.
    private var waiting: [CurlTransfer] = []
    private var waitingHead = 0
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(maxActive: Int) throws {
        guard curlGlobalInit == CURLE_OK else { throw LLMConfigurationError("libcurl failed to initialise") }
        guard let multi = curl_multi_init() else { throw LLMConfigurationError("libcurl could not create a multi handle") }
        self.multi = multi
        self.maxActive = maxActive
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxActive)
        let thread = Thread { [self] in run() }
        thread.name = "recjudge-curl"
        self.thread = thread
        thread.start()
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    /// Runs `transfer` to completion. Cancelling the calling task removes it from libcurl
    /// (wherever it is: queued, connecting or receiving) and returns `.cancelled`.
    func perform(_ transfer: CurlTransfer) async -> TransferOutcome {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<TransferOutcome, Never>) in
                submit(transfer, continuation)
            }
        } onCancel: {
            requestCancel(transfer)
        }
    }

    /// Stops the thread: queued and running transfers end with `.cancelled`, later ones at
    /// once. The first call waits until the thread has let go of every transfer.
    func shutdown() {
        lock.lock()
        let first = !stopping
        stopping = true
        lock.unlock()
        guard first else { return }
        curl_multi_wakeup(multi)
        if Thread.current !== thread { exited.wait() }
    }

    private func submit(_ transfer: CurlTransfer, _ continuation: CheckedContinuation<TransferOutcome, Never>) {
        lock.lock()
        if stopping || transfer.cancelRequested {
            lock.unlock()
            continuation.resume(returning: .cancelled)
            return
        }
        transfer.continuation = continuation
        let wake = submitted.isEmpty && cancelRequests.isEmpty
        submitted.append(transfer)
        lock.unlock()
        // A wakeup is sticky until the next poll, so one per non-empty queue is enough.
        if wake { curl_multi_wakeup(multi) }
    }

    private func requestCancel(_ transfer: CurlTransfer) {
        lock.lock()
        transfer.cancelRequested = true
        let wake = submitted.isEmpty && cancelRequests.isEmpty && !stopping
        cancelRequests.append(transfer)
        lock.unlock()
        if wake { curl_multi_wakeup(multi) }
    }

    // MARK: the engine thread

    private func run() {
        var incoming: [CurlTransfer] = []
        var cancels: [CurlTransfer] = []
        while true {
            lock.lock()
            swap(&incoming, &submitted)
            swap(&cancels, &cancelRequests)
            let stop = stopping
            lock.unlock()

            waiting.append(contentsOf: incoming)
            incoming.removeAll(keepingCapacity: true)
            for transfer in cancels { cancel(transfer) }
            cancels.removeAll(keepingCapacity: true)
            if stop { break }

            startWaiting()
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            if collectFinished() && hasWaiting { continue }  // free slots: start the next ones now
            var ready: Int32 = 0
            curl_multi_poll(multi, nil, 0, 5_000, &ready)
        }
        for transfer in active.values {
            curl_multi_remove_handle(multi, transfer.easy)
            finish(transfer, .cancelled)
        }
        active.removeAll()
        for transfer in waiting[waitingHead...] { finish(transfer, .cancelled) }
        waiting.removeAll()
        exited.signal()
    }

    private var hasWaiting: Bool { waitingHead < waiting.count && active.count < maxActive }

    private func startWaiting() {
        while active.count < maxActive, waitingHead < waiting.count {
            let transfer = waiting[waitingHead]
            waitingHead += 1
            if transfer.finished { continue }  // cancelled while queued
            let code = curl_multi_add_handle(multi, transfer.easy)
            guard code == CURLM_OK else {
                let message = String(cString: curl_multi_strerror(code))
                finish(transfer, .failure(code: CURLE_FAILED_INIT.rawValue, message: message, bodyTooLarge: false))
                continue
            }
            transfer.started = .now
            active[transfer.easy] = transfer
        }
        if waitingHead > 256, waitingHead * 2 > waiting.count {
            waiting.removeFirst(waitingHead)
            waitingHead = 0
        }
    }

    /// Completes every transfer libcurl reports done; true if any finished.
    private func collectFinished() -> Bool {
        var any = false
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                  let transfer = active.removeValue(forKey: easy) else { continue }
            let code = ccurl_msg_result(message)  // read before removal invalidates the message
            curl_multi_remove_handle(multi, easy)
            finish(transfer, transfer.outcome(code))
            any = true
        }
        return any
    }

    private func cancel(_ transfer: CurlTransfer) {
        guard !transfer.finished else { return }
        if active.removeValue(forKey: transfer.easy) != nil {
            curl_multi_remove_handle(multi, transfer.easy)
        }
        finish(transfer, .cancelled)  // a queued one is skipped by startWaiting
    }

    private func finish(_ transfer: CurlTransfer, _ outcome: TransferOutcome) {
        guard !transfer.finished else { return }
        transfer.finished = true
        let continuation = transfer.continuation
        transfer.continuation = nil
        continuation?.resume(returning: outcome)
    }
}
