// The body layout of each type `WireCodec` carries. Fields go in declaration order;
// every enum starts with a kind byte. Changing any of this changes the format, which
// means bumping `WireCodec.formatVersion`.

extension NodeID: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeUnsigned(rawValue)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(reader.readUnsigned())
    }
}

extension Epoch: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeUnsigned(rawValue)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(rawValue: reader.readUnsigned())
    }
}

extension LogPosition: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.write(epoch)
        writer.writeUnsigned(lsn)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(epoch: reader.read(), lsn: reader.readUnsigned())
    }
}

extension Instant: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeSigned(milliseconds)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(milliseconds: reader.readSigned())
    }
}

extension HybridTimestamp: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeUnsigned(wallMilliseconds)
        writer.writeUnsigned(UInt64(counter))
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(wallMilliseconds: reader.readUnsigned(), counter: reader.readUInt32())
    }
}

extension ClusterConfig: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeString(name)
        writer.writeInt(size)
        writer.writeInt(partitionCount)
        writer.writeInt(replicationFactor)
        writer.writeUnsigned(version)
        writer.writeInt(previousSize)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(
            name: reader.readString(maximumBytes: WireCodec.maximumStringBytes), size: reader.readInt(),
            partitionCount: reader.readInt(), replicationFactor: reader.readInt(), version: reader.readUnsigned(),
            previousSize: reader.readInt()
        )
    }
}

extension NodeState: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeByte(rawValue)
    }

    init(from reader: inout WireReader) throws(WireError) {
        let rawValue = try reader.readByte()
        guard let state = NodeState(rawValue: rawValue) else {
            throw WireError(.invalidValue, "unknown node state \(rawValue)")
        }
        self = state
    }
}

extension LockEntry: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.write(epoch)
        writer.write(leader)
        writer.writeOptional(position)
        writer.writeArray(leaseGrants)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(
            epoch: reader.read(), leader: reader.read(), position: reader.readOptional(),
            leaseGrants: reader.readArray(maximumCount: LeaseGrant.maximumListed))
    }
}

extension LeaseGrant: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeOptional(node)
        writer.writeUnsigned(UInt64(remainingMilliseconds))
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(node: reader.readOptional(), remainingMilliseconds: reader.readUInt32())
    }
}

extension SimpleNode: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.write(id)
        writer.writeUnsigned(incarnation)
        writer.writeInt(slot)
        writer.writeString(gossipAddress)
        writer.writeString(httpAddress)
        writer.write(state)
        writer.writeUnsigned(heartbeat)
        writer.write(hlc)
        writer.writePartitionMap(lockedPartitions)
        writer.writePartitionMap(leading)
        writer.writeUnsigned(configVersion)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(
            id: reader.read(), incarnation: reader.readUnsigned(), slot: reader.readInt(),
            gossipAddress: reader.readString(maximumBytes: WireCodec.maximumStringBytes),
            httpAddress: reader.readString(maximumBytes: WireCodec.maximumStringBytes), state: reader.read(),
            heartbeat: reader.readUnsigned(), hlc: reader.read(), lockedPartitions: reader.readPartitionMap(),
            leading: reader.readPartitionMap(), configVersion: reader.readUnsigned()
        )
    }
}

extension RecordVersion: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeUnsigned(incarnation)
        writer.writeByte(verdict)
        writer.writeUnsigned(heartbeat)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(incarnation: reader.readUnsigned(), verdict: reader.readByte(), heartbeat: reader.readUnsigned())
    }
}

extension RecordDigest: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.write(id)
        writer.write(version)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(id: reader.read(), version: reader.read())
    }
}

extension Gossip: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.write(config)
        writer.write(sender)
        writer.writeOptional(digest) { writer, digest in writer.writeArray(digest) }
        writer.write(probe)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(
            config: reader.read(), sender: reader.read(),
            digest: reader.readOptional { reader throws(WireError) in
                try reader.readArray(maximumCount: WireCodec.maximumRecords)
            },
            probe: reader.read()
        )
    }
}

extension GossipReply: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.write(config)
        writer.write(sender)
        writer.writeArray(records)
        writer.write(echo)
        writer.writeUnsigned(echoIncarnation)
        writer.writePartitionMap(superseded)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(
            config: reader.read(), sender: reader.read(),
            records: reader.readArray(maximumCount: WireCodec.maximumRecords), echo: reader.read(),
            echoIncarnation: reader.readUnsigned(), superseded: reader.readPartitionMap()
        )
    }
}

extension ItemKey: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeString(partitionKey)
        writer.writeOptional(rangeKey) { writer, rangeKey in writer.writeString(rangeKey) }
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(partitionKey: reader.readKey(), rangeKey: reader.readOptionalKey())
    }
}

