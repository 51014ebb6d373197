/// A node's lifecycle as its record tells it.
public enum NodeState: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case joining = 0
    case syncing = 1
    case joined = 2
    case leaving = 3
    case disconnected = 4

    public var description: String {
        switch self {
        case .joining: "joining"
        case .syncing: "syncing"
        case .joined: "joined"
        case .leaving: "leaving"
        case .disconnected: "disconnected"
        }
    }

    public init?(name: String) {
        guard let state = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = state
    }
}

/// One entry of `locked_partitions`.
///
/// The new leader's own entry has no `position`. An acknowledging node's entry carries its
/// last log position for the partition (so the leader knows what it must hold before it
/// opens) and the write leases it granted shortly before (so a node that is silent rather
/// than dead, and might still think it leads, has stopped writing before the partition
/// opens without its acknowledgment).
public struct LockEntry: Hashable, Sendable {
    public var epoch: Epoch
    public var leader: NodeID
    public var position: LogPosition?
    public var leaseGrants: [LeaseGrant]

    public init(epoch: Epoch, leader: NodeID, position: LogPosition? = nil, leaseGrants: [LeaseGrant] = []) {
        self.epoch = epoch
        self.leader = leader
        self.position = position
        self.leaseGrants = leaseGrants
    }
}

/// A write lease an acknowledger granted that may still be running when it acknowledged.
/// The acknowledger cannot know who leads the partition (that is the point), so it reports
/// every recent grant; a nil node stands for "any node", used when the list would be long.
public struct LeaseGrant: Hashable, Sendable {
    public var node: NodeID?
    public var remainingMilliseconds: UInt32

    public init(node: NodeID?, remainingMilliseconds: UInt32) {
        self.node = node
        self.remainingMilliseconds = remainingMilliseconds
    }

    /// Beyond this many grants an acknowledgment reports one "any node" grant instead.
    public static let maximumListed = 8
}

/// The record each node gossips about itself (the seed's `SimpleNode`); others relay it.
public struct SimpleNode: Hashable, Sendable {
    public var id: NodeID
    /// Bumped on every restart, and to refute a false "disconnected".
    public var incarnation: UInt64
    public var slot: Slot
    public var gossipAddress: String
    public var httpAddress: String
    public var state: NodeState
    /// Advanced by the owner every gossip round and on every change of its record.
    public var heartbeat: UInt64
    public var hlc: HybridTimestamp
    /// The seed's `locked_partitions`.
    public var lockedPartitions: [PartitionID: LockEntry]
    /// Partitions this node has opened and leads, with the epoch it opened them at.
    public var leading: [PartitionID: Epoch]
    /// The config version the owner runs; lets a node spot a newer config to fetch.
    public var configVersion: UInt64

    public init(
        id: NodeID, incarnation: UInt64 = 1, slot: Slot, gossipAddress: String = "", httpAddress: String = "",
        state: NodeState, heartbeat: UInt64 = 1, hlc: HybridTimestamp = .zero,
        lockedPartitions: [PartitionID: LockEntry] = [:], leading: [PartitionID: Epoch] = [:],
        configVersion: UInt64 = 1
    ) {
        self.id = id
        self.incarnation = incarnation
        self.slot = slot
        self.gossipAddress = gossipAddress
        self.httpAddress = httpAddress
        self.state = state
        self.heartbeat = heartbeat
        self.hlc = hlc
        self.lockedPartitions = lockedPartitions
        self.leading = leading
        self.configVersion = configVersion
    }

    /// Which of two copies of one node's record wins a merge: the later incarnation, then
    /// a "disconnected" verdict over a live copy of the same incarnation (the owner refutes
    /// it by bumping its incarnation), then the higher heartbeat.
    public var version: RecordVersion {
        RecordVersion(incarnation: incarnation, verdict: state == .disconnected ? 1 : 0, heartbeat: heartbeat)
    }

    public var isLive: Bool { state != .disconnected }
}

public struct RecordVersion: Hashable, Comparable, Sendable {
    public var incarnation: UInt64
    public var verdict: UInt8
    public var heartbeat: UInt64

    public static func < (lhs: RecordVersion, rhs: RecordVersion) -> Bool {
        (lhs.incarnation, lhs.verdict, lhs.heartbeat) < (rhs.incarnation, rhs.verdict, rhs.heartbeat)
    }
}

/// What a named node keeps across restarts (the seed's `NodeMetadata`).
public struct NodeMetadata: Hashable, Sendable {
    public var nodeID: NodeID
    public var incarnation: UInt64
    public var slot: Slot?
    public var config: ClusterConfig?
    /// The highest epoch this node has seen for each partition: never handed out twice.
    public var epochs: [PartitionID: Epoch]
    public var lockedPartitions: [PartitionID: LockEntry]
    public var leading: [PartitionID: Epoch]

    public init(
        nodeID: NodeID, incarnation: UInt64 = 0, slot: Slot? = nil, config: ClusterConfig? = nil,
        epochs: [PartitionID: Epoch] = [:], lockedPartitions: [PartitionID: LockEntry] = [:],
        leading: [PartitionID: Epoch] = [:]
    ) {
        self.nodeID = nodeID
        self.incarnation = incarnation
        self.slot = slot
        self.config = config
        self.epochs = epochs
        self.lockedPartitions = lockedPartitions
        self.leading = leading
    }
}

extension LockEntry {
    /// The same lock: one leader at one epoch, whatever the acknowledger added to it.
    public func isSameLock(as other: LockEntry) -> Bool { epoch == other.epoch && leader == other.leader }
}
