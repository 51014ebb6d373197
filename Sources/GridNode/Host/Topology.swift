import GridCore

/// `GET /cluster/topology`: who holds each slot and, per partition, its owners and leader
/// with the addresses a client needs to reach them. Derived from the status alone.
public struct Topology: Codable, Hashable, Sendable {
    public struct SlotHolder: Codable, Hashable, Sendable {
        public var slot: Int
        /// Live nodes claiming the slot (more than one only while a claim is contested).
        public var nodes: [String]
    }

    public struct PartitionPlacement: Codable, Hashable, Sendable {
        public var partition: Int
        public var leader: String?
        public var leaderHTTP: String?
        public var epoch: UInt64
        public var owners: [Int]
        public var locked: Bool

        enum CodingKeys: String, CodingKey {
            case partition, leader, epoch, owners, locked
            case leaderHTTP = "leader_http"
        }
    }

    public var cluster: ClusterStatus.Cluster
    public var node: String
    public var slots: [SlotHolder]
    public var partitions: [PartitionPlacement]

    public init(_ status: ClusterStatus) {
        cluster = status.cluster
        node = status.node.id
        let live = status.nodes.filter { $0.state != NodeState.disconnected.description }
        let http = Dictionary(status.nodes.map { ($0.id, $0.http) }, uniquingKeysWith: { first, _ in first })
        slots = (0..<max(0, status.cluster.size)).map { slot in
            SlotHolder(slot: slot, nodes: live.filter { $0.slot == slot }.map(\.id))
        }
        partitions = status.partitions.map { partition in
            PartitionPlacement(
                partition: partition.id, leader: partition.leader, leaderHTTP: partition.leader.flatMap { http[$0] },
                epoch: partition.epoch, owners: partition.owners, locked: partition.locked)
        }
    }
}
