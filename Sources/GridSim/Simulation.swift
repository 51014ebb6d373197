import GridCore

/// Many GridCore nodes in one process under one seeded scheduler: simulated network,
/// clocks and faults, a client writing unique values, and checkers after every step.
/// The same seed replays the same run.
public struct Simulation {
    enum Event {
        case tick(node: Int, generation: Int)
        case deliver(PeerMessage, from: NodeID, to: Int, generation: Int)
        case resume(node: Int, generation: Int)
        case restart(node: Int)
        case heal(Heal)
        case client
        case nemesis
        case endFaults
        case settleCheck
    }

    enum Heal {
        case delay, loss, partition
    }

    static let tickInterval: Int64 = 50

    let options: SimulationOptions
    var random: SeededRandom
    var time: Int64 = 0
    var nodes: [SimulatedNode] = []
    var indexByID: [NodeID: Int] = [:]
    var indexByAddress: [String: Int] = [:]
    var queue = EventQueue<Event>()
    var network = NetworkConditions()
    var history = WriteHistory()
    var result: SimulationResult
    var trace: [String] = []
    var nextRequestID: UInt64 = 1
    var resizeRequests: Set<UInt64> = []
    var writesIssued = 0
    var faultsActive = true
    var faultsEndedAt: Int64?
    var lockStarts: [String: Int64] = [:]
    var highestEpochs: [NodeID: [PartitionID: Epoch]] = [:]
    var finished = false
    var conflictsReported = 0
    var entriesByPosition: [LogSlot: LogEntry] = [:]
    /// Every node that has led each partition at some point, running or not: the candidates
    /// the split-brain check asks, since asking all nodes after every step of a leader
    /// would cost the square of the cluster's size.
    var leadersSeen: [PartitionID: Set<Int>] = [:]
    /// Set only by benchmarks: encoding every message is too costly for the checking runs.
    var traffic: TrafficMeter?

    struct LogSlot: Hashable {
        var partition: PartitionID
        var position: LogPosition
    }

    public init(options: SimulationOptions, seed: UInt64) {
        self.options = options
        self.random = SeededRandom(seed: seed)
        self.result = SimulationResult(seed: seed)
    }

    /// Runs one seed to the end and reports what the checkers found.
    public static func run(options: SimulationOptions, seed: UInt64) -> SimulationResult {
        var simulation = Simulation(options: options, seed: seed)
        return simulation.run()
    }

    mutating func run() -> SimulationResult {
        boot()
        let warmUp: Int64 = 3_000
        queue.schedule(.client, at: 500)
        if !options.faults.isEmpty { queue.schedule(.nemesis, at: warmUp) }
        queue.schedule(.endFaults, at: warmUp + options.faultMilliseconds)
        let deadline = warmUp + options.faultMilliseconds + options.settleMilliseconds + 1_000
        while !finished, handleNextEvent(until: deadline) {}
        if !finished { finish(converged: false) }
        result.trace = Array(trace.suffix(options.traceLines))
        return result
    }

    /// Handles the earliest scheduled event if it is due by `deadline`; false when none is.
    mutating func handleNextEvent(until deadline: Int64) -> Bool {
        guard let due = queue.nextTime, due <= deadline, let (at, event) = queue.pop() else { return false }
        time = at
        result.events += 1
        handle(event)
        return true
    }

    // MARK: Nodes

    /// The config every node boots with, before any resize.
    var initialConfig: ClusterConfig {
        ClusterConfig(
            name: "sim", size: options.nodes, partitionCount: options.partitions,
            replicationFactor: options.replication)
    }

    mutating func boot() {
        let config = initialConfig
        for index in 0..<options.nodes {
            let join = index == 0 ? 0 : Int64.random(in: 0...400, using: &random)
            spawn(config: config, seed: index == 0 ? nil : nodes[0].address, at: join)
        }
    }

