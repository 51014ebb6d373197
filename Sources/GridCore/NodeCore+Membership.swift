/// Membership: gossip, record merging, failure detection with refutation, slots, config.
extension NodeCore {
    /// The live node holding `slot` in this view.
    func holder(of slot: Slot) -> SimpleNode? { slotHolders[slot].flatMap { records[$0] } }

    /// Brings `slotHolders` and `joinedSlots` up to date for `slots`, whose claimants
    /// changed. Of the live records claiming a slot of the current config, the one further
    /// along keeps it (a newcomer never evicts a joined node), then the lower id. Only the
    /// touched slots are weighed: every view sees every node change state, and weighing all
    /// records each time would cost the cube of the cluster's size.
    mutating func refreshSlotHolders(of slots: some Sequence<Slot>) {
        for slot in slots {
            var holder: SimpleNode?
            let claimants = slot < config.size ? slotClaimants[slot, default: []] : []
            for claimant in claimants {
                guard let record = records[claimant], record.isLive else { continue }
                if holder.map({ Self.seniority($0) < Self.seniority(record) }) ?? true { holder = record }
            }
            slotHolders[slot] = holder?.id
            if holder?.state == .joined { joinedSlots.insert(slot) } else { joinedSlots.remove(slot) }
        }
    }

    /// After `node`'s record changed from `before`: files it under its new slot, weighs the
    /// slots it left and entered, and lists or unlists it among the assigned live nodes.
    mutating func refreshSlotHolders(after node: NodeID, was before: SimpleNode?) {
        guard let after = records[node] else { return }
        if let before, (before.slot, before.state, before.isLive) == (after.slot, after.state, after.isLive) { return }
        var touched = [after.slot]
        if let before, before.slot != after.slot {
            slotClaimants[before.slot]?.remove(node)
            touched.append(before.slot)
        }
        slotClaimants[after.slot, default: []].insert(node)
        refreshSlotHolders(of: touched.filter { $0 >= 0 })
        let assigned = after.isLive && after.slot >= 0 && after.state != .joining
        let position = assignedLivePosition(of: node)
        let listed = position < assignedLiveNodes.endIndex && assignedLiveNodes[position] == node
        if assigned && !listed {
            assignedLiveNodes.insert(node, at: position)
            // Only assigned live nodes' acknowledgments have their time noted.
            for (partition, holding) in acknowledgedBy where holding.contains(node) {
                unnotedAcknowledgments[partition, default: []].insert(node)
            }
        } else if !assigned && listed {
            assignedLiveNodes.remove(at: position)
        }
    }

    /// Where `node` is, or would go, in the sorted `assignedLiveNodes`.
    func assignedLivePosition(of node: NodeID) -> Int {
        var low = 0
        var high = assignedLiveNodes.endIndex
        while low < high {
            let middle = (low + high) / 2
            if assignedLiveNodes[middle] < node { low = middle + 1 } else { high = middle }
        }
        return low
    }

    func isAssignedLive(_ node: NodeID) -> Bool {
        let position = assignedLivePosition(of: node)
        return position < assignedLiveNodes.endIndex && assignedLiveNodes[position] == node
    }

    static func seniority(_ record: SimpleNode) -> (Int, UInt64) {
        let rank =
            switch record.state {
            case .joined, .leaving: 2
            case .syncing: 1
            case .joining, .disconnected: 0
            }
        return (rank, UInt64.max - record.id.rawValue)
    }

    public func isLive(_ node: NodeID) -> Bool { records[node]?.isLive ?? false }

    var ownSlotIsHeld: Bool { me.slot >= 0 && slotHolders[me.slot] == id }

