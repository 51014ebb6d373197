/// The binary form of every peer message and of the persisted `NodeMetadata`.
///
/// A frame is the magic bytes "GG", the format version, a tag naming what follows, then
/// the body. Integers are LEB128 varints (zigzag when signed), strings a length and
/// validated UTF-8, optionals a presence byte, and partition maps sorted by key, so that
/// one value always has one encoding. Decoding never trusts a length: every count is
/// checked against its limit and against the bytes left, and any malformed input comes
/// back as a `WireError`.
///
/// `encode` does not enforce the limits; a sender that may exceed them checks the size
/// against `byteLimit(for:)`, because the receiver will drop what does not fit.
public enum WireCodec {
    public static let magic: [UInt8] = Array("GG".utf8)
    /// Bumped on any change to the layout; a node refuses versions it does not know.
    public static let formatVersion: UInt8 = 1

    /// The largest gossip datagram (gossip, gossip replies, announcements): under the
    /// UDP payload limit with room left for a signature.
    public static let maximumDatagramBytes = 65_000
    /// The largest message on the peer stream, header included.
    public static let maximumFrameBytes = 4 << 20
    /// The largest persisted `NodeMetadata`: a full 65 536-partition table must fit.
    public static let maximumMetadataBytes = 16 << 20

    /// Item values and the free-text reasons of failures.
    public static let maximumValueBytes = 64 << 10
    /// Every other string: keys, addresses, cluster names, failure codes.
    public static let maximumStringBytes = 1 << 10

    /// Node records in a gossip reply, and digest entries in a gossip round.
    public static let maximumRecords = 4_096
    /// Log entries in one replicate or sync reply.
    public static let maximumEntries = 4_096
    /// Items in one read result or snapshot chunk.
    public static let maximumItems = 4_096
    /// Entries in any map keyed by partition.
    public static let maximumPartitions = 65_536

    /// The size above which a receiver drops `message`.
    public static func byteLimit(for message: PeerMessage) -> Int {
        message.travelsOnStream ? maximumFrameBytes : maximumDatagramBytes
    }

    /// How many of `records`, taken in order, fit in `reply` (sent without records) before
    /// it outgrows a datagram.
    static func recordCount(fitting records: [SimpleNode], into reply: GossipReply) -> Int {
        // A probe's reply has no records to fit, and every leader sends a majority a probe a round.
        guard !records.isEmpty else { return 0 }
        // The empty reply holds a one-byte record count; `maximumRecords` needs two.
        let budget = maximumDatagramBytes - encode(.gossipReply(reply)).count - 1
        var writer = WireWriter()
        var count = 0
        for record in records.prefix(maximumRecords) {
            writer.write(record)
            guard writer.bytes.count <= budget else { break }
            count += 1
        }
        return count
    }

    public static func encode(_ message: PeerMessage) -> [UInt8] {
        var writer = frameWriter(tag: Tag(message))
        switch message {
        case .gossip(let gossip):
            writer.write(gossip)
        case .gossipReply(let reply):
            writer.write(reply)
        case .announce(let config, let record):
            writer.write(config)
            writer.write(record)
        case .replicate(let replicate):
            writer.write(replicate)
        case .replicateAck(let ack):
            writer.write(ack)
        case .syncRequest(let request):
            writer.write(request)
        case .syncReply(let reply):
            writer.write(reply)
        case .snapshotChunk(let chunk):
            writer.write(chunk)
        case .snapshotRequest(let request):
            writer.write(request)
        case .forward(let id, let request):
            writer.writeUnsigned(id)
            writer.write(request)
        case .forwardReply(let id, let response):
            writer.writeUnsigned(id)
            writer.write(response)
        case .refuse(let partition, let lock, let promised):
            writer.writeInt(partition)
            writer.write(lock)
            writer.write(promised)
        }
        return writer.bytes
    }

