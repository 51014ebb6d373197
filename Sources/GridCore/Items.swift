/// An item's key: the partition key places it; the optional range key orders items that
/// share a partition key. Stored as two separate fields, never joined with a separator,
/// so no key can be mistaken for another (the seed split keys on `_` and corrupted them).
public struct ItemKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var partitionKey: String
    public var rangeKey: String?

    public init(partitionKey: String, rangeKey: String? = nil) {
        self.partitionKey = partitionKey
        self.rangeKey = rangeKey
    }

    public static func < (lhs: ItemKey, rhs: ItemKey) -> Bool {
        (lhs.partitionKey, lhs.rangeKey ?? "") < (rhs.partitionKey, rhs.rangeKey ?? "")
            || (lhs.partitionKey == rhs.partitionKey && lhs.rangeKey == nil && rhs.rangeKey != nil)
    }

    public var description: String { rangeKey.map { "\(partitionKey)/\($0)" } ?? partitionKey }
}

/// What a log entry does to the items.
public enum Mutation: Hashable, Sendable {
    case put(String)
    /// Deletes the one item with exactly this key.
    case delete
    /// Deletes every item under the entry's partition key (its range key is ignored).
    case deleteAll
}

/// One entry of a partition's log, stamped with the leader's epoch and the full HLC.
public struct LogEntry: Hashable, Sendable {
    public var epoch: Epoch
    public var lsn: LSN
    public var key: ItemKey
    public var mutation: Mutation
    public var hlc: HybridTimestamp

    public init(epoch: Epoch, lsn: LSN, key: ItemKey, mutation: Mutation, hlc: HybridTimestamp) {
        self.epoch = epoch
        self.lsn = lsn
        self.key = key
        self.mutation = mutation
        self.hlc = hlc
    }

    public var position: LogPosition { LogPosition(epoch: epoch, lsn: lsn) }
}

/// A stored item, with where it was written.
public struct Item: Hashable, Sendable {
    public var key: ItemKey
    public var value: String
    public var epoch: Epoch
    public var lsn: LSN
    public var hlc: HybridTimestamp

    public init(key: ItemKey, value: String, epoch: Epoch, lsn: LSN, hlc: HybridTimestamp) {
        self.key = key
        self.value = value
        self.epoch = epoch
        self.lsn = lsn
        self.hlc = hlc
    }
}
