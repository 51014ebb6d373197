/// Log compaction, and the snapshots that replace compacted entries for a peer that still
/// needs them: a replica far behind its leader, or a node syncing from one.
///
/// A transfer is pulled by its receiver one chunk at a time; the sender freezes the items
/// of the position it started from, so every chunk of one transfer fits with the others
/// while writes go on.
extension NodeCore {
    /// Folds the oldest entries into the base once the log holds twice the retention.
    mutating func compactIfDue(_ partition: PartitionID) {
        guard let through = logs[partition]?.compactionDue(retention: settings.logRetention) else { return }
        logs[partition]!.compact(through: through)
        emit(.persistLog(partition: partition, .compaction(through: through)))
    }

    /// Sends the chunk at `offset` of the snapshot at `position`. When that snapshot is no
    /// longer held (or none was asked for), the first chunk of one at the log's current
    /// position goes instead, and the receiver starts over.
    mutating func sendSnapshotChunk(
        _ partition: PartitionID, purpose: SnapshotPurpose, epoch: Epoch, to node: NodeID,
        position: LogPosition? = nil, offset: Int = 0
    ) {
        let log = logs[partition] ?? PartitionLog()
        var served = servedSnapshots[partition]
        var offset = offset
        if served == nil || served!.position != (position ?? log.last) {
            if served?.position != log.last {
                served = ServedSnapshot(position: log.last, items: log.allItems, lastUsed: now)
            }
            offset = 0
        }
        var snapshot = served!
        snapshot.lastUsed = now
        servedSnapshots[partition] = snapshot
        let start = min(offset, snapshot.items.count)
        var end = start
        var bytes = 0
        while end < snapshot.items.count, end - start < WireCodec.maximumItems,
            end == start || bytes < settings.snapshotChunkBytes
        {
            bytes += snapshot.items[end].estimatedWireBytes
            end += 1
        }
        let chunk = SnapshotChunk(
            partition: partition, purpose: purpose, epoch: epoch, position: snapshot.position, offset: start,
            total: snapshot.items.count, items: Array(snapshot.items[start..<end]))
        send(.snapshotChunk(chunk), to: node)
    }

    mutating func handleSnapshotRequest(_ request: SnapshotRequest, from requester: NodeID) {
        let partition = request.partition
        guard partition >= 0, partition < config.partitionCount else { return }
        let epoch: Epoch
        switch request.purpose {
        case .replication:
            guard let leading = me.leading[partition], var progress = replication[partition]?[requester] else { return }
            // A transfer under way is progress: the leader must not start it over.
            progress.lastSent = now
            replication[partition]![requester] = progress
            epoch = leading
        case .sync:
            epoch = epochs[partition] ?? .zero
        }
        sendSnapshotChunk(
            partition, purpose: request.purpose, epoch: epoch, to: requester, position: request.position,
            offset: request.offset)
    }

    mutating func handleSnapshotChunk(_ chunk: SnapshotChunk, from sender: NodeID) {
        let partition = chunk.partition
        guard partition >= 0, partition < config.partitionCount else { return }
        switch chunk.purpose {
        case .replication:
            guard followLeader(of: partition, at: chunk.epoch, sender: sender) else { return }
        case .sync:
            guard syncs[partition]?.source == sender else { return }
            // A transfer under way is progress: the sync must not be asked for again.
            syncs[partition]!.lastSent = now
        }
        var incoming = incomingSnapshots[partition]
        if incoming.map({ ($0.source, $0.purpose, $0.position) != (sender, chunk.purpose, chunk.position) }) ?? true {
            // A chunk from the middle of a transfer this node is not running is stale.
            guard chunk.offset == 0 else { return }
            incoming = IncomingSnapshot(
                source: sender, purpose: chunk.purpose, position: chunk.position, total: chunk.total, items: [],
                lastHeard: now)
        }
        var transfer = incoming!
        // A chunk sent again, or a transfer the sender restarted at the same position,
        // adds nothing; the request below asks for what is still missing.
        if chunk.offset == transfer.items.count { transfer.items += chunk.items }
        transfer.lastHeard = now
        guard transfer.items.count >= transfer.total else {
            incomingSnapshots[partition] = transfer
            send(
                .snapshotRequest(
                    SnapshotRequest(
                        partition: partition, purpose: transfer.purpose, position: transfer.position,
                        offset: transfer.items.count)),
                to: sender)
            return
        }
        incomingSnapshots[partition] = nil
        install(PartitionSnapshot(position: transfer.position, items: transfer.items), partition: partition)
        event(
            .snapshotInstalled, partition: partition, epoch: transfer.position.epoch, peer: sender,
            detail: "at lsn \(transfer.position.lsn), \(transfer.total) items")
        switch transfer.purpose {
        case .replication:
            send(
                .replicateAck(
                    ReplicateAck(
                        partition: partition, epoch: chunk.epoch, success: true, last: transfer.position,
                        retryFrom: transfer.position.lsn)),
                to: sender)
        case .sync:
            // Entries written since the snapshot was taken come by the usual sync.
            send(.syncRequest(SyncRequest(partition: partition, after: transfer.position)), to: sender)
        }
    }

    private mutating func install(_ snapshot: PartitionSnapshot, partition: PartitionID) {
        let change = LogChange.snapshot(snapshot)
        logs[partition, default: PartitionLog()].apply(change)
        emit(.persistLog(partition: partition, change))
    }

    /// Forgets transfers nobody has touched for a while: a receiver that went away, or a
    /// sender that stopped answering (the receiver's next sync or replication starts anew).
    mutating func expireSnapshots() {
        let idle = settings.retransmitInterval * 25
        servedSnapshots = servedSnapshots.filter { now - $0.value.lastUsed < idle }
        incomingSnapshots = incomingSnapshots.filter { now - $0.value.lastHeard < idle }
    }
}

/// The items of one partition frozen at `position`, while a transfer reads them.
struct ServedSnapshot: Hashable, Sendable {
    var position: LogPosition
    var items: [Item]
    var lastUsed: Instant
}

/// The chunks of a snapshot received so far.
struct IncomingSnapshot: Hashable, Sendable {
    var source: NodeID
    var purpose: SnapshotPurpose
    var position: LogPosition
    var total: Int
    var items: [Item]
    var lastHeard: Instant
}

extension Item {
    /// About what the item takes on the wire: its strings plus room for the numbers.
    var estimatedWireBytes: Int {
        key.partitionKey.utf8.count + (key.rangeKey?.utf8.count ?? 0) + value.utf8.count + 48
    }
}
