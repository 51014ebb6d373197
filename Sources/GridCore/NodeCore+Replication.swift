/// Leader → replica replication, catch-up by sync, and the joining node's initial sync.
extension NodeCore {
    /// Live nodes holding a replica slot of `partition` (see `Placement.replicaSlots`), other than this one.
    func liveReplicas(of partition: PartitionID) -> [NodeID] {
        placement.replicaSlots(of: partition).compactMap { slotHolders[$0] }.filter { $0 != id }
    }

    /// Appends a client's write as leader and sends it to the replicas.
    mutating func appendAsLeader(_ partition: PartitionID, key: ItemKey, mutation: Mutation, requester: Requester) {
        guard let epoch = me.leading[partition] else { return }
        let previous = lastPosition(of: partition)
        let entry = LogEntry(
            epoch: epoch, lsn: previous.lsn + 1, key: key, mutation: mutation, hlc: me.hlc.ticked(wall: wall))
        records[id]!.hlc = entry.hlc
        // Mutated in place: copying the log out and back would copy every entry on each write.
        logs[partition, default: PartitionLog()].append(entry)
        emit(.persistLog(partition: partition, .entries(after: previous.lsn, [entry])))
        compactIfDue(partition)
        let receipt = WriteReceipt(partition: partition, epoch: epoch, lsn: entry.lsn, node: id)
        let replicas = liveReplicas(of: partition)
        if settings.acknowledgment == .leader || replicas.isEmpty && writeIsDurable(partition, lsn: entry.lsn) {
            respond(to: requester, with: .written(receipt))
        } else {
            pendingWrites[partition, default: []].append(
                PendingWrite(
                    lsn: entry.lsn, epoch: epoch, requester: requester, deadline: now + settings.requestTimeout))
        }
        for replica in replicas {
            // Stream at once to a replica that is keeping up; a lagging one gets the entry
            // with its catch-up batch.
            guard var progress = replication[partition]?[replica], progress.heard, progress.streamed == previous.lsn
            else { continue }
            send(
                .replicate(Replicate(partition: partition, epoch: epoch, previous: previous, entries: [entry])),
                to: replica)
            progress.streamed = entry.lsn
            replication[partition]![replica] = progress
        }
    }

    /// An entry is acknowledged once every live replica holds it and, under lease fencing, a
    /// majority of each owner set does, counted by slot: a later leader's handshake collects
    /// positions from a majority of each set, so the two majorities meet. (Counting heads
    /// instead let a leader that had left the owners call one copy a majority.)
    func writeIsDurable(_ partition: PartitionID, lsn: LSN) -> Bool {
        let replicas = liveReplicas(of: partition)
        let holding = Set(replicas.filter { (replication[partition]?[$0]?.match ?? 0) >= lsn })
        guard holding.count == replicas.count else { return false }
        guard settings.fencing == .lease else { return true }
        return placement.ownerSets(of: partition).allSatisfy { owners in
            let held = owners.filter { $0 == me.slot || slotHolders[$0].map(holding.contains) == true }
            return held.count >= owners.count / 2 + 1
        }
    }

    /// Resends what replicas lack, and learns where new replicas stand.
    mutating func advanceReplication() {
        for (partition, epoch) in me.leading.sorted(by: { $0.key < $1.key }) {
            // A replica that has just been declared dead no longer holds writes back.
            completeDurableWrites(partition)
            let log = logs[partition] ?? PartitionLog()
            for replica in liveReplicas(of: partition) {
                var progress =
                    replication[partition]?[replica]
                    ?? ReplicaProgress(
                        next: log.last.lsn, streamed: log.last.lsn, lastSent: now + -settings.retransmitInterval)
                if (!progress.heard || progress.match < log.last.lsn)
                    && now - progress.lastSent >= settings.retransmitInterval
                {
                    let start = min(progress.next, log.last.lsn)
                    guard start >= log.base.lsn else {
                        // What the replica lacks was compacted away: it gets the items instead.
                        sendSnapshotChunk(partition, purpose: .replication, epoch: epoch, to: replica)
                        progress.lastSent = now
                        replication[partition, default: [:]][replica] = progress
                        continue
                    }
                    let entries = log.entries(after: start, limit: settings.syncBatch)
                    let message = Replicate(
                        partition: partition, epoch: epoch, previous: log.position(at: start), entries: entries)
                    send(.replicate(message), to: replica)
                    progress.streamed = start + UInt64(entries.count)
                    progress.lastSent = now
                }
                replication[partition, default: [:]][replica] = progress
            }
        }
    }

