import Testing

@testable import GridCore

/// Round trips, canonical bytes, limits, and hostile input for `WireCodec`.
struct WireCodecTests {
    @Test(arguments: Sample.messages)
    func messageRoundTrips(_ message: PeerMessage) throws {
        let bytes = WireCodec.encode(message)
        #expect(try WireCodec.decode(bytes) == message)
        #expect(try WireCodec.decode(bytes[...]) == message)
        #expect(bytes.count <= WireCodec.byteLimit(for: message))
    }

    @Test func samplesCoverEveryCase() {
        let covered = Sample.messages.reduce(into: Set<String>()) { $0.formUnion(caseNames($1)) }
        let expected: Set<String> = [
            "gossip", "gossipReply", "announce", "replicate", "replicateAck", "syncRequest", "syncReply", "forward",
            "refuse", "snapshotChunk", "snapshotRequest", "purpose.replication", "purpose.sync",
            "forwardReply", "request.write", "request.read", "request.resize", "response.written", "response.read",
            "response.resized", "response.failed", "failure.locked", "failure.unavailable", "failure.indeterminate",
            "failure.resizeRejected", "failure.invalid", "mutation.put", "mutation.delete", "mutation.deleteAll",
        ]
        #expect(covered == expected)
    }

    @Test func metadataRoundTrips() throws {
        let bare = NodeMetadata(nodeID: NodeID(1))
        let full = NodeMetadata(
            nodeID: NodeID(.max), incarnation: .max, slot: 1_023, config: Sample.config,
            epochs: Dictionary(uniqueKeysWithValues: (0..<65_536).map { ($0, Epoch(rawValue: UInt64($0) << 10 | 3)) }),
            lockedPartitions: Sample.fullNode.lockedPartitions, leading: Sample.fullNode.leading
        )
        for metadata in [bare, full] {
            let bytes = WireCodec.encode(metadata)
            #expect(try WireCodec.decodeMetadata(bytes) == metadata)
            #expect(bytes.count <= WireCodec.maximumMetadataBytes)
        }
    }

    @Test func metadataAndMessagesAreNotInterchangeable() {
        let metadata = WireCodec.encode(NodeMetadata(nodeID: NodeID(1)))
        let message = WireCodec.encode(Sample.messages[0])
        #expect(failure(decoding: metadata)?.code == .unknownTag)
        #expect(failure(decodingMetadata: message)?.code == .unknownTag)
    }

