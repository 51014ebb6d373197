import NIOCore
import NIOPosix

/// The UDP side of a node's gossip port.
final class GossipSocket: Sendable {
    /// Room for the largest datagram the codec allows plus the envelope.
    static let receiveBufferBytes = 66_000

    let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func bind(host: String, port: Int, group: any EventLoopGroup, sink: InboundSink) async throws -> GossipSocket
    {
        let channel = try await DatagramBootstrap(group: group)
            // NIO reads datagrams into 2 KiB buffers by default and would truncate gossip.
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: receiveBufferBytes))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(GossipInboundHandler(sink: sink))
                }
            }
            .bind(host: host, port: port).get()
        return GossipSocket(channel: channel)
    }

    var port: Int? { channel.localAddress?.port }

    func send(_ packet: [UInt8], to address: SocketAddress) {
        let envelope = AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: packet))
        channel.writeAndFlush(envelope, promise: nil)
    }

    func close() async {
        try? await channel.close()
    }
}
