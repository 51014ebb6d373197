import NIOCore
import NIOPosix
import Synchronization

/// The UDP side of a node's gossip port.
///
/// NIO closes a datagram channel on any send error, and a route to one peer that turns
/// into a blackhole (or a network that goes unreachable) makes `sendmsg` fail. A node
/// whose gossip socket closed would never gossip again, so the socket binds the same port
/// anew whenever its channel closes without `close()` having been called.
final class GossipSocket: Sendable {
    /// Room for the largest datagram the codec allows plus the envelope.
    static let receiveBufferBytes = 66_000

    private struct State {
        var channel: any Channel
        var closing = false
    }

    private let state: Mutex<State>
    private let host: String
    /// The bound port, which a reopened socket binds again.
    let port: Int?
    private let group: any EventLoopGroup
    private let sink: InboundSink
    /// Called after each reopening, for metrics and logs.
    private let reopened: @Sendable () -> Void

    private init(
        channel: any Channel, host: String, group: any EventLoopGroup, sink: InboundSink,
        reopened: @escaping @Sendable () -> Void
    ) {
        self.state = Mutex(State(channel: channel))
        self.host = host
        self.port = channel.localAddress?.port
        self.group = group
        self.sink = sink
        self.reopened = reopened
    }

    static func bind(
        host: String, port: Int, group: any EventLoopGroup, sink: InboundSink,
        reopened: @escaping @Sendable () -> Void
    ) async throws -> GossipSocket {
        let channel = try await open(host: host, port: port, group: group, sink: sink)
        let socket = GossipSocket(channel: channel, host: host, group: group, sink: sink, reopened: reopened)
        socket.reopenWhenClosed(channel)
        return socket
    }

    private static func open(
        host: String, port: Int, group: any EventLoopGroup, sink: InboundSink
    ) async throws
        -> any Channel
    {
        try await DatagramBootstrap(group: group)
            // NIO reads datagrams into 2 KiB buffers by default and would truncate gossip.
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: receiveBufferBytes))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(GossipInboundHandler(sink: sink))
                }
            }
            .bind(host: host, port: port).get()
    }

    private func reopenWhenClosed(_ channel: any Channel) {
        channel.closeFuture.whenComplete { [self] _ in
            guard !state.withLock({ $0.closing }), let port else { return }
            Task { await reopen(port: port) }
        }
    }

    /// Binds the port again, retrying while something else briefly holds it.
    private func reopen(port: Int) async {
        while !state.withLock({ $0.closing }) {
            do {
                let channel = try await Self.open(host: host, port: port, group: group, sink: sink)
                let replaced = state.withLock { state -> Bool in
                    guard !state.closing else { return false }
                    state.channel = channel
                    return true
                }
                guard replaced else {
                    try? await channel.close()
                    return
                }
                reopenWhenClosed(channel)
                reopened()
                return
            } catch {
                // Pacing between attempts to bind a port another process may hold for a moment.
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    func send(_ packet: [UInt8], to address: SocketAddress) {
        let envelope = AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: packet))
        state.withLock { $0.channel }.writeAndFlush(envelope, promise: nil)
    }

    func close() async {
        let channel = state.withLock { state in
            state.closing = true
            return state.channel
        }
        try? await channel.close()
    }
}