    @Test func encodingDoesNotDependOnDictionaryOrder() {
        var ascending: [PartitionID: Epoch] = [:]
        var descending: [PartitionID: Epoch] = Dictionary(minimumCapacity: 4_096)
        for partition in 0..<1_000 { ascending[partition * 7] = Epoch(rawValue: UInt64(partition)) }
        for partition in (0..<1_000).reversed() { descending[partition * 7] = Epoch(rawValue: UInt64(partition)) }
        let first = SimpleNode(id: NodeID(9), slot: 2, state: .joined, leading: ascending)
        let second = SimpleNode(id: NodeID(9), slot: 2, state: .joined, leading: descending)
        #expect(
            WireCodec.encode(.announce(config: Sample.config, record: first))
                == WireCodec.encode(.announce(config: Sample.config, record: second))
        )
    }

    @Test func everyProperPrefixIsTruncated() {
        for message in Sample.messages {
            let bytes = WireCodec.encode(message)
            for length in 0..<bytes.count {
                #expect(failure(decoding: bytes.prefix(length))?.code == .truncated, "\(message) at \(length)")
            }
        }
        let metadata = WireCodec.encode(NodeMetadata(nodeID: NodeID(5), slot: 3, config: Sample.config))
        for length in 0..<metadata.count {
            #expect(failure(decodingMetadata: metadata.prefix(length))?.code == .truncated)
        }
    }

    /// Random input must come back as an error or as a message; when it decodes, the
    /// encoding is canonical, so encoding the result gives back exactly the input.
    @Test func randomBytesNeverCrash() {
        var generator = SplitMix64(seed: 0x6055_1967_7215_2024)
        let tags: [UInt8] = Array(1...10) + [0x4D]
        var decoded = 0
        for round in 0..<100_000 {
            var bytes: [UInt8] = []
            if round.isMultiple(of: 2) {
                bytes = WireCodec.magic + [WireCodec.formatVersion, tags.randomElement(using: &generator)!]
            }
            for _ in 0..<Int.random(in: 0..<48, using: &generator) { bytes.append(generator.nextByte()) }
            if let message = try? WireCodec.decode(bytes) {
                decoded += 1
                #expect(WireCodec.encode(message) == bytes)
            }
            if let metadata = try? WireCodec.decodeMetadata(bytes) {
                #expect(WireCodec.encode(metadata) == bytes)
            }
        }
        #expect(decoded > 0, "the fuzzer should reach past the header sometimes")
    }

    @Test func singleByteMutationsNeverCrash() {
        var generator = SplitMix64(seed: 42)
        for message in Sample.messages {
            let original = WireCodec.encode(message)
            for index in original.indices {
                for _ in 0..<4 {
                    var bytes = original
                    bytes[index] ^= UInt8.random(in: 1...255, using: &generator)
                    if let decoded = try? WireCodec.decode(bytes) {
                        #expect(WireCodec.encode(decoded) == bytes)
                    }
                }
            }
        }
    }

    @Test func countBeyondRemainingBytesFailsFast() {
        var empty = WireCodec.encode(.replicate(Replicate(partition: 0, epoch: .zero, previous: .start, entries: [])))
        #expect(empty.removeLast() == 0, "the entry count comes last")
        #expect(failure(decoding: empty + varint(1 << 60))?.code == .tooLarge)
        #expect(failure(decoding: empty + varint(UInt64(WireCodec.maximumEntries + 1)))?.code == .tooLarge)
        #expect(failure(decoding: empty + varint(UInt64(WireCodec.maximumEntries)))?.code == .truncated)

        let header = Array(WireCodec.encode(.gossip(Sample.bareGossip)).prefix(4))
        #expect(failure(decoding: header + varint(1 << 62))?.code == .tooLarge, "a name of 2^62 bytes")
        #expect(failure(decoding: header + varint(1_000))?.code == .truncated)

        let bareMetadata = WireCodec.encode(NodeMetadata(nodeID: NodeID(1)))
        let beforeMaps = Array(bareMetadata.dropLast(3))
        #expect(failure(decodingMetadata: beforeMaps + varint(1 << 60))?.code == .tooLarge)
        #expect(failure(decodingMetadata: beforeMaps + varint(65_536))?.code == .truncated)
    }

    @Test func oversizeDatagramIsRejected() {
        let address = String(repeating: "a", count: 500)
        let records = (0..<200).map {
            SimpleNode(id: NodeID(UInt64($0)), slot: $0, gossipAddress: address, state: .joined)
        }
        let reply = PeerMessage.gossipReply(
            GossipReply(
                config: Sample.config, sender: Sample.bareNode, records: records, echo: .zero, echoIncarnation: 0)
        )
        let bytes = WireCodec.encode(reply)
        #expect(bytes.count > WireCodec.maximumDatagramBytes)
        #expect(WireCodec.byteLimit(for: reply) == WireCodec.maximumDatagramBytes)
        #expect(failure(decoding: bytes)?.code == .tooLarge)
    }

    @Test func streamMessagesMayExceedADatagramButNotAFrame() throws {
        let value = String(repeating: "v", count: WireCodec.maximumValueBytes)
        func replicate(_ count: Int) -> PeerMessage {
            let entries = (1...count).map { lsn in
                LogEntry(
                    epoch: Epoch(rawValue: 1), lsn: LSN(lsn), key: ItemKey(partitionKey: "k"), mutation: .put(value),
                    hlc: .zero
                )
            }
            return .replicate(Replicate(partition: 3, epoch: Epoch(rawValue: 1), previous: .start, entries: entries))
        }
        let small = replicate(2)
        #expect(try WireCodec.decode(WireCodec.encode(small)) == small)
        let large = WireCodec.encode(replicate(65))
        #expect(large.count > WireCodec.maximumFrameBytes)
        #expect(failure(decoding: large)?.code == .tooLarge)
    }

    @Test func headerErrorsHaveTheirCodes() {
        let bytes = WireCodec.encode(Sample.messages[0])
        #expect(failure(decoding: [])?.code == .truncated)
        #expect(failure(decoding: replacing(bytes, at: 0, with: 0x48))?.code == .badMagic)
        #expect(failure(decoding: replacing(bytes, at: 1, with: 0x00))?.code == .badMagic)
        #expect(failure(decoding: replacing(bytes, at: 2, with: 0))?.code == .unsupportedVersion)
        #expect(failure(decoding: replacing(bytes, at: 2, with: 2))?.code == .unsupportedVersion)
        for tag: UInt8 in [0, 13, 0x4C, 0xFF] {
            #expect(failure(decoding: replacing(bytes, at: 3, with: tag))?.code == .unknownTag)
        }
        #expect(failure(decoding: bytes + [0])?.code == .trailingBytes)
        let metadata = WireCodec.encode(NodeMetadata(nodeID: NodeID(1)))
        #expect(failure(decodingMetadata: metadata + [7])?.code == .trailingBytes)
    }

    @Test func stringLimits() throws {
        func write(partitionKey: String, value: String) -> PeerMessage {
            .forward(id: 1, request: .write(key: ItemKey(partitionKey: partitionKey), mutation: .put(value)))
        }
        let longestKey = String(repeating: "é", count: WireCodec.maximumStringBytes / 2)
        let longestValue = String(repeating: "x", count: WireCodec.maximumValueBytes)
        let longest = write(partitionKey: longestKey, value: longestValue)
        #expect(try WireCodec.decode(WireCodec.encode(longest)) == longest)
        let longKey = WireCodec.encode(write(partitionKey: longestKey + "k", value: ""))
        let longValue = WireCodec.encode(write(partitionKey: "k", value: longestValue + "x"))
        #expect(failure(decoding: longKey)?.code == .tooLarge)
        #expect(failure(decoding: longValue)?.code == .tooLarge)
    }

    @Test func invalidUTF8IsRejected() throws {
        let first = WireCodec.encode(.forward(id: 1, request: .read(partitionKey: "user-a", rangeKey: "ü")))
        let second = WireCodec.encode(.forward(id: 1, request: .read(partitionKey: "user-b", rangeKey: "ü")))
        let index = try #require(onlyDifference(first, second))
        for byte: UInt8 in [0xFF, 0xC0, 0x80] {
            #expect(failure(decoding: replacing(first, at: index, with: byte))?.code == .invalidUTF8)
        }
        // "ü" is C3 BC; a one-byte string holding only C3 ends inside the character.
        let cutCharacter = Array(first.dropLast(3)) + [1, 0xC3]
        #expect(failure(decoding: cutCharacter)?.code == .invalidUTF8)
    }

    @Test func nonCanonicalEncodingsAreRejected() throws {
        let request = WireCodec.encode(.syncRequest(SyncRequest(partition: 0, after: .start)))
        let header = Array(request.prefix(4))
        #expect(request == header + [0, 0, 0])
        #expect(failure(decoding: header + [0x80, 0x00, 0, 0])?.code == .invalidValue, "overlong varint")
        #expect(failure(decoding: header + [UInt8](repeating: 0xFF, count: 9) + [0x02, 0, 0])?.code == .invalidValue)
        #expect(failure(decoding: header + [UInt8](repeating: 0xFF, count: 10) + [0x01, 0, 0])?.code == .invalidValue)
        let lowestPartition = header + [UInt8](repeating: 0xFF, count: 9) + [0x01, 0, 0]
        #expect(try WireCodec.decode(lowestPartition) == .syncRequest(SyncRequest(partition: .min, after: .start)))

        let ack = WireCodec.encode(
            .replicateAck(ReplicateAck(partition: 0, epoch: .zero, success: false, last: .start, retryFrom: 0))
        )
        #expect(failure(decoding: replacing(ack, at: 6, with: 2))?.code == .invalidValue, "boolean 2")

        let resize = WireCodec.encode(.forward(id: 0, request: .resize(size: 0, expectedVersion: nil)))
        #expect(failure(decoding: replacing(resize, at: resize.count - 1, with: 2))?.code == .invalidValue)
        #expect(failure(decoding: replacing(resize, at: 5, with: 9))?.code == .invalidValue, "request kind 9")

        func chunk(offset: Int, total: Int, purpose: SnapshotPurpose = .sync) -> [UInt8] {
            WireCodec.encode(
                .snapshotChunk(
                    SnapshotChunk(
                        partition: 1, purpose: purpose, epoch: .zero, position: .start, offset: offset, total: total,
                        items: Sample.items)))
        }
        let count = Sample.items.count
        #expect(throws: Never.self) { try WireCodec.decode(chunk(offset: 1, total: count + 1)) }
        #expect(failure(decoding: chunk(offset: 2, total: count + 1))?.code == .invalidValue, "past the total")
        #expect(failure(decoding: chunk(offset: .max, total: count))?.code == .invalidValue, "an overflowing offset")
        #expect(failure(decoding: chunk(offset: -1, total: count))?.code == .invalidValue, "a negative offset")
        #expect(failure(decoding: chunk(offset: 0, total: .min))?.code == .invalidValue, "a negative total")
        let purposeIndex = try #require(
            onlyDifference(chunk(offset: 0, total: count), chunk(offset: 0, total: count, purpose: .replication)))
        #expect(
            failure(decoding: replacing(chunk(offset: 0, total: count), at: purposeIndex, with: 2))?.code
                == .invalidValue)

        func announce(_ state: NodeState) -> [UInt8] {
            WireCodec.encode(.announce(config: Sample.config, record: SimpleNode(id: NodeID(3), slot: 1, state: state)))
        }
        let stateIndex = try #require(onlyDifference(announce(.joining), announce(.syncing)))
        #expect(failure(decoding: replacing(announce(.joining), at: stateIndex, with: 5))?.code == .invalidValue)

        func lease(_ milliseconds: UInt32) -> [UInt8] {
            let entry = LockEntry(
                epoch: .zero, leader: NodeID(1),
                leaseGrants: [LeaseGrant(node: NodeID(2), remainingMilliseconds: milliseconds)])
            return WireCodec.encode(NodeMetadata(nodeID: NodeID(1), lockedPartitions: [0: entry]))
        }
        let bareLease = lease(0)
        let leaseIndex = try #require(onlyDifference(bareLease, lease(1)))
        let overflowingLease = bareLease[..<leaseIndex] + varint(1 << 32) + bareLease[(leaseIndex + 1)...]
        #expect(failure(decodingMetadata: overflowingLease)?.code == .invalidValue, "lease beyond UInt32")
    }

    @Test func partitionMapKeysMustAscend() throws {
        func metadata(_ keys: [PartitionID]) -> [UInt8] {
            let epochs = Dictionary(uniqueKeysWithValues: keys.map { ($0, Epoch(rawValue: 7)) })
            return WireCodec.encode(NodeMetadata(nodeID: NodeID(1), epochs: epochs))
        }
        let ascending = metadata([3, 5])
        let distanceIndex = try #require(onlyDifference(ascending, metadata([3, 6])))
        #expect(failure(decodingMetadata: replacing(ascending, at: distanceIndex, with: 0))?.code == .invalidValue)

        let extremes = metadata([.max - 1, .max])
        #expect(try WireCodec.decodeMetadata(extremes).epochs.keys.sorted() == [.max - 1, .max])
        let distanceToMaximum = metadata([.max - 2, .max])
        let pastMaximumIndex = try #require(onlyDifference(distanceToMaximum, metadata([.max - 2, .max - 1])))
        let wrapping = replacing(distanceToMaximum, at: pastMaximumIndex, with: 3)
        #expect(failure(decodingMetadata: wrapping)?.code == .invalidValue, "a key past Int.max")
    }
}

