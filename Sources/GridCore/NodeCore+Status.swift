/// This node's view as an operator reads it.
extension NodeCore {
    public func status() -> ClusterStatus {
        let nodes = records.values.sorted { ($0.slot, $0.id) < ($1.slot, $1.id) }.map { record in
            ClusterStatus.Node(
                id: record.id.description, slot: record.slot, state: record.state.description,
                incarnation: record.incarnation, heartbeat: record.heartbeat, gossip: record.gossipAddress,
                http: record.httpAddress, hlc: record.hlc.description,
                lockedPartitions: record.lockedPartitions.keys.sorted(), leading: record.leading.keys.sorted(),
                lastHeardMilliseconds: record.id == id ? 0 : now - (lastProgress[record.id] ?? now))
        }
        let locks = records.values.filter(\.isLive).flatMap { record in
            record.lockedPartitions.filter { $0.value.leader == record.id }.map {
                (partition: $0.key, lock: $0.value, leader: record)
            }
        }
        let handshakes = locks.sorted { ($0.partition, $0.lock.epoch) < ($1.partition, $1.lock.epoch) }.map { item in
            let others = assignedLiveNodes.filter { $0 != item.leader.id }
            let waiting = others.filter {
                records[$0]?.lockedPartitions[item.partition]?.isSameLock(as: item.lock) != true
            }
            return ClusterStatus.Handshake(
                partition: item.partition, epoch: item.lock.epoch.rawValue, newLeader: item.leader.id.description,
                previousLeader: previousLeader(of: item.partition, below: item.lock.epoch)?.description,
                ageMilliseconds: now - (lockFirstSeen[item.partition] ?? now),
                waitingFor: waiting.map(\.description).sorted(), acknowledged: others.count - waiting.count,
                required: others.count)
        }
        let locking = Set(locks.map(\.partition))
        let partitions = (0..<config.partitionCount).map { partition in
            let leaderSlot = placement.leader(of: partition)
            let locked = records.values.contains { $0.isLive && $0.lockedPartitions[partition] != nil }
            let phase: String
            if locking.contains(partition) {
                let acknowledged = handshakes.first { $0.partition == partition }.map { $0.acknowledged > 0 } ?? false
                phase = acknowledged ? "acknowledging" : "locked"
            } else if locked {
                phase = "locked"
            } else if records.values.contains(where: { $0.isLive && $0.leading[partition] != nil }) {
                phase = "open"
            } else {
                phase = "unled"
            }
            return ClusterStatus.Partition(
                id: partition, leader: leaderSlot.flatMap { slotHolders[$0]?.description }, leaderSlot: leaderSlot,
                epoch: highestKnownEpoch(of: partition).rawValue, owners: placement.owners(of: partition),
                locked: locked, phase: phase)
        }
        return ClusterStatus(
            cluster: ClusterStatus.Cluster(
                name: config.name, size: config.size, partitions: config.partitionCount,
                replication: config.replicationFactor, configVersion: config.version),
            node: ClusterStatus.Answering(
                id: id.description, slot: me.slot, items: logs.values.reduce(0) { $0 + $1.itemCount },
                fencing: settings.fencing.rawValue, leaseValid: hasWriteLease(at: now)),
            nodes: nodes, partitions: partitions, handshakes: handshakes)
    }

    /// True when no live node in this view is locking or acknowledging anything.
    public var isQuiet: Bool { !records.values.contains { $0.isLive && !$0.lockedPartitions.isEmpty } }

    /// A leaving node may stop once it leads nothing and no handshake needs its acknowledgment.
    public var mayExit: Bool { me.state == .leaving && me.leading.isEmpty && isQuiet }
}
