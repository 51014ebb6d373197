/// One node of the protocol as a pure state machine (the "instance" of instance + shell).
///
/// Inputs are a timer tick, a peer message and a client request, each with the node's
/// monotonic time and wall time passed in; outputs are `Effect`s for the shell to carry
/// out. The same value runs in production (GridNode) and in the simulator (GridSim).
public struct NodeCore: Sendable {
    public let id: NodeID
    public var settings: NodeSettings
    public let durable: Bool
    public internal(set) var config: ClusterConfig
    /// This node's view: every record it knows, its own included.
    public internal(set) var records: [NodeID: SimpleNode]
    public internal(set) var logs: [PartitionID: PartitionLog] = [:]
    public internal(set) var placement: Placement

    /// The highest epoch this node has locked, acknowledged or seen opened, per partition.
    public internal(set) var epochs: [PartitionID: Epoch]
    /// The live node holding each slot in this view (see `refreshSlotHolders`).
    var slotHolders: [Slot: NodeID] = [:]
    /// The slots whose holders are joined: the placement's input, kept with `slotHolders`.
    var joinedSlots: Set<Slot> = []
    /// Every record by the slot it claims, live or not: the candidates for `slotHolders`.
    var slotClaimants: [Slot: Set<NodeID>] = [:]
    /// Live nodes with a slot, leaving ones included, by id: every node a handshake must hear
    /// from. Kept with the slot holders: a leader asks on every message, and listing them
    /// afresh would sort a thousand ids each time.
    var assignedLiveNodes: [NodeID] = []
    /// When another node's record last advanced, on this node's clock.
    var lastProgress: [NodeID: Instant] = [:]
    /// The latest of this node's probe stamps that each peer echoed: its lease grants.
    var echoes: [NodeID: Instant] = [:]
    /// When this node last granted each peer a lease by answering its probe.
    var grants: [NodeID: Instant] = [:]
    /// The leader last seen opening each partition, with its epoch. An old leader stops
    /// leading as soon as it sees a higher lock, well before it acknowledges, so the records
    /// alone lose who a handshake takes the partition from.
    var lastOpened: [PartitionID: (epoch: Epoch, leader: NodeID)] = [:]
    var handshakes: [PartitionID: HandshakeProgress] = [:]
    /// The other nodes whose records hold a lock they lead: the only records a lock to
    /// acknowledge can come from. In a large cluster most records hold locks only as
    /// acknowledgers, and every message would otherwise walk them all.
    var lockingLeaders: Set<NodeID> = []
    /// Per partition, how many locks and leaderships in the view carry each epoch, so the
    /// highest known epoch is found without walking every record: a leader asks on every
    /// message, and in a large cluster it hears from a majority every lease.
    var epochsInView: [PartitionID: [Epoch: Int]] = [:]
    /// Per partition, how many records hold a lock on it, and how many of those are live:
    /// what `noteLockAges` needs on every tick without walking every record's locks.
    var lockHolders: [PartitionID: LockHolders] = [:]
    /// Per partition this node is locking, the other nodes whose records hold that very
    /// lock. A leader weighs its handshakes on every message; without this it would look
    /// up every node's record each time.
    var acknowledgedBy: [PartitionID: Set<NodeID>] = [:]
    /// Acknowledgers that may not have their time noted in the handshake's progress yet:
    /// new ones, and ones that just became assigned and live (only those are noted).
    var unnotedAcknowledgments: [PartitionID: Set<NodeID>] = [:]
    var lockFirstSeen: [PartitionID: Instant] = [:]
    var delayedAcknowledgments: [PartitionID: DelayedAcknowledgment] = [:]
    /// A lock or open this step still has to announce; sent once, after everything else.
    var announcementDue = false
    /// When this process started, on its own clock.
    let bootedAt: Instant
    /// When this node last answered each peer's announcement with its own record.
    var announceReplies: [NodeID: Instant] = [:]
    var replication: [PartitionID: [NodeID: ReplicaProgress]] = [:]
    var pendingWrites: [PartitionID: [PendingWrite]] = [:]
    var forwards: [UInt64: ForwardedRequest] = [:]
    var nextForwardID: UInt64 = 1
    var syncs: [PartitionID: SyncProgress] = [:]
    var joinSynced: Set<PartitionID> = []
    var servedSnapshots: [PartitionID: ServedSnapshot] = [:]
    var incomingSnapshots: [PartitionID: IncomingSnapshot] = [:]
    var seeds: [String]
    var lastGossip: Instant
    var outbox: [Effect] = []
    var metadataDirty = false
    var wall: UInt64 = 0
    var now: Instant