    /// Boots a cluster that has already formed and settled (see `NodeCore(formed:)`), its
    /// nodes' first rounds spread over one gossip interval as a running cluster's are.
    mutating func bootFormed() {
        let config = initialConfig
        let indices = (0..<options.nodes).map { _ in addNode() }
        let members = indices.map {
            FormedMember(id: nodes[$0].id, gossipAddress: nodes[$0].address, httpAddress: nodes[$0].httpAddress)
        }
        let settings = options.settings
        for index in indices {
            let seeds = index == 0 ? [] : [nodes[0].address]
            let time = Int64.random(in: 0..<settings.gossipInterval, using: &random)
            startProcess(index, at: time) { node in
                NodeCore(
                    formed: node.id, members: members, config: config, seeds: seeds, settings: settings,
                    durable: true, now: node.clock(at: time), wall: node.wall(at: time))
            }
        }
    }

    @discardableResult
    mutating func spawn(config: ClusterConfig, seed: String?, at start: Int64) -> Int {
        let index = addNode()
        boot(index, config: config, seeds: seed.map { [$0] } ?? [], at: start)
        return index
    }

    /// A new simulated machine, not yet running.
    mutating func addNode() -> Int {
        let index = nodes.count
        let node = SimulatedNode(
            id: NodeID(random: &random), host: "10.0.\(index >> 8).\(index & 255)",
            drift: Double.random(in: -options.settings.clockDrift...options.settings.clockDrift, using: &random) / 2,
            wallOffset: Int64.random(in: -300...300, using: &random))
        nodes.append(node)
        indexByID[node.id] = index
        indexByAddress[node.address] = index
        return index
    }

    /// Starts (or restarts) a process from what it persisted.
    mutating func boot(_ index: Int, config: ClusterConfig, seeds: [String], at start: Int64) {
        let settings = options.settings
        startProcess(index, at: start) { node in
            NodeCore(
                id: node.id, config: config, seeds: seeds, gossipAddress: node.address, httpAddress: node.httpAddress,
                settings: settings, metadata: node.metadata, durable: true, logs: node.logs,
                now: node.clock(at: start), wall: node.wall(at: start))
        }
    }

    mutating func startProcess(_ index: Int, at start: Int64, core: (SimulatedNode) -> NodeCore) {
        nodes[index].bootTime = start
        nodes[index].generation += 1
        nodes[index].pausedUntil = nil
        nodes[index].heldWhilePaused = []
        let node = nodes[index]
        node.start(core(node))
        // A restarted node may claim leadership from its metadata before its first step.
        noteLeadership(of: index)
        queue.schedule(.tick(node: index, generation: nodes[index].generation), at: start)
    }

    var runningIndices: [Int] { nodes.indices.filter { nodes[$0].isRunning } }
    var activeIndices: [Int] { runningIndices.filter { !nodes[$0].isPaused } }

    // MARK: Events

    mutating func handle(_ event: Event) {
        switch event {
        case .tick(let index, let generation):
            guard nodes[index].generation == generation, nodes[index].isRunning else { return }
            queue.schedule(.tick(node: index, generation: generation), at: time + Self.tickInterval)
            guard !nodes[index].isPaused else { return }
            step(index) { core, now, wall, random in core.tick(now: now, wall: wall, random: &random) }
        case .deliver(let message, let sender, let index, let generation):
            guard nodes[index].generation == generation, nodes[index].isRunning else { return }
            if nodes[index].isPaused {
                nodes[index].heldWhilePaused.append((message, sender))
                return
            }
            step(index) { core, now, wall, _ in core.receive(message, from: sender, now: now, wall: wall) }
        case .resume(let index, let generation):
            guard nodes[index].generation == generation, nodes[index].isRunning else { return }
            nodes[index].pausedUntil = nil
            note("n\(index) resumes")
            let held = nodes[index].heldWhilePaused
            nodes[index].heldWhilePaused = []
            for (message, sender) in held {
                step(index) { core, now, wall, _ in core.receive(message, from: sender, now: now, wall: wall) }
            }
        case .restart(let index):
            guard !nodes[index].hasCore, !nodes[index].removed else { return }
            restart(index)
        case .heal(let kind):
            switch kind {
            case .delay:
                network.extraDelay = 0
                network.duplicationProbability = 0
            case .loss: network.lossProbability = 0
            case .partition: network.blocked = []
            }
            note("heal \(kind)")
        case .client:
            if faultsEndedAt == nil || time - faultsEndedAt! < 2_000 {
                issueClientRequest()
                queue.schedule(.client, at: time + options.clientInterval)
            }
        case .nemesis:
            guard faultsActive else { return }
            staffNewSlots()
            injectFault()
            queue.schedule(.nemesis, at: time + Int64.random(in: 400...2_000, using: &random))
        case .endFaults:
            endFaults()
        case .settleCheck:
            staffNewSlots()
            if let verdict = convergence() {
                finish(converged: verdict)
            } else {
                queue.schedule(.settleCheck, at: time + 250)
            }
        }
    }