    mutating func handleReplicate(_ message: Replicate, from sender: NodeID?) {
        let partition = message.partition
        guard partition >= 0, partition < config.partitionCount, let sender,
            followLeader(of: partition, at: message.epoch, sender: sender)
        else { return }
        let last = lastPosition(of: partition)
        guard logs[partition]?.contains(message.previous) ?? (message.previous.lsn == 0) else {
            let retry = logs[partition]?.retryPoint(forMissing: message.previous) ?? 0
            send(
                .replicateAck(
                    ReplicateAck(
                        partition: partition, epoch: message.epoch, success: false, last: last, retryFrom: retry)),
                to: sender)
            return
        }
        applyEntries(message.entries, after: message.previous.lsn, partition: partition)
        let held = message.previous.lsn + UInt64(message.entries.count)
        send(
            .replicateAck(
                ReplicateAck(
                    partition: partition, epoch: message.epoch, success: true,
                    last: logs[partition]?.position(at: held) ?? .start,
                    retryFrom: held)),
            to: sender)
    }

    /// Whether a replica follows `epoch`'s leader of `partition`. A deposed leader's data is
    /// refused, and the reply carries the newer epoch; a newer leader's ends this node's
    /// own leadership before anything is applied.
    mutating func followLeader(of partition: PartitionID, at epoch: Epoch, sender: NodeID) -> Bool {
        let known = epochs[partition] ?? .zero
        guard epoch >= known, me.leading[partition] == nil || epoch > me.leading[partition]! else {
            let last = lastPosition(of: partition)
            send(
                .replicateAck(
                    ReplicateAck(
                        partition: partition, epoch: known, success: false, last: last, retryFrom: last.lsn)),
                to: sender)
            return false
        }
        if epoch > known {
            epochs[partition] = epoch
            metadataDirty = true
        }
        if let leading = me.leading[partition] { stepDown(partition, from: leading) }
        return true
    }

    func lastPosition(of partition: PartitionID) -> LogPosition { logs[partition]?.last ?? .start }

    /// Writes entries that follow `after`, keeping any identical ones already held, and
    /// replacing a conflicting suffix.
    mutating func applyEntries(_ entries: [LogEntry], after: LSN, partition: PartitionID) {
        var skip = 0
        while skip < entries.count, logs[partition]?.entry(at: entries[skip].lsn) == entries[skip] { skip += 1 }
        guard skip < entries.count else { return }
        let change = LogChange.entries(after: after + UInt64(skip), Array(entries[skip...]))
        if logs[partition, default: PartitionLog()].apply(change) {
            emit(.persistLog(partition: partition, change))
            compactIfDue(partition)
        }
    }

    mutating func handleReplicateAck(_ ack: ReplicateAck, from replica: NodeID) {
        let partition = ack.partition
        guard let epoch = me.leading[partition], ack.epoch == epoch,
            var progress = replication[partition]?[replica]
        else { return }
        progress.heard = true
        if ack.success {
            progress.match = max(progress.match, ack.last.lsn)
            progress.next = max(progress.next, progress.match)
        } else {
            progress.match = min(progress.match, ack.retryFrom)
            progress.next = ack.retryFrom
            progress.streamed = ack.retryFrom
            progress.lastSent = now + -settings.retransmitInterval
        }
        replication[partition]![replica] = progress
        completeDurableWrites(partition)
    }

