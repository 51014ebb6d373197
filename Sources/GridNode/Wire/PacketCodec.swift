import Crypto
import GridCore

/// The envelope around every peer packet, datagram or stream frame:
///
///     version (1) | flags (1) | cluster tag (8) | sender id (8) | message | HMAC-SHA256 (32, if signed)
///
/// The cluster tag (a hash of the cluster name) turns away other clusters' traffic even
/// without a secret. With a secret the HMAC covers the cluster name and every byte before
/// it, so a packet cannot be forged, altered, or replayed into another cluster. The sender
/// id tells the receiver who sent a stream message (`NodeCore.receive(_:from:)` needs it).
public struct PacketCodec: Sendable {
    public static let version: UInt8 = 1
    static let headerBytes = 18
    static let signatureBytes = 32
    static let signedFlag: UInt8 = 1

    private let clusterName: [UInt8]
    private let clusterTag: [UInt8]
    /// The secret's bytes; `SymmetricKey` is rebuilt per use because it is not `Sendable`.
    private let secret: [UInt8]?

    public init(cluster: String, secret: String?) {
        self.clusterName = Array(cluster.utf8)
        self.clusterTag = Array(SHA256.hash(data: Array("gossipgrid cluster \(cluster)".utf8)).prefix(8))
        self.secret = secret.map { Array($0.utf8) }
    }

    /// Bytes the envelope adds to a message.
    public var overhead: Int { Self.headerBytes + (secret == nil ? 0 : Self.signatureBytes) }

    public func seal(_ message: [UInt8], from sender: NodeID) -> [UInt8] {
        var packet: [UInt8] = []
        packet.reserveCapacity(message.count + overhead)
        packet.append(Self.version)
        packet.append(secret == nil ? 0 : Self.signedFlag)
        packet.append(contentsOf: clusterTag)
        withUnsafeBytes(of: sender.rawValue.bigEndian) { packet.append(contentsOf: $0) }
        packet.append(contentsOf: message)
        if secret != nil { packet.append(contentsOf: signature(of: packet[...])) }
        return packet
    }

    /// The sender and message of a packet, or why it must be dropped.
    public func open(_ packet: [UInt8]) -> Result<InboundMessage, DropReason> {
        guard packet.count >= Self.headerBytes, packet[0] == Self.version else { return .failure(.malformedEnvelope) }
        let signed = packet[1] & Self.signedFlag != 0
        guard packet[1] & ~Self.signedFlag == 0 else { return .failure(.malformedEnvelope) }
        guard packet[2..<10].elementsEqual(clusterTag) else { return .failure(.foreignCluster) }
        var end = packet.count
        switch (signed, secret != nil) {
        case (false, true): return .failure(.unsigned)
        case (true, false): return .failure(.unexpectedSignature)
        case (true, true):
            guard packet.count >= Self.headerBytes + Self.signatureBytes else { return .failure(.malformedEnvelope) }
            end -= Self.signatureBytes
            guard verify(packet[..<end], signature: packet[end...]) else { return .failure(.forged) }
        case (false, false): break
        }
        let rawSender = packet[10..<18].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        do {
            let message = try WireCodec.decode(packet[Self.headerBytes..<end])
            return .success(InboundMessage(message: message, sender: rawSender == 0 ? nil : NodeID(rawSender)))
        } catch {
            return .failure(.wire(error.code))
        }
    }

    private func signature(of bytes: ArraySlice<UInt8>) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: secret ?? []))
        hmac.update(data: lengthPrefixedName)
        hmac.update(data: bytes)
        return Array(hmac.finalize())
    }

    private func verify(_ bytes: ArraySlice<UInt8>, signature: ArraySlice<UInt8>) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(
            Array(signature), authenticating: lengthPrefixedName + bytes, using: SymmetricKey(data: secret ?? []))
    }

    /// The name is length-prefixed so that no name/packet split can be read two ways.
    private var lengthPrefixedName: [UInt8] {
        [UInt8(truncatingIfNeeded: clusterName.count >> 8), UInt8(truncatingIfNeeded: clusterName.count)] + clusterName
    }
}
