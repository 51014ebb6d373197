/// The symmetrical lock handshake (DESIGN §5): lock, acknowledge, open, clean up.
extension NodeCore {
    /// The highest epoch this view knows for `partition`, from any record or our own past.
    public func highestKnownEpoch(of partition: PartitionID) -> Epoch {
        max(epochs[partition] ?? .zero, epochsInView[partition]?.keys.max() ?? .zero)
    }

    /// Brings the view's indexes (`lockingLeaders`, `epochsInView`, `lockHolders` and
    /// `acknowledgedBy`) up to date after a record changed from `before` (nil when it is
    /// new) to `after`.
    mutating func index(_ after: SimpleNode, replacing before: SimpleNode?) {
        if after.id != id {
            if after.lockedPartitions.values.contains(where: { $0.leader == after.id }) {
                lockingLeaders.insert(after.id)
            } else {
                lockingLeaders.remove(after.id)
            }
        }
        let locksChanged = before?.lockedPartitions != after.lockedPartitions
        if locksChanged {
            for (partition, lock) in before?.lockedPartitions ?? [:] { countEpoch(lock.epoch, of: partition, by: -1) }
            for (partition, lock) in after.lockedPartitions { countEpoch(lock.epoch, of: partition, by: 1) }
            indexAcknowledgments(after, replacing: before)
        }
        if locksChanged || before?.isLive != after.isLive {
            if let before {
                for partition in before.lockedPartitions.keys {
                    countHolder(of: partition, isLive: before.isLive, by: -1)
                }
            }
            for partition in after.lockedPartitions.keys { countHolder(of: partition, isLive: after.isLive, by: 1) }
        }
        if before?.leading != after.leading {
            for (partition, epoch) in before?.leading ?? [:] { countEpoch(epoch, of: partition, by: -1) }
            for (partition, epoch) in after.leading { countEpoch(epoch, of: partition, by: 1) }
        }
    }

    private mutating func countEpoch(_ epoch: Epoch, of partition: PartitionID, by change: Int) {
        let count = epochsInView[partition, default: [:]][epoch, default: 0] + change
        epochsInView[partition, default: [:]][epoch] = count > 0 ? count : nil
    }

    private mutating func countHolder(of partition: PartitionID, isLive: Bool, by change: Int) {
        var holders = lockHolders[partition, default: LockHolders()]
        holders.all += change
        if isLive { holders.live += change }
        lockHolders[partition] = holders.all > 0 ? holders : nil
    }

    /// A lock of this node's own that is new (or gone) is weighed against every record
    /// once; another node's change of locks only against this node's own locks.
    private mutating func indexAcknowledgments(_ after: SimpleNode, replacing before: SimpleNode?) {
        guard after.id == id else {
            guard !acknowledgedBy.isEmpty else { return }
            let own = me.lockedPartitions
            for partition in Array(acknowledgedBy.keys) {
                if after.lockedPartitions[partition]?.isSameLock(as: own[partition]!) == true {
                    if acknowledgedBy[partition]!.insert(after.id).inserted {
                        unnotedAcknowledgments[partition, default: []].insert(after.id)
                    }
                } else {
                    acknowledgedBy[partition]!.remove(after.id)
                }
            }
            return
        }
        func ownLock(of record: SimpleNode?, on partition: PartitionID) -> LockEntry? {
            record?.lockedPartitions[partition].flatMap { $0.leader == id ? $0 : nil }
        }
        for partition in Set(after.lockedPartitions.keys).union(before?.lockedPartitions.keys ?? [:].keys) {
            let lock = ownLock(of: after, on: partition)
            let previous = ownLock(of: before, on: partition)
            if let previous, let lock, previous.isSameLock(as: lock) { continue }
            guard let lock else {
                acknowledgedBy[partition] = nil
                unnotedAcknowledgments[partition] = nil
                continue
            }
            let holding = Set(
                records.compactMap { node, record in
                    node != id && record.lockedPartitions[partition]?.isSameLock(as: lock) == true ? node : nil
                })
            acknowledgedBy[partition] = holding
            unnotedAcknowledgments[partition] = holding
        }
    }

    var mayLead: Bool { me.state == .joined && ownSlotIsHeld }

    /// The live node in the slot this view's placement names leader of `partition`.
    func expectedLeader(of partition: PartitionID) -> SimpleNode? {
        placement.leader(of: partition).flatMap(holder(of:))
    }

    /// Whether the last change of leadership has landed in this view: every live node is on
    /// this config and every partition is led by the node its placement names. A resize on
    /// top of one whose handshakes have not even started would make the next handshakes'
    /// joint quorum span owners of a config that never held data: a quorum never met.
    var leadershipHasSettled: Bool {
        records.values.allSatisfy { !$0.isLive || $0.configVersion == config.version }
            && (0..<config.partitionCount).allSatisfy { partition in
                expectedLeader(of: partition)?.leading[partition] != nil
            }
    }