// MARK: - Helpers

private func failure(decoding bytes: some Collection<UInt8>) -> WireError? {
    do {
        _ = try WireCodec.decode(bytes)
        return nil
    } catch {
        return error
    }
}

private func failure(decodingMetadata bytes: some Collection<UInt8>) -> WireError? {
    do {
        _ = try WireCodec.decodeMetadata(bytes)
        return nil
    } catch {
        return error
    }
}

private func varint(_ value: UInt64) -> [UInt8] {
    var writer = WireWriter()
    writer.writeUnsigned(value)
    return writer.bytes
}

private func replacing(_ bytes: [UInt8], at index: Int, with byte: UInt8) -> [UInt8] {
    var bytes = bytes
    bytes[index] = byte
    return bytes
}

/// The one index where two equally long encodings differ, which locates a field without
/// hard-coding the layout into the test.
private func onlyDifference(_ first: [UInt8], _ second: [UInt8]) -> Int? {
    guard first.count == second.count else { return nil }
    let indices = first.indices.filter { first[$0] != second[$0] }
    return indices.count == 1 ? indices[0] : nil
}

/// Every case name a message exercises, nested enums included. The switches have no
/// default, so a new case anywhere fails to compile here until the samples cover it.
private func caseNames(_ message: PeerMessage) -> Set<String> {
    switch message {
    case .gossip: ["gossip"]
    case .gossipReply: ["gossipReply"]
    case .announce: ["announce"]
    case .replicate(let replicate): Set(replicate.entries.map { caseName($0.mutation) }).union(["replicate"])
    case .replicateAck: ["replicateAck"]
    case .syncRequest: ["syncRequest"]
    case .syncReply(let reply): Set(reply.entries.map { caseName($0.mutation) }).union(["syncReply"])
    case .forward(_, let request): caseNames(request).union(["forward"])
    case .forwardReply(_, let response): caseNames(response).union(["forwardReply"])
    case .refuse: ["refuse"]
    case .snapshotChunk(let chunk): ["snapshotChunk", "purpose.\(chunk.purpose)"]
    case .snapshotRequest(let request): ["snapshotRequest", "purpose.\(request.purpose)"]
    }
}

