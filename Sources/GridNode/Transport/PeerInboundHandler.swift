import NIOCore

/// Reads frames from one accepted peer connection into the node's inbox.
final class PeerInboundHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let sink: InboundSink
    private let connections: ChannelSet

    init(sink: InboundSink, connections: ChannelSet) {
        self.sink = sink
        self.connections = connections
    }

    func channelActive(context: ChannelHandlerContext) {
        connections.insert(context.channel)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connections.remove(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        sink.deliver(
            Array(frame.readableBytesView), on: .stream, wireBytes: frame.readableBytes + FrameDecoder.lengthBytes)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is FrameTooLarge { sink.drop(.frameTooLarge, .stream) }
        context.close(promise: nil)
    }
}