    /// Starts a node. Without seeds it bootstraps `config` and joins at once; with seeds it
    /// takes the config from them. `metadata` restores a named node (its id, epochs and
    /// `locked_partitions`, so handshakes resume); an ephemeral node passes nil.
    public init(
        id: NodeID, config: ClusterConfig, seeds: [String], gossipAddress: String, httpAddress: String,
        settings: NodeSettings, metadata: NodeMetadata?, durable: Bool, logs: [PartitionID: PartitionLog] = [:],
        now: Instant, wall: UInt64
    ) {
        self.id = id
        self.settings = settings
        self.durable = durable
        self.seeds = seeds
        self.now = now
        self.bootedAt = now
        self.wall = wall
        self.lastGossip = now + -settings.gossipInterval
        let config = metadata?.config ?? config
        self.config = config
        self.epochs = metadata?.epochs ?? [:]
        self.logs = logs
        let bootstrapping = seeds.isEmpty
        let record = SimpleNode(
            id: id, incarnation: (metadata?.incarnation ?? 0) + 1,
            slot: metadata?.slot ?? (bootstrapping ? 0 : Self.unassigned),
            gossipAddress: gossipAddress, httpAddress: httpAddress,
            // A restarted node catches up before it may lead again; a new one takes a slot first.
            state: metadata?.slot != nil ? .syncing : (bootstrapping ? .joined : .joining),
            hlc: HybridTimestamp(wallMilliseconds: wall, counter: 0),
            lockedPartitions: metadata?.lockedPartitions ?? [:], leading: metadata?.leading ?? [:],
            configVersion: config.version)
        self.records = [id: record]
        // Forward ids restart with the process; the incarnation in the high bits keeps a
        // late reply meant for the previous life from answering a request of this one.
        self.nextForwardID = record.incarnation << 32 | 1
        self.placement = Placement(config: config, eligibleSlots: record.state == .joined ? [0] : [])
        metadataDirty = true
        index(record, replacing: nil)
        refreshSlotHolders(after: id, was: nil)
    }

    static let unassigned: Slot = -1

    public var me: SimpleNode { records[id]! }

    /// Everything the shell must make durable to restart this node where it stopped.
    public var metadata: NodeMetadata {
        NodeMetadata(
            nodeID: id, incarnation: me.incarnation, slot: me.slot >= 0 ? me.slot : nil, config: config,
            epochs: epochs, lockedPartitions: me.lockedPartitions, leading: me.leading)
    }

    // MARK: Inputs

    /// Advances timers: gossip, failure detection, retransmissions, timeouts.
    public mutating func tick(now: Instant, wall: UInt64, random: inout some RandomNumberGenerator) -> [Effect] {
        advance(now: now, wall: wall)
        if now - lastGossip >= settings.gossipInterval {
            lastGossip = now
            updateMe { $0.heartbeat += 1 }
            sendGossip(random: &random)
        }
        detectFailures()
        expireRequests()
        expireSnapshots()
        reconcile()
        noteLockAges()
        return drain()
    }

    public mutating func receive(_ message: PeerMessage, from sender: NodeID?, now: Instant, wall: UInt64) -> [Effect] {
        advance(now: now, wall: wall)
        switch message {
        case .gossip(let gossip): handleGossip(gossip)
        case .gossipReply(let reply): handleGossipReply(reply)
        case .announce(let config, let record): handleAnnounce(config: config, record: record)
        case .replicate(let replicate): handleReplicate(replicate, from: sender)
        case .replicateAck(let ack): if let sender { handleReplicateAck(ack, from: sender) }
        case .syncRequest(let request): if let sender { handleSyncRequest(request, from: sender) }
        case .syncReply(let reply): if let sender { handleSyncReply(reply, from: sender) }
        case .snapshotChunk(let chunk): if let sender { handleSnapshotChunk(chunk, from: sender) }
        case .snapshotRequest(let request): if let sender { handleSnapshotRequest(request, from: sender) }
        case .forward(let forwardID, let request):
            if let sender { handle(request, from: .peer(sender, forwardID), forwarded: true) }
        case .forwardReply(let forwardID, let response): handleForwardReply(forwardID, response)
        case .refuse(let partition, let lock, let promised): handleRefusal(partition, lock: lock, promised: promised)
        }
        switch message {
        case .replicate, .replicateAck, .snapshotChunk, .snapshotRequest:
            // The data path moves logs and replication progress, not the view the handshake
            // reads (a raised epoch is acted on at the next tick): only the stream moves on.
            advanceReplication()
        default:
            reconcile()
        }
        return drain()
    }

