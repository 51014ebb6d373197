import GridCore
import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import GridNode

/// The peer stream's receiving side, bytes in: frames split and reassembled, anything
/// malformed dropped and counted, an oversized length refused before it is buffered.
@Suite("Peer stream decoding")
struct FrameDecodingTests {
    static let sender = NodeID(42)
    static let message = PeerMessage.forwardReply(
        id: 9, response: .failed(.locked(partition: 3, retryAfterMilliseconds: 400)))

    final class Harness {
        let channel = EmbeddedChannel()
        let metrics = NodeMetrics()
        let codec: PacketCodec
        let messages: AsyncStream<Arrival>
        private let inbox: AsyncStream<Arrival>.Continuation

        init(secret: String? = nil) throws {
            codec = PacketCodec(cluster: "alpha", secret: secret)
            (messages, inbox) = AsyncStream.makeStream(of: Arrival.self)
            let sink = InboundSink(
                codec: codec, metrics: metrics, inbox: inbox,
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            try channel.pipeline.syncOperations.addHandler(
                ByteToMessageHandler(FrameDecoder(maximumFrameBytes: WireCodec.maximumFrameBytes + codec.overhead)))
            try channel.pipeline.syncOperations.addHandler(PeerInboundHandler(sink: sink, connections: ChannelSet()))
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        }

        func feed(_ bytes: [UInt8]) throws {
            try channel.writeInbound(ByteBuffer(bytes: bytes))
        }

        /// Everything delivered so far (the inbox is closed first, so this returns).
        func received() async -> [InboundMessage] {
            inbox.finish()
            var collected: [InboundMessage] = []
            for await arrival in messages { collected.append(arrival.message) }
            return collected
        }

        func dropped(_ reason: DropReason) -> Double {
            MetricsText.value(
                "gossipgrid_dropped_packets_total", "reason=\"\(reason.label)\"", in: metrics.exposition())
        }

        func framed(
            _ message: PeerMessage, from sender: NodeID = FrameDecodingTests.sender, codec: PacketCodec? = nil
        )
            -> [UInt8]
        {
            Array(
                FrameDecoder.frame((codec ?? self.codec).seal(WireCodec.encode(message), from: sender))
                    .readableBytesView)
        }
    }

    @Test func framesSplitAnywhereAreReassembledInOrder() async throws {
        let harness = try Harness()
        let second = PeerMessage.syncRequest(SyncRequest(partition: 1, after: .start))
        let bytes = harness.framed(Self.message) + harness.framed(second)
        for chunk in stride(from: 0, to: bytes.count, by: 3) {
            try harness.feed(Array(bytes[chunk..<min(bytes.count, chunk + 3)]))
        }
        #expect(
            await harness.received() == [
                InboundMessage(message: Self.message, sender: Self.sender),
                InboundMessage(message: second, sender: Self.sender),
            ])
        #expect(harness.channel.isActive)
    }

    @Test func garbageAndForgedFramesAreCountedAndTheStreamGoesOn() async throws {
        let harness = try Harness(secret: "right")
        let forger = PacketCodec(cluster: "alpha", secret: "wrong")
        try harness.feed(harness.framed(Self.message, codec: forger))
        try harness.feed(Array(FrameDecoder.frame([0xde, 0xad, 0xbe, 0xef]).readableBytesView))
        try harness.feed(harness.framed(Self.message, codec: PacketCodec(cluster: "other", secret: "right")))
        try harness.feed(harness.framed(Self.message))
        #expect(await harness.received() == [InboundMessage(message: Self.message, sender: Self.sender)])
        #expect(harness.dropped(.forged) == 1)
        #expect(harness.dropped(.malformedEnvelope) == 1)
        #expect(harness.dropped(.foreignCluster) == 1)
        #expect(harness.channel.isActive)
    }

    @Test func anOversizedLengthClosesTheConnectionBeforeBuffering() async throws {
        let harness = try Harness()
        // Only the length prefix arrives: the refusal cannot depend on the body being there.
        let declared = UInt32(WireCodec.maximumFrameBytes + harness.codec.overhead + 1)
        let prefix = withUnsafeBytes(of: declared.bigEndian) { Array($0) }
        _ = try? harness.feed(prefix)
        #expect(harness.dropped(.frameTooLarge) == 1)
        #expect(!harness.channel.isActive)
        #expect(await harness.received().isEmpty)
    }

    @Test func malformedMessagesInsideAValidEnvelopeAreCountedByWireCode() async throws {
        let harness = try Harness()
        var payload = WireCodec.encode(Self.message)
        payload.append(0)
        try harness.feed(Array(FrameDecoder.frame(harness.codec.seal(payload, from: Self.sender)).readableBytesView))
        #expect(await harness.received().isEmpty)
        #expect(harness.dropped(.wire(.trailingBytes)) == 1)
    }
}