    mutating func completeDurableWrites(_ partition: PartitionID) {
        guard let pending = pendingWrites[partition], !pending.isEmpty else { return }
        var remaining: [PendingWrite] = []
        for write in pending {
            if writeIsDurable(partition, lsn: write.lsn) {
                respond(
                    to: write.requester,
                    with: .written(WriteReceipt(partition: partition, epoch: write.epoch, lsn: write.lsn, node: id)))
            } else {
                remaining.append(write)
            }
        }
        pendingWrites[partition] = remaining
    }

    // MARK: Sync

    mutating func requestSync(
        _ partition: PartitionID, from source: NodeID, target: LogPosition, purpose: SyncProgress.Purpose
    ) {
        if let existing = syncs[partition], existing.source == source,
            now - existing.lastSent < settings.retransmitInterval
        {
            return
        }
        syncs[partition] = SyncProgress(source: source, target: target, lastSent: now, purpose: purpose)
        send(.syncRequest(SyncRequest(partition: partition, after: logs[partition]?.last ?? .start)), to: source)
    }

    mutating func handleSyncRequest(_ request: SyncRequest, from requester: NodeID) {
        guard request.partition >= 0, request.partition < config.partitionCount else { return }
        let log = logs[request.partition] ?? PartitionLog()
        let matched = log.contains(request.after)
        let start = matched ? request.after.lsn : log.retryPoint(forMissing: request.after)
        guard start >= log.base.lsn else {
            sendSnapshotChunk(
                request.partition, purpose: .sync, epoch: epochs[request.partition] ?? .zero, to: requester)
            return
        }
        let reply = SyncReply(
            partition: request.partition, after: request.after, matched: matched,
            entries: matched ? log.entries(after: request.after.lsn, limit: settings.syncBatch) : [],
            last: log.last, retryFrom: start)
        send(.syncReply(reply), to: requester)
    }

    mutating func handleSyncReply(_ reply: SyncReply, from source: NodeID) {
        let partition = reply.partition
        guard var progress = syncs[partition], progress.source == source else { return }
        if reply.matched {
            guard logs[partition]?.contains(reply.after) ?? (reply.after.lsn == 0) else { return }
            applyEntries(reply.entries, after: reply.after.lsn, partition: partition)
            if reply.entries.isEmpty || lastPosition(of: partition) >= reply.last {
                if progress.purpose == .join { joinSynced.insert(partition) }
                syncs[partition] = nil
                return
            }
        }
        let after =
            reply.matched ? lastPosition(of: partition) : (logs[partition]?.position(at: reply.retryFrom) ?? .start)
        progress.lastSent = now
        syncs[partition] = progress
        send(.syncRequest(SyncRequest(partition: partition, after: after)), to: source)
    }

    /// A syncing node copies every partition it owns from the partition's leader, then
    /// turns joined and may lead. A partition whose leader is out of reach is waited for,
    /// not skipped: a joined owner counts toward the data quorum of its handshakes, and an
    /// owner that holds nothing must not. A partition nobody has opened has nothing to copy.
    mutating func advanceJoinSync() {
        guard me.state == .syncing, ownSlotIsHeld else { return }
        var leaders: [PartitionID: (epoch: Epoch, node: NodeID)] = [:]
        for record in records.values where record.isLive {
            for (partition, epoch) in record.leading
            where leaders[partition].map({ (epoch, $0.node) > ($0.epoch, record.id) }) ?? true {
                leaders[partition] = (epoch, record.id)
            }
        }
        var complete = true
        for partition in placement.partitions(ownedBy: me.slot) where !joinSynced.contains(partition) {
            guard let leader = leaders[partition]?.node, leader != id else {
                let everOpened = records.values.contains { $0.id != id && $0.leading[partition] != nil }
                if leaders[partition]?.node == id || !everOpened {
                    joinSynced.insert(partition)
                } else {
                    complete = false
                }
                continue
            }
            complete = false
            if syncs[partition] == nil || now - syncs[partition]!.lastSent >= settings.retransmitInterval * 5 {
                syncs[partition] = nil
                requestSync(partition, from: leader, target: .start, purpose: .join)
            }
        }
        if complete {
            updateMe { $0.state = .joined }
            event(.joined)
        }
    }
}