    mutating func sendGossip(random: inout some RandomNumberGenerator) {
        let gossip = PeerMessage.gossip(
            Gossip(
                config: config, sender: me,
                digest: records.values.map { RecordDigest(id: $0.id, version: $0.version) }.sorted { $0.id < $1.id },
                probe: now))
        var live = records.compactMap { node, record in node != id && record.isLive ? node : nil }.sorted()
        live.shuffle(using: &random)
        for peer in live.prefix(settings.gossipFanout) { send(gossip, to: peer) }
        // A leader must hear from a majority every lease: it probes that many, and the
        // peers past the fanout get a probe alone, since the fanout already spreads records.
        let leads = !me.leading.isEmpty || me.lockedPartitions.values.contains { $0.leader == id }
        if leads, config.slotMajority - 1 > settings.gossipFanout {
            let probe = PeerMessage.gossip(Gossip(config: config, sender: me, digest: nil, probe: now))
            for peer in live.prefix(config.slotMajority - 1).dropFirst(settings.gossipFanout) { send(probe, to: peer) }
        }
        // Now and then a disconnected node, so a healed partition is noticed from this side too.
        let silent = records.compactMap { node, record in node != id && !record.isLive ? node : nil }.sorted()
        if let peer = silent.randomElement(using: &random), Int.random(in: 0..<4, using: &random) == 0 {
            send(gossip, to: peer)
        }
        if live.isEmpty || me.state == .joining {
            for seed in seeds where seed != me.gossipAddress { emit(.send(gossip, to: .address(seed))) }
        }
    }

    mutating func handleGossip(_ gossip: Gossip) {
        mergeConfig(gossip.config)
        merge(gossip.sender)
        let known = Dictionary((gossip.digest ?? []).map { ($0.id, $0.version) }, uniquingKeysWith: max)
        // The requester's own record is included when ours is newer: that is a verdict it must refute.
        var newer =
            gossip.digest == nil
            ? []
            : records.values.filter { record in
                record.id != id && known[record.id].map { record.version > $0 } ?? true
            }.sorted { $0.id < $1.id }
        grants[gossip.sender.id] = now
        var superseded: [PartitionID: Epoch] = [:]
        let claims = gossip.sender.leading.merging(
            gossip.sender.lockedPartitions.filter { $0.value.leader == gossip.sender.id }.mapValues(\.epoch),
            uniquingKeysWith: max)
        for (partition, claimed) in claims {
            if let promised = epochs[partition], promised > claimed { superseded[partition] = promised }
        }
        var reply = GossipReply(
            config: config, sender: me, records: [], echo: gossip.probe, echoIncarnation: gossip.sender.incarnation,
            superseded: superseded)
        // A reply over the datagram limit is dropped whole, and in a large cluster (or one whose
        // records carry many locks) the records a newcomer lacks exceed it: only what fits goes,
        // most needed first, and the requester's next round asks for the rest.
        var fitting = WireCodec.recordCount(fitting: newer, into: reply)
        if fitting < newer.count {
            newer = Self.mostNeededFirst(newer, by: gossip.sender.id, knowing: known)
            fitting = WireCodec.recordCount(fitting: newer, into: reply)
        }
        reply.records = Array(newer.prefix(fitting))
        send(.gossipReply(reply), to: gossip.sender.id)
    }

    /// `records` in the order a requester that knows `known` needs them: its own record (a
    /// verdict it must refute), records it lacks, a restart or a verdict it has not seen, then
    /// heartbeats, the furthest behind first, since a heartbeat that does not arrive makes a
    /// live node look disconnected. Ties go by id, so the order does not depend on hashing.
    static func mostNeededFirst(
        _ records: [SimpleNode], by requester: NodeID, knowing known: [NodeID: RecordVersion]
    ) -> [SimpleNode] {
        func urgency(_ record: SimpleNode) -> (rank: Int, lag: UInt64) {
            if record.id == requester { return (0, 0) }
            guard let theirs = known[record.id] else { return (1, 0) }
            let ours = record.version
            if (ours.incarnation, ours.verdict) != (theirs.incarnation, theirs.verdict) { return (2, 0) }
            return (3, UInt64.max - (ours.heartbeat - theirs.heartbeat))
        }
        return records.map { (urgency: urgency($0), record: $0) }
            .sorted {
                ($0.urgency.rank, $0.urgency.lag, $0.record.id) < ($1.urgency.rank, $1.urgency.lag, $1.record.id)
            }
            .map(\.record)
    }