private func caseNames(_ request: ClientRequest) -> Set<String> {
    switch request {
    case .write(_, let mutation): ["request.write", caseName(mutation)]
    case .read: ["request.read"]
    case .resize: ["request.resize"]
    }
}

private func caseNames(_ response: ClientResponse) -> Set<String> {
    switch response {
    case .written: ["response.written"]
    case .read: ["response.read"]
    case .resized: ["response.resized"]
    case .failed(let failure):
        switch failure {
        case .locked: ["response.failed", "failure.locked"]
        case .unavailable: ["response.failed", "failure.unavailable"]
        case .indeterminate: ["response.failed", "failure.indeterminate"]
        case .resizeRejected: ["response.failed", "failure.resizeRejected"]
        case .invalid: ["response.failed", "failure.invalid"]
        }
    }
}

private func caseName(_ mutation: Mutation) -> String {
    switch mutation {
    case .put: "mutation.put"
    case .delete: "mutation.delete"
    case .deleteAll: "mutation.deleteAll"
    }
}

/// A small seeded generator, so that the fuzz tests check the same inputs on every run.
private struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    mutating func nextByte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}

// MARK: - Samples

private enum Sample {
    static let config = ClusterConfig(
        name: "grid-東京 🚀", size: 1_024, partitionCount: 65_536, replicationFactor: 3, version: .max
    )
    static let hlc = HybridTimestamp(wallMilliseconds: 1_732_000_000_123, counter: .max)
    static let position = LogPosition(epoch: Epoch(rawValue: 5 << 10 | 2), lsn: .max)