extension Mutation: WireCodable {
    func write(to writer: inout WireWriter) {
        switch self {
        case .put(let value):
            writer.writeByte(0)
            writer.writeString(value)
        case .delete:
            writer.writeByte(1)
        case .deleteAll:
            writer.writeByte(2)
        }
    }

    init(from reader: inout WireReader) throws(WireError) {
        switch try reader.readByte() {
        case 0: self = try .put(reader.readString(maximumBytes: WireCodec.maximumValueBytes))
        case 1: self = .delete
        case 2: self = .deleteAll
        case let kind: throw WireError(.invalidValue, "unknown mutation kind \(kind)")
        }
    }
}

extension LogEntry: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.write(epoch)
        writer.writeUnsigned(lsn)
        writer.write(key)
        writer.write(mutation)
        writer.write(hlc)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(
            epoch: reader.read(), lsn: reader.readUnsigned(), key: reader.read(), mutation: reader.read(),
            hlc: reader.read()
        )
    }
}

extension Item: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.write(key)
        writer.writeString(value)
        writer.write(epoch)
        writer.writeUnsigned(lsn)
        writer.write(hlc)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(
            key: reader.read(), value: reader.readString(maximumBytes: WireCodec.maximumValueBytes),
            epoch: reader.read(), lsn: reader.readUnsigned(), hlc: reader.read()
        )
    }
}

extension Replicate: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeInt(partition)
        writer.write(epoch)
        writer.write(previous)
        writer.writeArray(entries)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(
            partition: reader.readInt(), epoch: reader.read(), previous: reader.read(),
            entries: reader.readArray(maximumCount: WireCodec.maximumEntries)
        )
    }
}

extension ReplicateAck: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeInt(partition)
        writer.write(epoch)
        writer.writeBool(success)
        writer.write(last)
        writer.writeUnsigned(retryFrom)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(
            partition: reader.readInt(), epoch: reader.read(), success: reader.readBool(), last: reader.read(),
            retryFrom: reader.readUnsigned()
        )
    }
}

extension SyncRequest: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeInt(partition)
        writer.write(after)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(partition: reader.readInt(), after: reader.read())
    }
}

extension SyncReply: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeInt(partition)
        writer.write(after)
        writer.writeBool(matched)
        writer.writeArray(entries)
        writer.write(last)
        writer.writeUnsigned(retryFrom)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(
            partition: reader.readInt(), after: reader.read(), matched: reader.readBool(),
            entries: reader.readArray(maximumCount: WireCodec.maximumEntries), last: reader.read(),
            retryFrom: reader.readUnsigned()
        )
    }
}

extension SnapshotPurpose: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeByte(rawValue)
    }

    init(from reader: inout WireReader) throws(WireError) {
        let rawValue = try reader.readByte()
        guard let purpose = SnapshotPurpose(rawValue: rawValue) else {
            throw WireError(.invalidValue, "unknown snapshot purpose \(rawValue)")
        }
        self = purpose
    }
}

extension SnapshotChunk: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeInt(partition)
        writer.write(purpose)
        writer.write(epoch)
        writer.write(position)
        writer.writeInt(offset)
        writer.writeInt(total)
        writer.writeArray(items)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(
            partition: reader.readInt(), purpose: reader.read(), epoch: reader.read(), position: reader.read(),
            offset: reader.readInt(), total: reader.readInt(),
            items: reader.readArray(maximumCount: WireCodec.maximumItems)
        )
        // Compared without adding: a hostile offset near Int.max must not overflow.
        guard offset >= 0, items.count <= total, offset <= total - items.count else {
            throw WireError(.invalidValue, "snapshot chunk \(offset)+\(items.count) does not fit \(total) items")
        }
    }
}

extension SnapshotRequest: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeInt(partition)
        writer.write(purpose)
        writer.write(position)
        writer.writeInt(offset)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(
            partition: reader.readInt(), purpose: reader.read(), position: reader.read(), offset: reader.readInt())
        guard offset >= 0 else { throw WireError(.invalidValue, "negative snapshot offset \(offset)") }
    }
}

extension ClientRequest: WireCodable {
    func write(to writer: inout WireWriter) {
        switch self {
        case .write(let key, let mutation):
            writer.writeByte(0)
            writer.write(key)
            writer.write(mutation)
        case .read(let partitionKey, let rangeKey):
            writer.writeByte(1)
            writer.writeString(partitionKey)
            writer.writeOptional(rangeKey) { writer, rangeKey in writer.writeString(rangeKey) }
        case .resize(let size, let expectedVersion):
            writer.writeByte(2)
            writer.writeInt(size)
            writer.writeOptional(expectedVersion) { writer, version in writer.writeUnsigned(version) }
        }
    }

