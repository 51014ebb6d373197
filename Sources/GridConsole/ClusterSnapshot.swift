import GridCore

/// What the console knows about the cluster at one moment: every reachable node's own
/// view, and the nodes it could not reach.
public struct ClusterSnapshot: Hashable, Sendable {
    /// Each reachable node's `GET /cluster/status`, keyed by that node's id.
    public var statuses: [String: ClusterStatus]
    /// Node ids (or addresses, for nodes never reached) that did not answer.
    public var unreachable: Set<String>

    public init(statuses: [String: ClusterStatus] = [:], unreachable: Set<String> = []) {
        self.statuses = statuses
        self.unreachable = unreachable
    }

    public static let empty = ClusterSnapshot()

    /// The view the cluster shape and the partition map come from: the newest config
    /// version, then the most joined nodes, then the lowest slot, so the choice is stable.
    public var primary: ClusterStatus? {
        statuses.values.max { lhs, rhs in
            if lhs.cluster.configVersion != rhs.cluster.configVersion {
                return lhs.cluster.configVersion < rhs.cluster.configVersion
            }
            let lhsJoined = lhs.nodes.count(where: { $0.state == "joined" })
            let rhsJoined = rhs.nodes.count(where: { $0.state == "joined" })
            if lhsJoined != rhsJoined { return lhsJoined < rhsJoined }
            return (lhs.node.slot, lhs.node.id) > (rhs.node.slot, rhs.node.id)
        }
    }

    /// Every node any view knows, one record each: the node's own record when it
    /// answered (nobody knows its `locked_partitions` better), else the freshest record
    /// others relay. Items come only from each node's own status. Sorted by slot, then id.
    public var mergedNodes: [MergedNode] {
        var records: [String: ClusterStatus.Node] = [:]
        for status in statuses.values {
            for node in status.nodes {
                if let known = records[node.id], !Self.isFresher(node, than: known) { continue }
                records[node.id] = node
            }
        }
        for (id, status) in statuses {
            if let own = status.nodes.first(where: { $0.id == id }) { records[id] = own }
        }
        return records.values.map { record in
            let own = statuses[record.id]
            return MergedNode(
                record: record, items: own?.node.items, reachable: own != nil,
                leaseValid: own?.node.leaseValid)
        }
        .sorted { ($0.record.slot, $0.record.id) < ($1.record.slot, $1.record.id) }
    }

    /// Every running handshake any view reports, one per partition: the highest epoch,
    /// as the new leader itself reports it when it answered (it decides when to open).
    public var handshakes: [ClusterStatus.Handshake] {
        var chosen: [Int: ClusterStatus.Handshake] = [:]
        for (viewer, status) in statuses {
            for handshake in status.handshakes {
                guard let current = chosen[handshake.partition] else {
                    chosen[handshake.partition] = handshake
                    continue
                }
                if handshake.epoch > current.epoch
                    || (handshake.epoch == current.epoch && viewer == handshake.newLeader)
                {
                    chosen[handshake.partition] = handshake
                }
            }
        }
        return chosen.values.sorted { $0.partition < $1.partition }
    }

    /// Every partition of the primary view, with the lock state any view reports folded in
    /// and, for a partition in handshake, the new leader's own record of it.
    public var mergedPartitions: [ClusterStatus.Partition] {
        guard let primary else { return [] }
        var partitions = primary.partitions
        var index: [Int: Int] = [:]
        for (position, partition) in partitions.enumerated() { index[partition.id] = position }
        for status in statuses.values {
            for partition in status.partitions where partition.locked {
                if let position = index[partition.id] { partitions[position].locked = true }
            }
        }
        for handshake in handshakes {
            guard let position = index[handshake.partition] else { continue }
            if let leaderView = statuses[handshake.newLeader],
                let record = leaderView.partitions.first(where: { $0.id == handshake.partition })
            {
                partitions[position] = record
            }
            partitions[position].locked = true
        }
        return partitions
    }

    /// Views on another config version than the primary one, by node id: a resize still
    /// spreading, or a node cut off.
    public var laggingViews: [String] {
        guard let version = primary?.cluster.configVersion else { return [] }
        return statuses.filter { $0.value.cluster.configVersion != version }.keys.sorted()
    }

    /// Newer incarnation or heartbeat wins; on a tie a "disconnected" verdict wins, as in
    /// SWIM, since the observer that gave it saw the same record go silent.
    private static func isFresher(_ candidate: ClusterStatus.Node, than known: ClusterStatus.Node) -> Bool {
        let candidateVersion = (candidate.incarnation, candidate.heartbeat)
        let knownVersion = (known.incarnation, known.heartbeat)
        if candidateVersion != knownVersion { return candidateVersion > knownVersion }
        return candidate.state == "disconnected" && known.state != "disconnected"
    }
}

/// One row of the node table: the best record of a node and what only it can tell.
public struct MergedNode: Hashable, Sendable {
    public var record: ClusterStatus.Node
    /// Items the node stores, from its own status; nil when it did not answer.
    public var items: Int?
    /// Whether the console reached the node itself.
    public var reachable: Bool
    public var leaseValid: Bool?

    public init(record: ClusterStatus.Node, items: Int?, reachable: Bool, leaseValid: Bool? = nil) {
        self.record = record
        self.items = items
        self.reachable = reachable
        self.leaseValid = leaseValid
    }
}