    /// Runs one input on one node, carries out its effects, then checks the invariants.
    mutating func step(
        _ index: Int, _ input: (inout NodeCore, Instant, UInt64, inout SeededRandom) -> [Effect]
    ) {
        guard nodes[index].hasCore else { return }
        let now = nodes[index].clock(at: time)
        let wall = nodes[index].wall(at: time)
        // In place: copying the core out and back would copy every dictionary it mutates.
        let node = nodes[index]
        let effects = input(&node.core!, now, wall, &random)
        for effect in effects { execute(effect, at: index) }
        noteLeadership(of: index)
        checkSplitBrain(after: index)
        checkEpochs(of: index)
        if nodes[index].hasCore, nodes[index].core!.mayExit,
            nodes[index].core!.me.slot >= nodes[index].core!.config.size
        {
            nodes[index].removed = true
            nodes[index].stop()
            note("n\(index) left the cluster")
        }
    }

    mutating func execute(_ effect: Effect, at index: Int) {
        switch effect {
        case .send(let message, let destination):
            // A real shell refuses to send what the receiver would drop for its size.
            if traffic?.admit(message) == false { return }
            let target: Int? =
                switch destination {
                case .node(let id): indexByID[id]
                case .address(let address): indexByAddress[address]
                }
            guard let target, nodes[target].isRunning else { return }
            for delay in network.deliveries(from: index, to: target, random: &random) {
                queue.schedule(
                    .deliver(message, from: nodes[index].id, to: target, generation: nodes[target].generation),
                    at: time + delay)
            }
        case .persistLog(let partition, let change):
            checkLogMatching(partition, change, at: index)
            if case .snapshot = change { result.snapshots += 1 }
            nodes[index].persist(effect)
        case .persistMetadata:
            nodes[index].persist(effect)
        case .respond(let requestID, let response):
            history.complete(requestID, with: response)
            if resizeRequests.remove(requestID) != nil { resized(response) }
        case .event(let event):
            record(event)
        }
    }

    mutating func record(_ event: GridEvent) {
        guard let partition = event.partition, let epoch = event.epoch else {
            note("n\(indexByID[event.node] ?? -1) \(event.kind.rawValue) \(event.detail)")
            return
        }
        let key = "\(partition)/\(epoch)"
        switch event.kind {
        case .locked: lockStarts[key] = time
        case .opened, .forcedOpen:
            if let start = lockStarts.removeValue(forKey: key) { result.handshakeDurations.append(time - start) }
        default: break
        }
        if event.kind != .released {
            note("n\(indexByID[event.node] ?? -1) \(event.kind.rawValue) p\(partition) e\(epoch) \(event.detail)")
        }
    }

    mutating func note(_ line: String) {
        // The trace ends at the first violation: what led to it is what replaying needs.
        guard result.failure == nil || line.hasPrefix("VIOLATION") && trace.last?.contains("VIOLATION") != true
        else { return }
        trace.append("t=\(time)ms \(line)")
        // Trimmed in batches so keeping the tail stays cheap.
        if trace.count > 2 * options.traceLines { trace.removeFirst(trace.count - options.traceLines) }
    }

    // MARK: Checkers

