/// The address card of one member of a cluster that starts already formed.
public struct FormedMember: Hashable, Sendable {
    public var id: NodeID
    public var gossipAddress: String
    public var httpAddress: String

    public init(id: NodeID, gossipAddress: String, httpAddress: String) {
        self.id = id
        self.gossipAddress = gossipAddress
        self.httpAddress = httpAddress
    }
}

extension NodeCore {
    /// Starts `id` as a member of a cluster that has already formed and settled: member `i`
    /// joined in slot `i`, every partition open at the first epoch of the node its placement
    /// names leader, no lock anywhere, empty logs. It is what every view holds once a cold
    /// start that gave the members these slots has settled (there the epochs may be of later
    /// rounds), reached without the handshakes: forming a thousand nodes from cold takes
    /// hours of simulation, so the gossip benchmark starts its largest clusters here and
    /// measures membership changes from a settled view.
    ///
    /// Records are learned the way gossip teaches them (merged), so every index is built by
    /// the same code as in a running node. `members` has one entry per slot of `config`, `id`
    /// among them.
    public init(
        formed id: NodeID, members: [FormedMember], config: ClusterConfig, seeds: [String], settings: NodeSettings,
        durable: Bool, now: Instant, wall: UInt64
    ) {
        precondition(members.count == config.size, "a formed cluster has one member per slot")
        guard let mine = members.firstIndex(where: { $0.id == id }) else {
            preconditionFailure("\(id) is not a member of the formed cluster")
        }
        self.init(
            id: id, config: config, seeds: seeds, gossipAddress: members[mine].gossipAddress,
            httpAddress: members[mine].httpAddress, settings: settings, metadata: nil, durable: durable, now: now,
            wall: wall)
        let placement = Placement(config: config, eligibleSlots: Set(members.indices))
        var leading = Array(repeating: [PartitionID: Epoch](), count: members.count)
        for partition in 0..<config.partitionCount {
            let slot = placement.leader(of: partition)!
            leading[slot][partition] = Epoch.next(after: .zero, slot: slot)
            epochs[partition] = leading[slot][partition]
        }
        for (slot, member) in members.enumerated() where slot != mine {
            merge(
                SimpleNode(
                    id: member.id, slot: slot, gossipAddress: member.gossipAddress, httpAddress: member.httpAddress,
                    state: .joined, hlc: me.hlc, leading: leading[slot], configVersion: config.version))
        }
        updateMe {
            $0.slot = mine
            $0.state = .joined
            $0.leading = leading[mine]
        }
        refreshPlacement()
        // The events of learning the members are not news: the cluster was already formed.
        outbox.removeAll()
    }
}