    /// The node that last opened `partition` below `epoch` in this view, if any.
    func previousLeader(of partition: PartitionID, below epoch: Epoch) -> NodeID? {
        let leading = records.values.compactMap { record in record.leading[partition].map { ($0, record.id) } }
            .filter { $0.0 < epoch }.max { ($0.0, $1.1) < ($1.0, $0.1) }
        if let leading { return leading.1 }
        guard let opened = lastOpened[partition], opened.epoch < epoch else { return nil }
        return opened.leader
    }

    mutating func rememberOpened(by record: SimpleNode) {
        for (partition, epoch) in record.leading where epoch > lastOpened[partition]?.epoch ?? .zero {
            lastOpened[partition] = (epoch, record.id)
        }
    }

    /// Step 1, the seed's `assign_partition_leaders`: partitions this node newly wins move
    /// into its `locked_partitions` at a fresh epoch; locks it no longer deserves go.
    mutating func assignPartitionLeaders() {
        for (partition, lock) in me.lockedPartitions.sorted(by: { $0.key < $1.key }) where lock.leader == id {
            if !mayLead || placement.leader(of: partition) != me.slot {
                handshakes[partition] = nil
                syncs[partition] = nil
                updateMe { $0.lockedPartitions[partition] = nil }
                event(.abandoned, partition: partition, epoch: lock.epoch)
            }
        }
        guard mayLead else { return }
        for partition in placement.partitions(ledBy: me.slot) {
            let highest = highestKnownEpoch(of: partition)
            if let epoch = me.leading[partition], epoch >= highest { continue }
            if let lock = me.lockedPartitions[partition], lock.leader == id, lock.epoch >= highest { continue }
            lockPartition(partition, above: highest)
        }
    }

    /// Two nodes that briefly held one slot can lock a partition at the same epoch; the
    /// lower id wins the tie, so every node (and every replay of a simulation, whatever
    /// order its dictionaries iterate in) picks the same lock.
    static func isNewer(_ lock: LockEntry, than current: LockEntry?) -> Bool {
        guard let current else { return true }
        return (lock.epoch, current.leader) > (current.epoch, lock.leader)
    }

    mutating func lockPartition(_ partition: PartitionID, above highest: Epoch) {
        let epoch = Epoch.next(after: highest, slot: me.slot)
        epochs[partition] = epoch
        failPendingWrites(partition, reason: "partition \(partition) is being locked at epoch \(epoch)")
        replication[partition] = nil
        updateMe {
            $0.leading[partition] = nil
            $0.lockedPartitions[partition] = LockEntry(epoch: epoch, leader: $0.id)
        }
        handshakes[partition] = HandshakeProgress(epoch: epoch, startedAt: now, lastAnnounced: now)
        event(.locked, partition: partition, epoch: epoch)
        // One announcement carries every lock of this step (see `reconcile`).
        announcementDue = true
    }

    /// Someone promised the partition to an epoch at or above our lock: lock above it.
    mutating func handleRefusal(_ partition: PartitionID, lock epoch: Epoch, promised: Epoch) {
        guard let lock = me.lockedPartitions[partition], lock.leader == id, lock.epoch == epoch, promised >= epoch
        else { return }
        event(.abandoned, partition: partition, epoch: epoch, detail: "refused: epoch \(promised) promised")
        lockPartition(partition, above: max(promised, highestKnownEpoch(of: partition)))
    }

    mutating func announce(to nodes: [NodeID]) {
        let message = PeerMessage.announce(config: config, record: me)
        for node in nodes where node != id { send(message, to: node) }
    }

    /// Step 2: a node that sees another node lock a partition above every epoch it knows
    /// stops writing it and joins the lock, with its last log position.
    mutating func acknowledgeLocks() {
        var newest: [PartitionID: LockEntry] = [:]
        for leader in lockingLeaders {
            guard let record = records[leader], record.isLive, record.state != .joining else { continue }
            for (partition, lock) in record.lockedPartitions
            where lock.leader == record.id && partition < config.partitionCount
                && lock.epoch > (epochs[partition] ?? .zero) && Self.isNewer(lock, than: newest[partition])
            {
                newest[partition] = lock
            }
        }
        for (partition, lock) in newest.sorted(by: { $0.key < $1.key }) {
            if settings.acknowledgmentDelay > 0 {
                let delayed = delayedAcknowledgments[partition]
                if delayed == nil || delayed!.lock.epoch < lock.epoch {
                    delayedAcknowledgments[partition] = DelayedAcknowledgment(
                        lock: lock, due: now + settings.acknowledgmentDelay)
                }
                if now < delayedAcknowledgments[partition]!.due { continue }
            }
            acknowledge(partition, lock: lock)
        }
        delayedAcknowledgments = delayedAcknowledgments.filter { newest[$0.key] != nil }
    }