    /// A client request that arrived at this node; the answer comes as `.respond(id:)`,
    /// perhaps from a later call once replicas or a forwarded-to leader have answered.
    public mutating func submit(_ request: ClientRequest, id requestID: UInt64, now: Instant, wall: UInt64) -> [Effect]
    {
        advance(now: now, wall: wall)
        handle(request, from: .local(requestID), forwarded: false)
        reconcile()
        return drain()
    }

    /// Changes how long lock acknowledgments are held back (the console's slow motion).
    public mutating func setAcknowledgmentDelay(_ milliseconds: Int64) {
        settings.acknowledgmentDelay = max(0, milliseconds)
    }

    // MARK: Bookkeeping shared by every input

    mutating func advance(now: Instant, wall: UInt64) {
        self.now = max(self.now, now)
        self.wall = wall
    }

    mutating func emit(_ effect: Effect) { outbox.append(effect) }

    mutating func event(
        _ kind: GridEvent.Kind, partition: PartitionID? = nil, epoch: Epoch? = nil, peer: NodeID? = nil,
        detail: String = ""
    ) {
        emit(.event(GridEvent(kind, node: id, partition: partition, epoch: epoch, peer: peer, detail: detail)))
    }

    mutating func send(_ message: PeerMessage, to node: NodeID) {
        guard node != id else { return }
        emit(.send(message, to: .node(node)))
    }

    /// Changes this node's own record: every change advances the heartbeat (so it wins
    /// merges everywhere) and ticks the HLC, and the durable parts are saved.
    mutating func updateMe(_ change: (inout SimpleNode) -> Void) {
        var record = me
        let before = record
        change(&record)
        guard record != before else { return }
        if record.lockedPartitions != before.lockedPartitions || record.leading != before.leading
            || record.slot != before.slot || record.incarnation != before.incarnation
        {
            metadataDirty = true
        }
        if record.heartbeat == before.heartbeat { record.heartbeat += 1 }
        record.hlc = record.hlc.ticked(wall: wall)
        records[id] = record
        index(record, replacing: before)
        rememberOpened(by: record)
        refreshSlotHolders(after: id, was: before)
    }

    mutating func drain() -> [Effect] {
        // Metadata goes first: nothing this step sends may be seen before it is durable.
        if metadataDirty && durable {
            outbox.insert(.persistMetadata(metadata), at: 0)
        }
        metadataDirty = false
        defer { outbox.removeAll(keepingCapacity: true) }
        return outbox
    }

    /// Everything derived from the view, brought up to date after any input.
    mutating func reconcile() {
        refreshPlacement()
        adoptOrLeaveSlot()
        acknowledgeLocks()
        stepDownWhereSuperseded()
        assignPartitionLeaders()
        releaseFinishedLocks()
        advanceHandshakes()
        advanceJoinSync()
        advanceReplication()
        if announcementDue {
            announcementDue = false
            announce(to: assignedLiveNodes)
        }
    }
}

/// Who is waiting for a client response.
enum Requester: Hashable, Sendable {
    case local(UInt64)
    case peer(NodeID, UInt64)
}

struct HandshakeProgress: Hashable, Sendable {
    var epoch: Epoch
    var startedAt: Instant
    var lastAnnounced: Instant
    /// When each acknowledgment was first seen, for the lease wait.
    var acknowledgedAt: [NodeID: Instant] = [:]
}

struct LockHolders: Hashable, Sendable {
    var all = 0
    var live = 0
}

struct DelayedAcknowledgment: Hashable, Sendable {
    var lock: LockEntry
    var due: Instant
}

struct ReplicaProgress: Hashable, Sendable {
    /// The highest entry the replica confirmed it holds.
    var match: LSN = 0
    /// Where the next catch-up batch starts (its `previous`).
    var next: LSN
    /// The highest entry sent to the replica, confirmed or not.
    var streamed: LSN
    /// Whether the replica has answered since this leadership began.
    var heard = false
    var lastSent: Instant
}

struct PendingWrite: Hashable, Sendable {
    var lsn: LSN
    var epoch: Epoch
    var requester: Requester
    var deadline: Instant
}

struct ForwardedRequest: Hashable, Sendable {
    var requester: Requester
    var partition: PartitionID?
    var isWrite: Bool
    var deadline: Instant
}

struct SyncProgress: Hashable, Sendable {
    var source: NodeID
    var target: LogPosition
    var lastSent: Instant
    var purpose: Purpose

    enum Purpose: Hashable, Sendable {
        case handshake
        case join
    }
}
