/// Everything nodes say to each other. Gossip travels as datagrams; the rest on the
/// persistent peer stream (see `travelsOnStream`). `WireCodec` encodes every case.
public enum PeerMessage: Hashable, Sendable {
    /// A gossip round: the sender's own record, a digest of what it knows, and a probe
    /// stamp from its monotonic clock that the reply echoes (the write lease counts echoes).
    case gossip(Gossip)
    case gossipReply(GossipReply)
    /// A direct push of the sender's record: lock announcements, acknowledgments, opens.
    case announce(config: ClusterConfig, record: SimpleNode)
    case replicate(Replicate)
    case replicateAck(ReplicateAck)
    case syncRequest(SyncRequest)
    case syncReply(SyncReply)
    /// Part of a partition's items, sent instead of entries the sender has compacted away.
    case snapshotChunk(SnapshotChunk)
    /// The receiver of a snapshot asks for the chunk that follows what it holds.
    case snapshotRequest(SnapshotRequest)
    /// A client request sent on to the node that can serve it; at most one hop.
    case forward(id: UInt64, request: ClientRequest)
    case forwardReply(id: UInt64, response: ClientResponse)
    /// "I cannot acknowledge your lock at `lock`: I already promised `promised`." Two nodes
    /// that briefly held one slot can take the same epoch; the refused one locks again above.
    case refuse(partition: PartitionID, lock: Epoch, promised: Epoch)

    public var travelsOnStream: Bool {
        switch self {
        case .gossip, .gossipReply, .announce, .refuse: false
        default: true
        }
    }
}

public struct RecordDigest: Hashable, Sendable {
    public var id: NodeID
    public var version: RecordVersion

    public init(id: NodeID, version: RecordVersion) {
        self.id = id
        self.version = version
    }
}

public struct Gossip: Hashable, Sendable {
    public var config: ClusterConfig
    public var sender: SimpleNode
    /// Nil on a lease probe, which asks for the echo and no records. A leader probes a
    /// majority of slots every round; were each probe a full digest answered with records,
    /// its cost would grow with the square of the cluster.
    public var digest: [RecordDigest]?
    public var probe: Instant

    public init(config: ClusterConfig, sender: SimpleNode, digest: [RecordDigest]?, probe: Instant) {
        self.config = config
        self.sender = sender
        self.digest = digest
        self.probe = probe
    }
}

public struct GossipReply: Hashable, Sendable {
    public var config: ClusterConfig
    public var sender: SimpleNode
    /// Records the requester lacks or holds older copies of.
    public var records: [SimpleNode]
    public var echo: Instant
    /// The requester's incarnation when it sent the probe: a restarted node's clock starts
    /// over, so an echo from its previous life must not count toward its lease.
    public var echoIncarnation: UInt64
    /// Partitions the requester claims (leads or locks) below an epoch the sender has
    /// already promised. The echo grants a write lease, so it carries what the grant must
    /// not be used for: the requester applies these before the grant counts.
    public var superseded: [PartitionID: Epoch]

    public init(
        config: ClusterConfig, sender: SimpleNode, records: [SimpleNode], echo: Instant, echoIncarnation: UInt64,
        superseded: [PartitionID: Epoch] = [:]
    ) {
        self.config = config
        self.sender = sender
        self.records = records
        self.echo = echo
        self.echoIncarnation = echoIncarnation
        self.superseded = superseded
    }
}

/// Leader → replica: entries that follow `previous` in the leader's log.
public struct Replicate: Hashable, Sendable {
    public var partition: PartitionID
    public var epoch: Epoch
    public var previous: LogPosition
    public var entries: [LogEntry]

    public init(partition: PartitionID, epoch: Epoch, previous: LogPosition, entries: [LogEntry]) {
        self.partition = partition
        self.epoch = epoch
        self.previous = previous
        self.entries = entries
    }
}

/// Replica → leader. On success `last` is the replica's new last position. On failure
/// `retryFrom` is where the leader should try again: the replica's last entry, or the
/// start of the epoch run that conflicted, so divergent logs reconcile in a few rounds.
public struct ReplicateAck: Hashable, Sendable {
    public var partition: PartitionID
    public var epoch: Epoch
    public var success: Bool
    public var last: LogPosition
    public var retryFrom: LSN

    public init(partition: PartitionID, epoch: Epoch, success: Bool, last: LogPosition, retryFrom: LSN) {
        self.partition = partition
        self.epoch = epoch
        self.success = success
        self.last = last
        self.retryFrom = retryFrom
    }
}

/// Asks for the entries after `after`, which the asker holds. Used by a new leader to
/// catch up before it opens, and by a syncing node before it turns joined.
public struct SyncRequest: Hashable, Sendable {
    public var partition: PartitionID
    public var after: LogPosition

    public init(partition: PartitionID, after: LogPosition) {
        self.partition = partition
        self.after = after
    }
}

/// The entries after `after` (up to a batch limit), or, when the responder's log does
/// not contain `after`, no entries and `retryFrom` as for `ReplicateAck`.
public struct SyncReply: Hashable, Sendable {
    public var partition: PartitionID
    public var after: LogPosition
    public var matched: Bool
    public var entries: [LogEntry]
    public var last: LogPosition
    public var retryFrom: LSN

    public init(
        partition: PartitionID, after: LogPosition, matched: Bool, entries: [LogEntry], last: LogPosition,
        retryFrom: LSN
    ) {
        self.partition = partition
        self.after = after
        self.matched = matched
        self.entries = entries
        self.last = last
        self.retryFrom = retryFrom
    }
}

/// Why a snapshot is being sent: a leader bringing a replica up to date, or a node
/// answering a `SyncRequest`.
public enum SnapshotPurpose: UInt8, Hashable, Sendable {
    case replication = 0
    case sync = 1
}

/// Items `offset ..< offset + items.count` of the `total` items the sender's partition
/// held at `position`, in key order. The sender keeps that set of items unchanged while
/// the transfer runs, so chunks of one position always fit together.
public struct SnapshotChunk: Hashable, Sendable {
    public var partition: PartitionID
    public var purpose: SnapshotPurpose
    /// The sender's leader epoch (replication) or the highest epoch it knows (sync).
    public var epoch: Epoch
    public var position: LogPosition
    public var offset: Int
    public var total: Int
    public var items: [Item]

    public init(
        partition: PartitionID, purpose: SnapshotPurpose, epoch: Epoch, position: LogPosition, offset: Int,
        total: Int, items: [Item]
    ) {
        self.partition = partition
        self.purpose = purpose
        self.epoch = epoch
        self.position = position
        self.offset = offset
        self.total = total
        self.items = items
    }
}

/// Asks for the chunk of the snapshot at `position` that starts at `offset`.
public struct SnapshotRequest: Hashable, Sendable {
    public var partition: PartitionID
    public var purpose: SnapshotPurpose
    public var position: LogPosition
    public var offset: Int

    public init(partition: PartitionID, purpose: SnapshotPurpose, position: LogPosition, offset: Int) {
        self.partition = partition
        self.purpose = purpose
        self.position = position
        self.offset = offset
    }
}