    /// The leases this node granted that may still run, other than to `leader`.
    func recentLeaseGrants(excluding leader: NodeID) -> [LeaseGrant] {
        let running = grants.filter { $0.key != leader && $0.key != id }
            .map { (node: $0.key, remaining: $0.value + settings.leaseDuration - now) }.filter { $0.remaining > 0 }
            .sorted { $0.node < $1.node }
        // A process cannot remember the grants of its previous life, which may still run for
        // one lease after it started: they are reported as a grant to any node.
        let previousLife = bootedAt + settings.leaseDuration - now
        if running.count > LeaseGrant.maximumListed || previousLife > 0 {
            let longest = max(running.map(\.remaining).max() ?? 0, previousLife)
            return [LeaseGrant(node: nil, remainingMilliseconds: UInt32(clamping: longest))]
        }
        return running.map { LeaseGrant(node: $0.node, remainingMilliseconds: UInt32(clamping: $0.remaining)) }
    }

    mutating func acknowledge(_ partition: PartitionID, lock: LockEntry) {
        epochs[partition] = lock.epoch
        delayedAcknowledgments[partition] = nil
        handshakes[partition] = nil
        syncs[partition] = nil
        replication[partition] = nil
        failPendingWrites(partition, reason: "leadership of partition \(partition) moved to \(lock.leader.short)")
        let entry = LockEntry(
            epoch: lock.epoch, leader: lock.leader, position: logs[partition]?.last ?? .start,
            leaseGrants: recentLeaseGrants(excluding: lock.leader))
        updateMe {
            $0.leading[partition] = nil
            $0.lockedPartitions[partition] = entry
        }
        event(.acknowledged, partition: partition, epoch: lock.epoch, peer: lock.leader)
        send(.announce(config: config, record: me), to: lock.leader)
    }

    /// Step 4: acknowledgments end once their leader has opened the partition, given up the
    /// lock, or gone silent (its successor will lock above it).
    mutating func releaseFinishedLocks() {
        for (partition, lock) in me.lockedPartitions.sorted(by: { $0.key < $1.key }) where lock.leader != id {
            let leader = records[lock.leader]
            let stillLocking =
                leader.map { record in
                    record.isLive && record.leading[partition].map { $0 < lock.epoch } ?? true
                        && record.lockedPartitions[partition].map { $0.leader == record.id && $0.epoch >= lock.epoch }
                            == true
                } ?? false
            guard !stillLocking else { continue }
            let opened = leader?.leading[partition].map { $0 >= lock.epoch } ?? false
            updateMe { $0.lockedPartitions[partition] = nil }
            event(
                .released, partition: partition, epoch: lock.epoch, peer: lock.leader, detail: opened ? "" : "abandoned"
            )
        }
    }

    /// When this view first saw each running handshake, for the age the status reports. It
    /// runs on the tick rather than on every message: an age is then up to one tick late.
    mutating func noteLockAges() {
        lockFirstSeen = lockFirstSeen.filter { lockHolders[$0.key] != nil }
        for (partition, holders) in lockHolders where holders.live > 0 && lockFirstSeen[partition] == nil {
            lockFirstSeen[partition] = now
        }
    }

