/// A client's request as the protocol sees it, whichever node it arrived at.
public enum ClientRequest: Hashable, Sendable {
    case write(key: ItemKey, mutation: Mutation)
    /// With a range key: that one item. Without: every item under the partition key.
    case read(partitionKey: String, rangeKey: String?)
    case resize(size: Int, expectedVersion: UInt64?)

    public var partitionKey: String? {
        switch self {
        case .write(let key, _): key.partitionKey
        case .read(let partitionKey, _): partitionKey
        case .resize: nil
        }
    }
}

public enum ClientResponse: Hashable, Sendable {
    case written(WriteReceipt)
    case read(ReadResult)
    case resized(ClusterConfig)
    case failed(ClientFailure)
}

public struct WriteReceipt: Hashable, Sendable {
    public var partition: PartitionID
    public var epoch: Epoch
    public var lsn: LSN
    public var node: NodeID

    public init(partition: PartitionID, epoch: Epoch, lsn: LSN, node: NodeID) {
        self.partition = partition
        self.epoch = epoch
        self.lsn = lsn
        self.node = node
    }
}

public struct ReadResult: Hashable, Sendable {
    public var partition: PartitionID
    public var node: NodeID
    /// The epoch the serving node knows for the partition.
    public var epoch: Epoch
    public var items: [Item]

    public init(partition: PartitionID, node: NodeID, epoch: Epoch, items: [Item]) {
        self.partition = partition
        self.node = node
        self.epoch = epoch
        self.items = items
    }
}

/// Why a request failed. Each case says whether the write may have happened.
public enum ClientFailure: Error, Hashable, Sendable {
    /// The partition is locked by a handshake; the write was definitely not applied.
    case locked(partition: PartitionID, retryAfterMilliseconds: Int)
    /// Nobody could take the write now (no leader, no lease, leader unreachable); it was
    /// definitely not applied.
    case unavailable(partition: PartitionID?, reason: String, leader: NodeID?)
    /// The write reached a leader but its outcome is unknown (leadership moved or the
    /// replicas did not answer in time); it may or may not have been applied.
    case indeterminate(partition: PartitionID, reason: String)
    /// A resize refused: a handshake runs, or the expected config version is stale.
    case resizeRejected(code: String, reason: String)
    case invalid(reason: String)

    public static let handshakeInProgressMessage = "Cannot resize: partition leadership handshake in progress"

    /// True when the request certainly changed nothing.
    public var isDefinite: Bool {
        if case .indeterminate = self { return false }
        return true
    }
}
