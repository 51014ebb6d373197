import GridCore
import Logging
import NIOCore

/// Everything a node talks through: the gossip port (UDP and TCP), its outbound peer
/// links, and the HTTP API.
struct NodeIO: Sendable {
    let codec: PacketCodec
    let sockets: PeerSockets
    let links: PeerLinks
    let resolver = AddressResolver()
    let http: HTTPServer

    /// Binds the gossip port, then the HTTP port; on failure nothing stays bound.
    static func bind(
        options: NodeOptions, codec: PacketCodec, sink: InboundSink, api: LateNodeAPI, node: NodeID,
        metrics: NodeMetrics, group: any EventLoopGroup, logger: Logger
    ) async throws -> NodeIO {
        let sockets = try await PeerSockets.bind(
            host: options.gossip.host, port: options.gossip.port, group: group, sink: sink,
            maximumFrameBytes: WireCodec.maximumFrameBytes + codec.overhead,
            gossipReopened: {
                metrics.failedSend(.gossipSocketReopened)
                logger.warning("a failed send closed the gossip socket; it was bound again")
            })
        do {
            let router = APIRouter.make(
                api: api, token: options.token, limits: options.limits, node: node.description)
            let http = try await HTTPServer.start(
                host: options.http.host, port: options.http.port, router: router, group: group, logger: logger)
            let links = PeerLinks(group: group, limits: options.peerLinks, metrics: metrics, logger: logger)
            return NodeIO(codec: codec, sockets: sockets, links: links, http: http)
        } catch {
            await sockets.close()
            throw error
        }
    }

    /// Graceful: requests in flight finish and queued peer frames go out first. Crash:
    /// every socket closes at once.
    func close(_ mode: StopMode, logger: Logger) async {
        switch mode {
        case .graceful:
            let clock = ContinuousClock()
            let start = clock.now
            await http.stop(graceful: true)
            logger.debug("http stopped", metadata: ["after": "\(clock.now - start)"])
            await links.closeAll(graceful: true)
            logger.debug("peer links closed", metadata: ["after": "\(clock.now - start)"])
            await sockets.close()
        case .crash:
            async let http: Void = http.stop(graceful: false)
            async let links: Void = links.closeAll(graceful: false)
            async let sockets: Void = sockets.close()
            _ = await (http, links, sockets)
        }
    }
}