    /// Step 3 (and 5, 6): open each partition this node is locking once everyone live has
    /// acknowledged, a majority stands behind it, it holds the newest data, and any lease
    /// the previous leader may still hold has run out.
    mutating func advanceHandshakes() {
        let ownLocks = me.lockedPartitions.filter { $0.value.leader == id }.sorted { $0.key < $1.key }
        guard !ownLocks.isEmpty else { return }
        // Opening a partition changes only this node's record, which is not among them.
        let otherCount = assignedLiveNodes.count - (isAssignedLive(id) ? 1 : 0)
        for (partition, lock) in ownLocks {
            let acknowledging = acknowledgedBy[partition] ?? []
            var progress: HandshakeProgress
            var unnoted = unnotedAcknowledgments.removeValue(forKey: partition) ?? []
            if let running = handshakes[partition] {
                progress = running
            } else {
                progress = HandshakeProgress(
                    epoch: lock.epoch, startedAt: now, lastAnnounced: now + -settings.retransmitInterval)
                unnoted = acknowledging
            }
            defer { handshakes[partition] = progress }
            for node in unnoted
            where acknowledging.contains(node) && isAssignedLive(node) && progress.acknowledgedAt[node] == nil {
                progress.acknowledgedAt[node] = now
            }
            // Fewer acknowledgers than other nodes means someone is still waited for, and who
            // matters only when it is time to announce again.
            let everyoneAcknowledged =
                acknowledging.count >= otherCount
                && assignedLiveNodes.allSatisfy { $0 == id || acknowledging.contains($0) }
            if !everyoneAcknowledged {
                if now - progress.lastAnnounced >= settings.retransmitInterval {
                    progress.lastAnnounced = now
                    announce(to: assignedLiveNodes.filter { $0 != id && !acknowledging.contains($0) })
                }
                continue
            }
            let others = assignedLiveNodes.compactMap { $0 == id ? nil : records[$0] }
            let acknowledgers = others + [me]
            if settings.fencing == .lease && !hasQuorum(partition, among: acknowledgers) { continue }
            let newest = acknowledgers.compactMap { record in
                record.lockedPartitions[partition]?.position.map { (position: $0, holder: record.id) }
            }.max { $0.position < $1.position }
            if let (target, holder) = newest, target > (logs[partition]?.last ?? .start) {
                requestSync(partition, from: holder, target: target, purpose: .handshake)
                continue
            }
            // Nodes that have not acknowledged (disconnected here, so not waited for) might
            // still think they lead; any lease someone granted them must run out first.
            let acknowledged = acknowledging.union([id])
            let silent = Set(records.keys).subtracting(acknowledged)
            if settings.fencing == .lease,
                now < leaseFence(partition, silent: silent, acknowledgers: others, progress)
            {
                continue
            }
            // A force unlock: the node the partition comes from never acknowledged (it is
            // disconnected here), whether or not it had stepped down before it went silent.
            let forced = previousLeader(of: partition, below: lock.epoch).map(silent.contains) ?? false
            let slots = acknowledgers.map(\.slot).sorted()
            open(partition, lock: lock, forced: forced, detail: "after \(now - progress.startedAt) ms, slots \(slots)")
        }
    }

    /// When every lease granted to a silent node (by an acknowledger before it acknowledged,
    /// or by this node) has surely run out on the holder's clock.
    func leaseFence(
        _ partition: PartitionID, silent: Set<NodeID>, acknowledgers: [SimpleNode], _ progress: HandshakeProgress
    ) -> Instant {
        var notBefore = Instant.zero
        for record in acknowledgers {
            guard let entry = record.lockedPartitions[partition], let seen = progress.acknowledgedAt[record.id] else {
                continue
            }
            // A grant to a node this view does not even know is still a grant to wait out.
            for grant in entry.leaseGrants where grant.node.map({ silent.contains($0) || records[$0] == nil }) ?? true {
                notBefore = max(notBefore, seen + settings.fencedWait(forLease: Int64(grant.remainingMilliseconds)))
            }
        }
        for node in silent {
            guard let granted = grants[node] else { continue }
            notBefore = max(notBefore, now + settings.fencedWait(forLease: granted + settings.leaseDuration - now))
        }
        return notBefore
    }

    /// A majority of slots acknowledged (so any lease a silent leader holds must have come
    /// from one of them, who reported it) and a majority of the owners with data did (so
    /// every write acknowledged to a client is among the positions collected).
    /// After a resize the owners of the config before count too (a joint quorum), since a
    /// majority of the new owners need not overlap the old majority that holds a write.
    func hasQuorum(_ partition: PartitionID, among acknowledgers: [SimpleNode]) -> Bool {
        let acknowledging = Set(acknowledgers.map(\.id))
        let slots = slotHolders.values.filter(acknowledging.contains).count
        guard slots >= config.slotMajority else { return false }
        let dataHolders = Dictionary(
            acknowledgers.filter { $0.slot >= 0 && $0.state != .syncing }.map { ($0.slot, $0.id) },
            uniquingKeysWith: min)
        return placement.ownerSets(of: partition).allSatisfy { owners in
            owners.filter { dataHolders[$0] != nil }.count >= owners.count / 2 + 1
        }
    }

    mutating func open(_ partition: PartitionID, lock: LockEntry, forced: Bool, detail: String) {
        epochs[partition] = lock.epoch
        handshakes[partition] = nil
        syncs[partition] = nil
        replication[partition] = nil
        updateMe {
            $0.lockedPartitions[partition] = nil
            $0.leading[partition] = lock.epoch
        }
        event(forced ? .forcedOpen : .opened, partition: partition, epoch: lock.epoch, detail: detail)
        announcementDue = true
    }

    /// Drops leadership that someone else has since locked or opened above.
    mutating func stepDownWhereSuperseded() {
        for (partition, epoch) in me.leading.sorted(by: { $0.key < $1.key })
        where highestKnownEpoch(of: partition) > epoch {
            stepDown(partition, from: epoch)
        }
    }

    mutating func stepDown(_ partition: PartitionID, from epoch: Epoch) {
        failPendingWrites(partition, reason: "partition \(partition) moved past epoch \(epoch)")
        replication[partition] = nil
        updateMe { $0.leading[partition] = nil }
    }
}