    public static func decode(_ bytes: some Collection<UInt8>) throws(WireError) -> PeerMessage {
        try checkSize(bytes.count, limit: maximumFrameBytes)
        var reader = WireReader(Array(bytes))
        let tag = try readHeader(&reader)
        if tag.isDatagram { try checkSize(bytes.count, limit: maximumDatagramBytes) }
        let message: PeerMessage
        switch tag {
        case .gossip: message = .gossip(try reader.read())
        case .gossipReply: message = .gossipReply(try reader.read())
        case .announce: message = .announce(config: try reader.read(), record: try reader.read())
        case .replicate: message = .replicate(try reader.read())
        case .replicateAck: message = .replicateAck(try reader.read())
        case .syncRequest: message = .syncRequest(try reader.read())
        case .syncReply: message = .syncReply(try reader.read())
        case .snapshotChunk: message = .snapshotChunk(try reader.read())
        case .snapshotRequest: message = .snapshotRequest(try reader.read())
        case .forward: message = .forward(id: try reader.readUnsigned(), request: try reader.read())
        case .forwardReply: message = .forwardReply(id: try reader.readUnsigned(), response: try reader.read())
        case .refuse:
            message = .refuse(partition: try reader.readInt(), lock: try reader.read(), promised: try reader.read())
        case .metadata: throw WireError(.unknownTag, "node metadata is not a peer message")
        }
        try reader.expectEnd()
        return message
    }

    public static func encode(_ metadata: NodeMetadata) -> [UInt8] {
        var writer = frameWriter(tag: .metadata)
        writer.write(metadata)
        return writer.bytes
    }

    public static func decodeMetadata(_ bytes: some Collection<UInt8>) throws(WireError) -> NodeMetadata {
        try checkSize(bytes.count, limit: maximumMetadataBytes)
        var reader = WireReader(Array(bytes))
        guard try readHeader(&reader) == .metadata else {
            throw WireError(.unknownTag, "a peer message is not node metadata")
        }
        let metadata: NodeMetadata = try reader.read()
        try reader.expectEnd()
        return metadata
    }

    /// What a frame holds. Metadata shares the framing so that a blob of one kind is
    /// never mistaken for the other.
    private enum Tag: UInt8 {
        case gossip = 1
        case gossipReply = 2
        case announce = 3
        case replicate = 4
        case replicateAck = 5
        case syncRequest = 6
        case syncReply = 7
        case forward = 8
        case forwardReply = 9
        case refuse = 10
        case snapshotChunk = 11
        case snapshotRequest = 12
        case metadata = 0x4D

        init(_ message: PeerMessage) {
            switch message {
            case .gossip: self = .gossip
            case .gossipReply: self = .gossipReply
            case .announce: self = .announce
            case .replicate: self = .replicate
            case .replicateAck: self = .replicateAck
            case .syncRequest: self = .syncRequest
            case .syncReply: self = .syncReply
            case .forward: self = .forward
            case .forwardReply: self = .forwardReply
            case .refuse: self = .refuse
            case .snapshotChunk: self = .snapshotChunk
            case .snapshotRequest: self = .snapshotRequest
            }
        }

        var isDatagram: Bool {
            switch self {
            case .gossip, .gossipReply, .announce, .refuse: true
            default: false
            }
        }
    }

    private static func frameWriter(tag: Tag) -> WireWriter {
        var writer = WireWriter()
        writer.writeBytes(magic)
        writer.writeByte(formatVersion)
        writer.writeByte(tag.rawValue)
        return writer
    }

    private static func readHeader(_ reader: inout WireReader) throws(WireError) -> Tag {
        for expected in magic {
            let byte = try reader.readByte()
            guard byte == expected else { throw WireError(.badMagic, "frame does not start with \"GG\"") }
        }
        let version = try reader.readByte()
        guard version == formatVersion else {
            throw WireError(.unsupportedVersion, "format version \(version) is not \(formatVersion)")
        }
        let rawTag = try reader.readByte()
        guard let tag = Tag(rawValue: rawTag) else { throw WireError(.unknownTag, "unknown message tag \(rawTag)") }
        return tag
    }

    private static func checkSize(_ count: Int, limit: Int) throws(WireError) {
        guard count <= limit else { throw WireError(.tooLarge, "\(count) bytes exceed the limit of \(limit)") }
    }
}

/// Why bytes could not be decoded. `code` is stable and meant for counters and logs;
/// `message` says what exactly was wrong, for people.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable, CaseIterable {
        case truncated
        case badMagic = "bad_magic"
        case unsupportedVersion = "unsupported_version"
        case unknownTag = "unknown_tag"
        case tooLarge = "too_large"
        case invalidUTF8 = "invalid_utf8"
        case trailingBytes = "trailing_bytes"
        case invalidValue = "invalid_value"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