    static let fullNode = SimpleNode(
        id: NodeID(.max), incarnation: 1 << 63, slot: 1_023, gossipAddress: "10.0.0.7:7946",
        httpAddress: "[fe80::1%eth0]:8080", state: .leaving, heartbeat: 987_654_321, hlc: hlc,
        lockedPartitions: [
            0: LockEntry(epoch: Epoch(rawValue: 1 << 10), leader: NodeID(7)),
            17: LockEntry(
                epoch: Epoch(rawValue: .max), leader: NodeID(.max), position: position,
                leaseGrants: [
                    LeaseGrant(node: NodeID(42), remainingMilliseconds: .max),
                    LeaseGrant(node: nil, remainingMilliseconds: 0),
                ]
            ),
            65_535: LockEntry(epoch: Epoch(rawValue: 3), leader: NodeID(0), position: .start),
        ],
        leading: [
            .min: Epoch(rawValue: 1), -1: Epoch(rawValue: 2), 0: .zero, 1: Epoch(rawValue: 1_025),
            .max: Epoch(rawValue: .max),
        ],
        configVersion: 42
    )
    static let bareNode = SimpleNode(id: NodeID(0), incarnation: 0, slot: 0, state: .joining, heartbeat: 0)
    static let nodesInEveryState = NodeState.allCases.enumerated().map { index, state in
        SimpleNode(id: NodeID(UInt64(index) + 100), slot: index, gossipAddress: "n\(index)", state: state)
    }

