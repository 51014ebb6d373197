import NIOCore

/// Reads datagrams into the node's inbox.
final class GossipInboundHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let sink: InboundSink

    init(sink: InboundSink) {
        self.sink = sink
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let datagram = unwrapInboundIn(data).data
        sink.deliver(Array(datagram.readableBytesView), on: .gossip, wireBytes: datagram.readableBytes)
    }

    /// A datagram socket outlives errors about single packets (an unreachable peer's ICMP
    /// answer, for one); closing it would silence the node.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
