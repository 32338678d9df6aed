import FlyingFox
import FlyingSocks
import Foundation

/// FlyingFox's socket pool with TCP_NODELAY switched on for every socket it waits on.
///
/// FlyingFox writes a response's header and body separately and never disables Nagle's
/// algorithm, so on a keep-alive connection the body waits for the client's delayed ACK
/// (about 40 ms on Linux), halving the throughput of a 50 ms fake model. Real servers
/// (uvicorn, vLLM, llama.cpp) set TCP_NODELAY; this makes the fake do the same. The
/// listening socket gets it too, so accepted sockets inherit it from their first byte.
struct NoDelaySocketPool<Base: AsyncSocketPool>: AsyncSocketPool {
    let base: Base

    func prepare() async throws { try await base.prepare() }

    func run() async throws { try await base.run() }

    func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        try? socket.setValue(true, for: BoolSocketOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY))
        try await base.suspendSocket(socket, untilReadyFor: events)
    }
}
