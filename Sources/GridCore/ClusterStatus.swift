/// One node's view of the cluster, as `GET /cluster/status` returns it and the console
/// renders it. A plain value: GridCore derives it, GridNode serializes it, GridConsole
/// decodes and draws it.
public struct ClusterStatus: Hashable, Sendable, Codable {
    public struct Cluster: Hashable, Sendable, Codable {
        public var name: String
        public var size: Int
        public var partitions: Int
        public var replication: Int
        public var configVersion: UInt64

        public init(name: String, size: Int, partitions: Int, replication: Int, configVersion: UInt64) {
            self.name = name
            self.size = size
            self.partitions = partitions
            self.replication = replication
            self.configVersion = configVersion
        }

        enum CodingKeys: String, CodingKey {
            case name, size, partitions, replication
            case configVersion = "config_version"
        }
    }

    /// The node that answered.
    public struct Answering: Hashable, Sendable, Codable {
        public var id: String
        public var slot: Int
        public var items: Int
        public var fencing: String
        public var leaseValid: Bool

        public init(id: String, slot: Int, items: Int, fencing: String, leaseValid: Bool) {
            self.id = id
            self.slot = slot
            self.items = items
            self.fencing = fencing
            self.leaseValid = leaseValid
        }

        enum CodingKeys: String, CodingKey {
            case id, slot, items, fencing
            case leaseValid = "lease_valid"
        }
    }

    public struct Node: Hashable, Sendable, Codable {
        public var id: String
        public var slot: Int
        public var state: String
        public var incarnation: UInt64
        public var heartbeat: UInt64
        public var gossip: String
        public var http: String
        public var hlc: String
        public var lockedPartitions: [Int]
        public var leading: [Int]
        /// Milliseconds since this view last saw the node's heartbeat advance.
        public var lastHeardMilliseconds: Int64

        public init(
            id: String, slot: Int, state: String, incarnation: UInt64, heartbeat: UInt64, gossip: String,
            http: String, hlc: String, lockedPartitions: [Int], leading: [Int], lastHeardMilliseconds: Int64
        ) {
            self.id = id
            self.slot = slot
            self.state = state
            self.incarnation = incarnation
            self.heartbeat = heartbeat
            self.gossip = gossip
            self.http = http
            self.hlc = hlc
            self.lockedPartitions = lockedPartitions
            self.leading = leading
            self.lastHeardMilliseconds = lastHeardMilliseconds
        }

        enum CodingKeys: String, CodingKey {
            case id, slot, state, incarnation, heartbeat, gossip, http, hlc, leading
            case lockedPartitions = "locked_partitions"
            case lastHeardMilliseconds = "last_heard_ms"
        }
    }

    public struct Partition: Hashable, Sendable, Codable {
        public var id: Int
        /// The node id of the leader in this view's map, if any owner may lead.
        public var leader: String?
        public var leaderSlot: Int?
        /// The highest epoch this view knows for the partition.
        public var epoch: UInt64
        /// Owner slots, best first.
        public var owners: [Int]
        /// True while any node in this view has the partition in its `locked_partitions`.
        public var locked: Bool
        /// `open`, `locked`, `acknowledging` or `unled`.
        public var phase: String

        public init(
            id: Int, leader: String?, leaderSlot: Int?, epoch: UInt64, owners: [Int], locked: Bool, phase: String
        ) {
            self.id = id
            self.leader = leader
            self.leaderSlot = leaderSlot
            self.epoch = epoch
            self.owners = owners
            self.locked = locked
            self.phase = phase
        }

        enum CodingKeys: String, CodingKey {
            case id, leader, epoch, owners, locked, phase
            case leaderSlot = "leader_slot"
        }
    }

    public struct Handshake: Hashable, Sendable, Codable {
        public var partition: Int
        public var epoch: UInt64
        public var newLeader: String
        public var previousLeader: String?
        /// How long this view has seen the lock, in milliseconds.
        public var ageMilliseconds: Int64
        /// Live nodes whose own record does not yet show the lock at this epoch.
        public var waitingFor: [String]
        public var acknowledged: Int
        public var required: Int

        public init(
            partition: Int, epoch: UInt64, newLeader: String, previousLeader: String?, ageMilliseconds: Int64,
            waitingFor: [String], acknowledged: Int, required: Int
        ) {
            self.partition = partition
            self.epoch = epoch
            self.newLeader = newLeader
            self.previousLeader = previousLeader
            self.ageMilliseconds = ageMilliseconds
            self.waitingFor = waitingFor
            self.acknowledged = acknowledged
            self.required = required
        }

        enum CodingKeys: String, CodingKey {
            case partition, epoch, acknowledged, required
            case newLeader = "new_leader"
            case previousLeader = "previous_leader"
            case ageMilliseconds = "age_ms"
            case waitingFor = "waiting_for"
        }
    }

    public var cluster: Cluster
    public var node: Answering
    public var nodes: [Node]
    public var partitions: [Partition]
    public var handshakes: [Handshake]

    public init(cluster: Cluster, node: Answering, nodes: [Node], partitions: [Partition], handshakes: [Handshake]) {
        self.cluster = cluster
        self.node = node
        self.nodes = nodes
        self.partitions = partitions
        self.handshakes = handshakes
    }
}