    /// At most one node would accept a write for a partition at any instant. Only a step
    /// can start accepting (time alone only lets leases run out), so checking the node
    /// that just stepped against all others is enough.
    mutating func checkSplitBrain(after index: Int) {
        guard nodes[index].hasCore, !nodes[index].core!.me.leading.isEmpty else { return reportConflicts() }
        // Only partitions another node also leads can have two writers; asking whether a
        // node accepts writes is the expensive part, so it is asked only there.
        let core = nodes[index].core!
        var rivals: [PartitionID: [Int]] = [:]
        for partition in core.me.leading.keys {
            for other in leadersSeen[partition, default: []].sorted()
            where other != index && nodes[other].isRunning && !nodes[other].isPaused
                && nodes[other].core!.me.leading[partition] != nil
            {
                rivals[partition, default: []].append(other)
            }
        }
        guard !rivals.isEmpty else { return reportConflicts() }
        let now = nodes[index].clock(at: time)
        for (partition, others) in rivals.sorted(by: { $0.key < $1.key })
        where core.acceptsWrites(to: partition, at: now) {
            for other in others {
                guard let peer = nodes[other].core, peer.acceptsWrites(to: partition, at: nodes[other].clock(at: time))
                else { continue }
                violation(
                    split: "n\(index) and n\(other) both accept writes for partition \(partition) "
                        + "(epochs \(core.me.leading[partition]!) and \(peer.me.leading[partition]!))")
            }
        }
        reportConflicts()
    }

    /// Files the partitions `index` leads now under `leadersSeen`.
    mutating func noteLeadership(of index: Int) {
        guard nodes[index].hasCore else { return }
        for partition in nodes[index].core!.me.leading.keys { leadersSeen[partition, default: []].insert(index) }
    }

    /// Two nodes acknowledged writes at one (partition, epoch): the history saw two writers.
    mutating func reportConflicts() {
        while conflictsReported < history.conflicts.count {
            violation(split: history.conflicts[conflictsReported])
            conflictsReported += 1
        }
    }

    /// Epochs a node has committed to (locked, acknowledged, opened) never go backwards,
    /// across restarts included.
    mutating func checkEpochs(of index: Int) {
        guard nodes[index].hasCore else { return }
        let id = nodes[index].id
        var seen = highestEpochs[id] ?? [:]
        for (partition, epoch) in nodes[index].core!.epochs {
            if let previous = seen[partition], epoch < previous {
                violation(split: "n\(index) epoch of partition \(partition) went back from \(previous) to \(epoch)")
            }
            seen[partition] = max(seen[partition] ?? epoch, epoch)
        }
        highestEpochs[id] = seen
    }

    /// One leader writes one entry per position of its epoch: two different entries at
    /// one (partition, epoch, lsn), on any nodes, mean a log was rewound under a live epoch.
    /// Two logs that hold an entry at one position hold the same entry there; and every item
    /// a snapshot carries is the one its position's entry put.
    mutating func checkLogMatching(_ partition: PartitionID, _ change: LogChange, at index: Int) {
        guard case .entries(_, let entries) = change else {
            guard case .snapshot(let snapshot) = change else { return }
            for item in snapshot.items {
                let known = entriesByPosition[
                    LogSlot(partition: partition, position: LogPosition(epoch: item.epoch, lsn: item.lsn))]
                if known.map({ $0.key != item.key || $0.mutation != .put(item.value) }) ?? true {
                    violation(
                        split: "n\(index) installed \(item.key) from partition \(partition)'s snapshot at "
                            + "e\(item.epoch)/\(item.lsn), where \(known.map { "\($0.key)" } ?? "nothing") was written")
                }
            }
            return
        }
        for entry in entries {
            let position = LogSlot(partition: partition, position: entry.position)
            if let known = entriesByPosition[position], known != entry {
                violation(
                    split: "n\(index) wrote \(entry.key) at partition \(partition) \(entry.position), "
                        + "where \(known.key) was written before")
            }
            entriesByPosition[position] = entry
        }
    }

    mutating func violation(split description: String) {
        result.splitBrains += 1
        note("VIOLATION \(description)")
        if result.failure == nil { result.failure = description }
    }
}