    init(from reader: inout WireReader) throws(WireError) {
        switch try reader.readByte() {
        case 0:
            self = try .write(key: reader.read(), mutation: reader.read())
        case 1:
            self = try .read(partitionKey: reader.readKey(), rangeKey: reader.readOptionalKey())
        case 2:
            self = try .resize(
                size: reader.readInt(),
                expectedVersion: reader.readOptional { reader throws(WireError) in try reader.readUnsigned() }
            )
        case let kind:
            throw WireError(.invalidValue, "unknown client request kind \(kind)")
        }
    }
}

extension WriteReceipt: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeInt(partition)
        writer.write(epoch)
        writer.writeUnsigned(lsn)
        writer.write(node)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(
            partition: reader.readInt(), epoch: reader.read(), lsn: reader.readUnsigned(), node: reader.read()
        )
    }
}

extension ReadResult: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.writeInt(partition)
        writer.write(node)
        writer.write(epoch)
        writer.writeArray(items)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(
            partition: reader.readInt(), node: reader.read(), epoch: reader.read(),
            items: reader.readArray(maximumCount: WireCodec.maximumItems)
        )
    }
}

extension ClientFailure: WireCodable {
    func write(to writer: inout WireWriter) {
        switch self {
        case .locked(let partition, let retryAfterMilliseconds):
            writer.writeByte(0)
            writer.writeInt(partition)
            writer.writeInt(retryAfterMilliseconds)
        case .unavailable(let partition, let reason, let leader):
            writer.writeByte(1)
            writer.writeOptional(partition) { writer, partition in writer.writeInt(partition) }
            writer.writeString(reason)
            writer.writeOptional(leader)
        case .indeterminate(let partition, let reason):
            writer.writeByte(2)
            writer.writeInt(partition)
            writer.writeString(reason)
        case .resizeRejected(let code, let reason):
            writer.writeByte(3)
            writer.writeString(code)
            writer.writeString(reason)
        case .invalid(let reason):
            writer.writeByte(4)
            writer.writeString(reason)
        }
    }

    init(from reader: inout WireReader) throws(WireError) {
        switch try reader.readByte() {
        case 0:
            self = try .locked(partition: reader.readInt(), retryAfterMilliseconds: reader.readInt())
        case 1:
            self = try .unavailable(
                partition: reader.readOptional { reader throws(WireError) in try reader.readInt() },
                reason: reader.readReason(), leader: reader.readOptional()
            )
        case 2:
            self = try .indeterminate(partition: reader.readInt(), reason: reader.readReason())
        case 3:
            self = try .resizeRejected(
                code: reader.readString(maximumBytes: WireCodec.maximumStringBytes), reason: reader.readReason()
            )
        case 4:
            self = try .invalid(reason: reader.readReason())
        case let kind:
            throw WireError(.invalidValue, "unknown client failure kind \(kind)")
        }
    }
}

extension ClientResponse: WireCodable {
    func write(to writer: inout WireWriter) {
        switch self {
        case .written(let receipt):
            writer.writeByte(0)
            writer.write(receipt)
        case .read(let result):
            writer.writeByte(1)
            writer.write(result)
        case .resized(let config):
            writer.writeByte(2)
            writer.write(config)
        case .failed(let failure):
            writer.writeByte(3)
            writer.write(failure)
        }
    }

    init(from reader: inout WireReader) throws(WireError) {
        switch try reader.readByte() {
        case 0: self = try .written(reader.read())
        case 1: self = try .read(reader.read())
        case 2: self = try .resized(reader.read())
        case 3: self = try .failed(reader.read())
        case let kind: throw WireError(.invalidValue, "unknown client response kind \(kind)")
        }
    }
}

extension NodeMetadata: WireCodable {
    func write(to writer: inout WireWriter) {
        writer.write(nodeID)
        writer.writeUnsigned(incarnation)
        writer.writeOptional(slot) { writer, slot in writer.writeInt(slot) }
        writer.writeOptional(config)
        writer.writePartitionMap(epochs)
        writer.writePartitionMap(lockedPartitions)
        writer.writePartitionMap(leading)
    }

    init(from reader: inout WireReader) throws(WireError) {
        try self.init(
            nodeID: reader.read(), incarnation: reader.readUnsigned(),
            slot: reader.readOptional { reader throws(WireError) in try reader.readInt() },
            config: reader.readOptional(),
            epochs: reader.readPartitionMap(), lockedPartitions: reader.readPartitionMap(),
            leading: reader.readPartitionMap()
        )
    }
}

extension WireReader {
    fileprivate mutating func readKey() throws(WireError) -> String {
        try readString(maximumBytes: WireCodec.maximumStringBytes)
    }

    fileprivate mutating func readOptionalKey() throws(WireError) -> String? {
        try readOptional { reader throws(WireError) in try reader.readKey() }
    }

    fileprivate mutating func readReason() throws(WireError) -> String {
        try readString(maximumBytes: WireCodec.maximumValueBytes)
    }
}