    mutating func handleGossipReply(_ reply: GossipReply) {
        mergeConfig(reply.config)
        // The sender's state is merged before its grant counts, so a grant can never be
        // used without the locks that came with it.
        merge(reply.sender)
        for record in reply.records { merge(record) }
        for (partition, epoch) in reply.superseded where epoch > (epochs[partition] ?? .zero) {
            epochs[partition] = epoch
            metadataDirty = true
        }
        stepDownWhereSuperseded()
        // Only probes of this life count: the clock restarted with the incarnation.
        guard reply.echoIncarnation == me.incarnation, reply.echo <= now else { return }
        echoes[reply.sender.id] = max(echoes[reply.sender.id] ?? reply.echo, reply.echo)
    }

    mutating func handleAnnounce(config: ClusterConfig, record: SimpleNode) {
        mergeConfig(config)
        merge(record)
        // A leader that announces again is still waiting: answer with our record even if
        // our acknowledgment was sent before, since that copy may have been lost.
        let waiting = record.lockedPartitions.contains { partition, lock in
            lock.leader == record.id && me.lockedPartitions[partition]?.isSameLock(as: lock) == true
        }
        // At most once per retransmission interval per peer: two nodes each waiting on the
        // other's acknowledgment would otherwise answer each other's answers forever.
        if waiting
            && now - (announceReplies[record.id] ?? Instant(milliseconds: .min / 2)) >= settings.retransmitInterval
        {
            announceReplies[record.id] = now
            send(.announce(config: self.config, record: me), to: record.id)
        }
        refuseLocksAlreadySuperseded(by: record)
    }

    /// Tells a locking node when this node promised its partition to an equal or higher
    /// epoch already, so the leader can lock again above instead of waiting forever.
    mutating func refuseLocksAlreadySuperseded(by record: SimpleNode) {
        guard record.isLive else { return }
        for (partition, lock) in record.lockedPartitions.sorted(by: { $0.key < $1.key }) where lock.leader == record.id
        {
            let promised = epochs[partition] ?? .zero
            let acknowledged = me.lockedPartitions[partition]?.isSameLock(as: lock) == true
            let pending = delayedAcknowledgments[partition]?.lock.isSameLock(as: lock) == true
            guard !acknowledged, !pending, lock.epoch <= promised else { continue }
            send(.refuse(partition: partition, lock: lock.epoch, promised: promised), to: record.id)
        }
    }

    /// Merges one copy of a record into the view.
    mutating func merge(_ incoming: SimpleNode) {
        if incoming.id == id {
            refuteIfCalledDisconnected(incoming)
            return
        }
        let existing = records[incoming.id]
        guard existing.map({ incoming.version > $0.version }) ?? true else { return }
        var incoming = incoming
        if let existing, existing.incarnation == incoming.incarnation, existing.heartbeat > incoming.heartbeat {
            // A verdict relayed from a stale observer: take the verdict, keep our fresher content.
            var fresher = existing
            fresher.state = .disconnected
            incoming = fresher
        }
        records[incoming.id] = incoming
        index(incoming, replacing: existing)
        rememberOpened(by: incoming)
        refreshSlotHolders(after: incoming.id, was: existing)
        let advanced = existing.map { (incoming.incarnation, incoming.heartbeat) > ($0.incarnation, $0.heartbeat) }
        if existing == nil || advanced == true { lastProgress[incoming.id] = now }
        if let existing, existing.state != incoming.state {
            if incoming.state == .disconnected {
                event(.disconnected, peer: incoming.id)
            } else if incoming.state == .joined {
                event(.joined, peer: incoming.id)
            }
        } else if existing == nil && incoming.state == .joined {
            event(.joined, peer: incoming.id)
        }
        records[id]!.hlc = me.hlc.merged(with: incoming.hlc, wall: wall)
    }

