import GridCore
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import GridNode

/// A send error closes a NIO datagram channel; the gossip socket must come back on its
/// port, or the node would never gossip again (found by `gossipgrid nemesis`: a blackhole
/// route to one cut-off peer silenced every node that sent to it).
@Suite struct GossipSocketTests {
    @Test func aSendErrorReopensTheSocketOnItsPort() async throws {
        let codec = PacketCodec(cluster: "alpha", secret: nil)
        let (messages, inbox) = AsyncStream.makeStream(of: Arrival.self)
        let sink = InboundSink(
            codec: codec, metrics: NodeMetrics(), inbox: inbox,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let reopenings = Atomic<Int>(0)
        let socket = try await GossipSocket.bind(
            host: "127.0.0.1", port: 0, group: MultiThreadedEventLoopGroup.singleton, sink: sink,
            reopened: { reopenings.add(1, ordering: .relaxed) })
        let port = try #require(socket.port)

        // Broadcasting without SO_BROADCAST fails with EACCES, which closes the channel.
        socket.send([1, 2, 3], to: try SocketAddress(ipAddress: "255.255.255.255", port: 9))
        let reopened = await eventually(timeout: .seconds(20), interval: .milliseconds(10)) {
            reopenings.load(ordering: .relaxed) >= 1
        }
        #expect(reopened)

        // The reopened socket receives on the same port and sends again.
        let message = PeerMessage.syncRequest(SyncRequest(partition: 1, after: .start))
        let received = Mutex<PeerMessage?>(nil)
        let receiver = Task {
            for await arrival in messages {
                received.withLock { $0 = arrival.message.message }
                return
            }
        }
        let packet = codec.seal(WireCodec.encode(message), from: NodeID(7))
        socket.send(packet, to: try SocketAddress(ipAddress: "127.0.0.1", port: port))
        let delivered = await eventually(timeout: .seconds(20), interval: .milliseconds(10)) {
            received.withLock { $0 } != nil
        }
        inbox.finish()
        await receiver.value
        await socket.close()
        #expect(delivered, "nothing arrived on the reopened socket")
        #expect(received.withLock { $0 } == message)
    }
}
