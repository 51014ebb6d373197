import GridCore

/// A handful of NodeCores wired by an in-memory network that delivers in order, with a
/// clock the test advances: enough to walk the handshake step by step.
final class TestCluster {
    var config: ClusterConfig
    var settings: NodeSettings
    var nodes: [NodeID: NodeCore] = [:]
    var order: [NodeID] = []
    var addresses: [String: NodeID] = [:]
    var durable: [NodeID: NodeMetadata] = [:]
    var inFlight: [(message: PeerMessage, from: NodeID, to: NodeID)] = []
    /// Directed links that drop everything.
    var cut: Set<[NodeID]> = []
    var responses: [UInt64: ClientResponse] = [:]
    var events: [GridEvent] = []
    /// Every snapshot chunk sent, to tell how a node caught up.
    var snapshotChunks: [SnapshotChunk] = []
    var now = Instant.zero
    var random = TestRandom(seed: 7)
    var nextRequest: UInt64 = 1
    /// Runs after every input a node takes, on the node as it is then.
    var afterEveryInput: (NodeCore) -> Void = { _ in }

    init(size: Int, partitions: Int = 16, replication: Int = 3, settings: NodeSettings = NodeSettings()) {
        config = ClusterConfig(name: "test", size: size, partitionCount: partitions, replicationFactor: replication)
        self.settings = settings
    }

    var wall: UInt64 { 1_700_000_000_000 + UInt64(now.milliseconds) }

    /// Starts a node; the first bootstraps, later ones join through the first.
    @discardableResult
    func start(id raw: UInt64, metadata: NodeMetadata? = nil) -> NodeID {
        let id = NodeID(raw)
        let address = "node-\(raw)"
        let seeds = order.first.map { ["node-\($0.rawValue)"] } ?? []
        nodes[id] = NodeCore(
            id: id, config: config, seeds: seeds, gossipAddress: address, httpAddress: "", settings: settings,
            metadata: metadata, durable: true, now: now, wall: wall)
        if !order.contains(id) { order.append(id) }
        addresses[address] = id
        return id
    }

    /// Stops a node abruptly; it keeps only what it persisted.
    func crash(_ id: NodeID) {
        nodes[id] = nil
        inFlight.removeAll { $0.to == id }
    }

    func apply(_ id: NodeID, _ input: (inout NodeCore) -> [Effect]) {
        guard nodes[id] != nil else { return }
        let effects = input(&nodes[id]!)
        afterEveryInput(nodes[id]!)
        for effect in effects {
            switch effect {
            case .send(let message, .node(let to)):
                if case .snapshotChunk(let chunk) = message { snapshotChunks.append(chunk) }
                inFlight.append((message, id, to))
            case .send(let message, .address(let address)):
                if let to = addresses[address] { inFlight.append((message, id, to)) }
            case .persistMetadata(let metadata): durable[id] = metadata
            case .respond(let requestID, let response): responses[requestID] = response
            case .event(let event): events.append(event)
            case .persistLog: break
            }
        }
    }

    /// Delivers everything in flight (and what that causes), then ticks every node once.
    func step(milliseconds: Int64 = 50) {
        var budget = 10_000
        while !inFlight.isEmpty && budget > 0 {
            budget -= 1
            let (message, from, to) = inFlight.removeFirst()
            guard !cut.contains([from, to]) else { continue }
            let (now, wall) = (self.now, self.wall)
            apply(to) { $0.receive(message, from: from, now: now, wall: wall) }
        }
        now = now + milliseconds
        for id in order {
            let (now, wall) = (self.now, self.wall)
            var random = self.random
            apply(id) { $0.tick(now: now, wall: wall, random: &random) }
            self.random = random
        }
    }

    /// Steps until `condition` holds, or gives up after `limit` simulated milliseconds.
    @discardableResult
    func run(for limit: Int64 = 30_000, until condition: (TestCluster) -> Bool) -> Bool {
        let deadline = now + limit
        while now < deadline {
            if condition(self) { return true }
            step()
        }
        return condition(self)
    }

    func submit(_ request: ClientRequest, at id: NodeID) -> UInt64 {
        let requestID = nextRequest
        nextRequest += 1
        let (now, wall) = (self.now, self.wall)
        apply(id) { $0.submit(request, id: requestID, now: now, wall: wall) }
        return requestID
    }

    // MARK: Views

    var live: [NodeCore] { order.compactMap { nodes[$0] } }

    /// Every live node joined, no locks anywhere, every partition open under the leader
    /// all views agree on.
    var isSettled: Bool {
        let cores = live
        guard let first = cores.first else { return false }
        return cores.allSatisfy { $0.me.state == .joined && $0.isQuiet }
            && Set(cores.map(leaderMap)).count == 1
            && (0..<config.partitionCount).allSatisfy { partition in
                leaderMap(first)[partition].flatMap { nodes[$0] }?.me.leading[partition] != nil
            }
    }

    func leaderMap(_ core: NodeCore) -> [NodeID?] {
        let holders = Dictionary(
            core.records.values.filter { $0.isLive && $0.slot >= 0 }.map { ($0.slot, $0.id) }, uniquingKeysWith: min)
        return core.placement.leaders.map { $0.flatMap { holders[$0] } }
    }

    func leader(of partition: PartitionID) -> NodeID? {
        live.first { $0.me.leading[partition] != nil && $0.acceptsWrites(to: partition, at: now) }?.id
    }
}

/// SplitMix64, so tests are the same on every run.
struct TestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