    /// SWIM's refutation: a node told it is disconnected proves otherwise with a new incarnation.
    mutating func refuteIfCalledDisconnected(_ copy: SimpleNode) {
        guard copy.state == .disconnected, copy.incarnation >= me.incarnation else { return }
        updateMe { $0.incarnation = copy.incarnation + 1 }
        event(.refuted, detail: "incarnation \(me.incarnation)")
    }

    /// Records whose heartbeat has not advanced for `failureTimeout` become disconnected here.
    mutating func detectFailures() {
        // Only the silent ones are sorted: this runs on every tick, over every record.
        let silent = records.compactMap { nodeID, record in
            nodeID != id && record.isLive && now - (lastProgress[nodeID] ?? now) > settings.failureTimeout
                ? nodeID : nil
        }
        for nodeID in silent.sorted() {
            let record = records[nodeID]!
            let heard = lastProgress[nodeID] ?? now
            records[nodeID]!.state = .disconnected
            index(records[nodeID]!, replacing: record)
            refreshSlotHolders(after: nodeID, was: record)
            event(.disconnected, peer: nodeID, detail: "silent \(now - heard) ms")
        }
    }

    mutating func mergeConfig(_ incoming: ClusterConfig) {
        guard incoming.name == config.name else { return }
        let newer =
            incoming.version > config.version
            || (incoming.version == config.version && incoming != config
                && (incoming.size, incoming.partitionCount) > (config.size, config.partitionCount))
        guard newer else { return }
        adopt(incoming)
        metadataDirty = true
        updateMe { $0.configVersion = incoming.version }
        event(.configAdopted, detail: "version \(incoming.version) size \(incoming.size)")
    }

    mutating func adopt(_ next: ClusterConfig) {
        config = next
        refreshSlotHolders(of: Array(slotClaimants.keys.filter { $0 >= 0 }))
        metadataDirty = true
    }

    mutating func refreshPlacement() {
        if placement.config != config {
            placement = Placement(config: config, eligibleSlots: joinedSlots)
        } else if placement.eligibleSlots != joinedSlots {
            placement = placement.withEligibleSlots(joinedSlots)
        }
    }

    /// Takes a free slot when joining, gives up a slot another node won, and turns
    /// `leaving` when a shrink removed this node's slot.
    mutating func adoptOrLeaveSlot() {
        let slot = me.slot
        if slot >= 0, let holder = holder(of: slot), holder.id != id, me.state != .leaving {
            updateMe {
                $0.slot = Self.unassigned
                $0.state = .joining
            }
            event(.slotTaken, peer: holder.id, detail: "slot \(slot)")
        }
        if me.slot == Self.unassigned {
            guard records.count > 1 || seeds.isEmpty else { return }
            // A slot no record claims first: a disconnected holder may only be partitioned
            // away, and its slot's data is with it.
            let taken = Set(slotHolders.keys)
            let claimed = Set(records.values.filter { $0.id != id }.map(\.slot))
            let open = (0..<config.size).filter { !taken.contains($0) }
            let unclaimed = open.filter { !claimed.contains($0) }
            let candidates = unclaimed.isEmpty ? open : unclaimed
            guard !candidates.isEmpty else { return }
            // Newcomers that all took the lowest free slot would collide on it, and only one
            // would win it a round, so a cluster would form one slot at a time. Each takes
            // the free slot at its rank among the newcomers it knows of instead: views that
            // agree on who is joining hand out distinct slots at once, and slots still fill
            // from the lowest.
            let newcomers = records.values.filter { $0.isLive && $0.state == .joining && $0.slot == Self.unassigned }
                .map(\.id).sorted()
            let free = candidates[(newcomers.firstIndex(of: id) ?? 0) % candidates.count]
            joinSynced = []
            updateMe {
                $0.slot = free
                $0.state = .syncing
            }
            return
        }
        if me.slot >= config.size && me.state != .leaving && me.state != .joining {
            updateMe { $0.state = .leaving }
        } else if me.slot < config.size && me.state == .leaving {
            updateMe { $0.state = .joined }
        }
    }
}
