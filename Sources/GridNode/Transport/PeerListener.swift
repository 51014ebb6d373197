import NIOCore
import NIOPosix

/// The TCP side of a node's gossip port: accepts the persistent links peers open to it.
final class PeerListener: Sendable {
    let channel: any Channel
    private let connections: ChannelSet

    private init(channel: any Channel, connections: ChannelSet) {
        self.channel = channel
        self.connections = connections
    }

    static func bind(
        host: String, port: Int, group: any EventLoopGroup, sink: InboundSink, maximumFrameBytes: Int
    ) async throws -> PeerListener {
        let connections = ChannelSet()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(FrameDecoder(maximumFrameBytes: maximumFrameBytes)))
                    try channel.pipeline.syncOperations.addHandler(
                        PeerInboundHandler(sink: sink, connections: connections))
                }
            }
            .bind(host: host, port: port).get()
        return PeerListener(channel: channel, connections: connections)
    }

    func close() async {
        try? await channel.close()
        await connections.closeAll()
    }
}
