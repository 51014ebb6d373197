import NIOCore

/// A node's gossip port: UDP for gossip and TCP for peer links on one port number, so a
/// record needs a single address.
struct PeerSockets: Sendable {
    /// How often to try another OS-picked port whose TCP side turned out to be taken.
    static let bindAttempts = 16

    let gossip: GossipSocket
    let listener: PeerListener
    let port: Int

    static func bind(
        host: String, port: Int, group: any EventLoopGroup, sink: InboundSink, maximumFrameBytes: Int,
        gossipReopened: @escaping @Sendable () -> Void
    ) async throws -> PeerSockets {
        var attempt = 1
        while true {
            let gossip = try await GossipSocket.bind(
                host: host, port: port, group: group, sink: sink, reopened: gossipReopened)
            let bound = gossip.port ?? port
            do {
                let listener = try await PeerListener.bind(
                    host: host, port: bound, group: group, sink: sink, maximumFrameBytes: maximumFrameBytes)
                return PeerSockets(gossip: gossip, listener: listener, port: bound)
            } catch {
                await gossip.close()
                // Only a port the OS picked for UDP may be traded for another one.
                guard port == 0, attempt < bindAttempts else { throw error }
                attempt += 1
            }
        }
    }

    func close() async {
        await listener.close()
        await gossip.close()
    }
}
