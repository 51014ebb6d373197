import GridCore
import Logging
import NIOCore
import Synchronization

/// The node's outbound links, one per destination.
final class PeerLinks: Sendable {
    private struct State {
        var links: [Destination: PeerLink] = [:]
        var closed = false
    }

    private let state = Mutex(State())
    private let group: any EventLoopGroup
    private let limits: PeerLinkLimits
    private let metrics: NodeMetrics
    private let logger: Logger

    init(group: any EventLoopGroup, limits: PeerLinkLimits, metrics: NodeMetrics, logger: Logger) {
        self.group = group
        self.limits = limits
        self.metrics = metrics
        self.logger = logger
    }

    func send(_ frame: ByteBuffer, to destination: Destination, address: SocketAddress) {
        let link = state.withLock { state -> PeerLink? in
            guard !state.closed else { return nil }
            if let link = state.links[destination] { return link }
            let link = PeerLink(address: address, group: group, limits: limits, metrics: metrics, logger: logger)
            state.links[destination] = link
            return link
        }
        link?.send(frame, to: address)
    }

    func closeAll(graceful: Bool) async {
        let links = state.withLock { state in
            state.closed = true
            defer { state.links = [:] }
            return Array(state.links.values)
        }
        await withTaskGroup(of: Void.self) { group in
            for link in links { group.addTask { await link.close(graceful: graceful) } }
        }
    }
}