    static let entries = [
        LogEntry(
            epoch: Epoch(rawValue: 1 << 10), lsn: 1, key: ItemKey(partitionKey: "user:ü", rangeKey: "2024-11-23"),
            mutation: .put("héllo, 世界 👋🏽\u{0}\n"), hlc: hlc
        ),
        LogEntry(
            epoch: Epoch(rawValue: 1 << 10), lsn: 2, key: ItemKey(partitionKey: ""), mutation: .put(""), hlc: .zero),
        LogEntry(
            epoch: Epoch(rawValue: 2 << 10), lsn: 3, key: ItemKey(partitionKey: "cart", rangeKey: ""),
            mutation: .delete,
            hlc: hlc
        ),
        LogEntry(epoch: .zero, lsn: .max, key: ItemKey(partitionKey: "cart"), mutation: .deleteAll, hlc: hlc),
    ]
    static let items = [
        Item(key: ItemKey(partitionKey: "user:ü", rangeKey: "a"), value: "ß", epoch: .zero, lsn: 1, hlc: hlc),
        Item(key: ItemKey(partitionKey: "user:ü"), value: "", epoch: Epoch(rawValue: .max), lsn: .max, hlc: .zero),
    ]

    static let bareGossip = Gossip(config: config, sender: bareNode, digest: [], probe: .zero)

