import GridCore
import Testing

@testable import GridNode

@Suite("Packet envelope")
struct PacketCodecTests {
    static let sender = NodeID(0x0123_4567_89ab_cdef)
    static let message = PeerMessage.syncRequest(
        SyncRequest(partition: 7, after: LogPosition(epoch: Epoch(rawValue: 3 << 10), lsn: 12)))

    @Test(arguments: [nil, "s3cret"])
    func sealedPacketsOpenToTheSameMessageAndSender(secret: String?) throws {
        let codec = PacketCodec(cluster: "alpha", secret: secret)
        let packet = codec.seal(WireCodec.encode(Self.message), from: Self.sender)
        #expect(packet.count == WireCodec.encode(Self.message).count + codec.overhead)
        #expect(try codec.open(packet).get() == InboundMessage(message: Self.message, sender: Self.sender))
    }

    @Test func anotherClustersPacketsAreForeign() {
        let packet = PacketCodec(cluster: "beta", secret: nil).seal(WireCodec.encode(Self.message), from: Self.sender)
        #expect(PacketCodec(cluster: "alpha", secret: nil).open(packet) == .failure(.foreignCluster))
    }

    @Test func signaturesAreCheckedAndRequired() {
        let message = WireCodec.encode(Self.message)
        let node = PacketCodec(cluster: "alpha", secret: "right")
        let forged = PacketCodec(cluster: "alpha", secret: "wrong").seal(message, from: Self.sender)
        #expect(node.open(forged) == .failure(.forged))
        let unsigned = PacketCodec(cluster: "alpha", secret: nil).seal(message, from: Self.sender)
        #expect(node.open(unsigned) == .failure(.unsigned))
        #expect(PacketCodec(cluster: "alpha", secret: nil).open(forged) == .failure(.unexpectedSignature))
    }

    @Test func anyAlteredByteBreaksTheSignature() {
        let codec = PacketCodec(cluster: "alpha", secret: "right")
        let packet = codec.seal(WireCodec.encode(Self.message), from: Self.sender)
        for index in [10, 17, 18, packet.count - 33, packet.count - 1] {
            var altered = packet
            altered[index] ^= 0x40
            #expect(codec.open(altered) == .failure(.forged), "byte \(index)")
        }
    }

    @Test func garbageIsDroppedWithAReason() {
        let codec = PacketCodec(cluster: "alpha", secret: nil)
        #expect(codec.open([]) == .failure(.malformedEnvelope))
        #expect(codec.open([1, 2, 3]) == .failure(.malformedEnvelope))
        var wrongVersion = codec.seal(WireCodec.encode(Self.message), from: Self.sender)
        wrongVersion[0] = 9
        #expect(codec.open(wrongVersion) == .failure(.malformedEnvelope))
        let notAMessage = codec.seal(Array("hello, world".utf8), from: Self.sender)
        #expect(codec.open(notAMessage) == .failure(.wire(.badMagic)))
        let truncated = codec.seal(Array(WireCodec.encode(Self.message).dropLast(2)), from: Self.sender)
        #expect(codec.open(truncated) == .failure(.wire(.truncated)))
    }

    @Test func anAnonymousSenderOpensAsNil() throws {
        let codec = PacketCodec(cluster: "alpha", secret: nil)
        let packet = codec.seal(WireCodec.encode(Self.message), from: NodeID(0))
        #expect(try codec.open(packet).get().sender == nil)
    }
}

@Suite("Host:port")
struct HostPortTests {
    @Test func parsesNamesAddressesAndBracketedIPv6() {
        #expect(HostPort("127.0.0.1:7000") == HostPort(host: "127.0.0.1", port: 7000))
        #expect(HostPort("node-1.example:0") == HostPort(host: "node-1.example", port: 0))
        #expect(HostPort("[::1]:9000") == HostPort(host: "::1", port: 9000))
        #expect(HostPort(host: "::1", port: 9000).description == "[::1]:9000")
    }

    @Test(arguments: ["", "host", ":80", "host:", "host:x", "host:70000", "::1:80", "[::1]80"])
    func refusesMalformedAddresses(text: String) {
        #expect(HostPort(text) == nil)
    }
}
