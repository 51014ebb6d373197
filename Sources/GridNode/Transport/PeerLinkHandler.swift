import NIOCore

/// Watches one outbound link's connection for the link: when the socket drains, when it
/// closes. Peers never answer on this connection (they answer on their own link), so
/// anything read is discarded.
final class PeerLinkHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let link: PeerLink

    init(link: PeerLink) {
        self.link = link
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { link.writable(context.channel) }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        link.disconnected(context.channel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