    static let messages: [PeerMessage] = [
        .gossip(bareGossip),
        .gossip(Gossip(config: config, sender: fullNode, digest: nil, probe: Instant(milliseconds: 42))),
        .gossip(
            Gossip(
                config: config, sender: fullNode,
                digest: (nodesInEveryState + [fullNode]).map { RecordDigest(id: $0.id, version: $0.version) },
                probe: Instant(milliseconds: .min)
            )
        ),
        .gossipReply(
            GossipReply(
                config: config, sender: bareNode, records: [], echo: Instant(milliseconds: -1), echoIncarnation: 0)),
        .gossipReply(
            GossipReply(
                config: config, sender: fullNode, records: nodesInEveryState + [fullNode, bareNode],
                echo: Instant(milliseconds: .max), echoIncarnation: .max,
                superseded: [0: Epoch(rawValue: 2_049), 63: .zero]
            )
        ),
        .announce(config: config, record: fullNode),
        .announce(
            config: ClusterConfig(name: "", size: 0, partitionCount: -1, replicationFactor: .min), record: bareNode),
        .replicate(Replicate(partition: 0, epoch: .zero, previous: .start, entries: [])),
        .replicate(Replicate(partition: 65_535, epoch: Epoch(rawValue: 2 << 10), previous: position, entries: entries)),
        .replicateAck(
            ReplicateAck(partition: 12, epoch: Epoch(rawValue: 9), success: true, last: position, retryFrom: 0)),
        .replicateAck(ReplicateAck(partition: -3, epoch: .zero, success: false, last: .start, retryFrom: .max)),
        .syncRequest(SyncRequest(partition: 7, after: position)),
        .syncReply(
            SyncReply(partition: 7, after: .start, matched: true, entries: entries, last: position, retryFrom: 1)
        ),
        .syncReply(SyncReply(partition: 7, after: position, matched: false, entries: [], last: .start, retryFrom: 77)),
        .snapshotChunk(
            SnapshotChunk(
                partition: 3, purpose: .replication, epoch: Epoch(rawValue: 4), position: position, offset: 0,
                total: items.count, items: items)),
        .snapshotChunk(
            SnapshotChunk(
                partition: 0, purpose: .sync, epoch: .zero, position: .start, offset: 9, total: 9, items: [])),
        .snapshotRequest(SnapshotRequest(partition: 3, purpose: .sync, position: position, offset: 1)),
        .snapshotRequest(SnapshotRequest(partition: 65_535, purpose: .replication, position: .start, offset: .max)),
        .forward(id: 0, request: .write(key: ItemKey(partitionKey: "k", rangeKey: "r"), mutation: .put("v"))),
        .forward(id: .max, request: .write(key: ItemKey(partitionKey: "k"), mutation: .delete)),
        .forward(id: 1 << 40, request: .write(key: ItemKey(partitionKey: "k"), mutation: .deleteAll)),
        .forward(id: 2, request: .read(partitionKey: "user:ü", rangeKey: nil)),
        .forward(id: 3, request: .read(partitionKey: "user:ü", rangeKey: "😀")),
        .forward(id: 4, request: .resize(size: 7, expectedVersion: nil)),
        .forward(id: 5, request: .resize(size: .min, expectedVersion: .max)),
        .forwardReply(
            id: 6,
            response: .written(WriteReceipt(partition: 9, epoch: Epoch(rawValue: 3), lsn: 12, node: NodeID(.max)))
        ),
        .forwardReply(id: 7, response: .read(ReadResult(partition: 9, node: NodeID(1), epoch: .zero, items: []))),
        .forwardReply(id: 8, response: .read(ReadResult(partition: 9, node: NodeID(1), epoch: .zero, items: items))),
        .forwardReply(id: 9, response: .resized(config)),
        .forwardReply(id: 10, response: .failed(.locked(partition: 4, retryAfterMilliseconds: 250))),
        .forwardReply(id: 11, response: .failed(.unavailable(partition: nil, reason: "", leader: nil))),
        .forwardReply(
            id: 12, response: .failed(.unavailable(partition: 65_535, reason: "no lease", leader: NodeID(.max)))
        ),
        .forwardReply(id: 13, response: .failed(.indeterminate(partition: 0, reason: "leader moved — retry"))),
        .forwardReply(
            id: 14,
            response: .failed(
                .resizeRejected(code: "handshake_in_progress", reason: ClientFailure.handshakeInProgressMessage)
            )
        ),
        .forwardReply(id: 15, response: .failed(.invalid(reason: "key too long: \u{1F4A5}"))),
        .refuse(partition: 3, lock: Epoch(rawValue: 2_049), promised: Epoch(rawValue: 2_049)),
        .refuse(partition: 65_535, lock: .zero, promised: Epoch(rawValue: .max)),
    ]
}
