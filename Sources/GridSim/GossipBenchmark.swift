import GridCore

/// The shape of one gossip benchmark run. Everything is measured in simulated time, so a
/// seed gives the same numbers on any machine.
public struct GossipBenchmarkOptions: Hashable, Sendable {
    public var nodes: Int
    public var partitions = 64
    public var replication = 3
    public var settings = NodeSettings()
    /// Gossip rounds over which the settled cluster's traffic is metered.
    public var meteredRounds = 25
    /// Simulated milliseconds between the client's writes to the crashed leader's partition:
    /// the resolution of the failover time.
    public var probeInterval: Int64 = 10
    /// How long each phase may take before the run gives up on it.
    public var phaseMilliseconds: Int64 = 120_000
    /// Whether the cluster starts already formed (`NodeCore(formed:)`) rather than from
    /// cold: the membership changes are measured the same way, formation is not.
    public var startsFormed = false

    public init(nodes: Int) { self.nodes = nodes }

    /// Settings for `gossipInterval` with every other timer scaled as the defaults are at
    /// 200 ms: a node is called disconnected after ten silent rounds (so losing a few
    /// datagrams in a row is no false alarm at any interval), the lease is half of that
    /// (well inside the bound `NodeSettings.problem` checks), and unfinished handshakes and
    /// syncs are sent again every round.
    public static func settings(gossipInterval: Int64) -> NodeSettings {
        var settings = NodeSettings()
        settings.gossipInterval = gossipInterval
        settings.failureTimeout = 10 * gossipInterval
        settings.leaseDuration = 5 * gossipInterval
        settings.retransmitInterval = gossipInterval
        return settings
    }
}

/// What one run measured. A phase that did not finish within its bound leaves its time nil
/// and the phases after it unmeasured.
public struct GossipSample: Sendable {
    public var seed: UInt64
    public var options: GossipBenchmarkOptions
    /// From the first node's start until every slot's node is joined and every partition
    /// open; nil when the cluster started formed.
    public var formationMilliseconds: Int64?
    /// Whether the cluster settled (formed, or started formed) and its gossip was metered.
    public var isMetered = false
    /// Per node, over the metered rounds of the settled cluster.
    public var gossipBytesPerSecond = 0.0
    public var streamBytesPerSecond = 0.0
    /// From the new node's start until every view, its own included, has it joined.
    public var joinMilliseconds: Int64?
    /// Lock to open of every handshake from the resize until the cluster settled again.
    public var handshakeMilliseconds: [Int64] = []
    /// From the crash of a partition leader until every live view has it disconnected.
    public var detectionMilliseconds: Int64?
    /// From the same crash until a write to a partition it led was acknowledged.
    public var failoverMilliseconds: Int64?
    /// The largest datagram any node tried to send during the run, formation included.
    public var largestDatagram = 0
    public var largestDatagramKind = ""
    /// Datagrams over `WireCodec.maximumDatagramBytes`, which were not delivered.
    public var oversizedDatagrams = 0
    /// Split brains, epochs going back and conflicting log entries the checkers saw.
    public var violations = 0

    public var isComplete: Bool {
        isMetered && joinMilliseconds != nil && detectionMilliseconds != nil
            && failoverMilliseconds != nil
    }
}

public enum GossipBenchmark {
    /// A cluster of `options.nodes` forms and settles; its gossip is metered; it grows by
    /// one slot and a new node joins; once it has settled again, the leader of a random
    /// partition crashes while a client keeps writing to that partition. `progress` hears
    /// of each phase as it ends: a thousand nodes take hours.
    public static func run(
        _ options: GossipBenchmarkOptions, seed: UInt64, progress: (String) -> Void = { _ in }
    ) -> GossipSample {
        var simulationOptions = SimulationOptions()
        simulationOptions.nodes = options.nodes
        simulationOptions.partitions = options.partitions
        simulationOptions.replication = options.replication
        simulationOptions.settings = options.settings
        simulationOptions.faults = []
        var simulation = Simulation(options: simulationOptions, seed: seed)
        var sample = GossipSample(seed: seed, options: options)
        simulation.traffic = TrafficMeter()
        simulation.measureMembershipChange(into: &sample, progress: progress)
        sample.largestDatagram = simulation.traffic!.largestDatagram
        sample.largestDatagramKind = simulation.traffic!.largestDatagramKind
        sample.oversizedDatagrams = simulation.traffic!.oversizedDatagrams
        sample.violations = simulation.result.splitBrains
        return sample
    }
}

extension Simulation {
    mutating func measureMembershipChange(into sample: inout GossipSample, progress: (String) -> Void) {
        let options = sample.options
        let round = options.settings.gossipInterval
        let start = time
        if options.startsFormed {
            bootFormed()
            // A formed start that still has to settle would measure part of a formation.
            progress("started formed, \(isSettled ? "settled" : "NOT settled")")
            guard isSettled else { return }
        } else {
            boot()
            let formed = run(for: options.phaseMilliseconds, checkingEvery: round, until: { $0.isSettled })
            progress("formation ended at \(time) simulated ms")
            guard let formed else { return }
            sample.formationMilliseconds = formed - start
        }

        let metered = Int64(options.meteredRounds) * round
        traffic!.isCounting = true
        _ = run(for: metered, until: { _ in false })
        traffic!.isCounting = false
        let nodeSeconds = Double(options.nodes) * Double(metered) / 1_000
        sample.gossipBytesPerSecond = Double(traffic!.datagramBytes) / nodeSeconds
        sample.streamBytesPerSecond = Double(traffic!.streamBytes) / nodeSeconds
        sample.isMetered = true
        progress("metering ended at \(time) simulated ms")

        let joined = measureJoin(options)
        progress("join ended at \(time) simulated ms")
        guard let joined else { return }
        sample.joinMilliseconds = joined
        sample.handshakeMilliseconds = result.handshakeDurations
        measureCrash(options, into: &sample)
    }

    /// Grows the cluster by one slot; the simulation starts a node for it as an operator
    /// would. Returns the new node's time to be joined in every view, once all settled.
    mutating func measureJoin(_ options: GossipBenchmarkOptions) -> Int64? {
        let size = currentConfig.size
        let newcomer = nodes.count
        result.handshakeDurations = []
        requestResize(to: size + 1, at: activeIndices.randomElement(using: &random)!)
        guard run(for: options.phaseMilliseconds, until: { $0.nodes.count > newcomer }) != nil else { return nil }
        let started = nodes[newcomer].bootTime
        let id = nodes[newcomer].id
        guard let joined = run(for: options.phaseMilliseconds, until: { $0.everyView(of: id) { $0?.state == .joined } })
        else { return nil }
        let round = options.settings.gossipInterval
        guard run(for: options.phaseMilliseconds, checkingEvery: round, until: { $0.isSettled }) != nil else {
            return nil
        }
        return joined - started
    }

    mutating func measureCrash(_ options: GossipBenchmarkOptions, into sample: inout GossipSample) {
        let cores = runningIndices.compactMap { nodes[$0].core }
        let partition = Int.random(in: 0..<options.partitions, using: &random)
        guard let leader = openLeaders(of: cores)[partition]?.id, let victim = indexByID[leader] else { return }
        crash(victim)
        let crashed = time
        let key = ItemKey(
            partitionKey: PartitionHash.keysCoveringEveryPartition(partitionCount: options.partitions, prefix: "probe")[
                partition])
        var probes: [UInt64] = []
        var detected: Int64?
        var accepted: Int64?
        while detected == nil || accepted == nil, time - crashed < options.phaseMilliseconds {
            if accepted == nil, let client = activeIndices.randomElement(using: &random) {
                probes.append(write(key, value: "probe \(probes.count)", at: client))
            }
            _ = run(for: options.probeInterval) { simulation in
                if detected == nil, simulation.everyView(of: leader, satisfies: { $0?.isLive == false }) {
                    detected = simulation.time
                }
                if accepted == nil, probes.contains(where: simulation.history.isAcknowledged) {
                    accepted = simulation.time
                }
                return detected != nil && accepted != nil
            }
        }
        sample.detectionMilliseconds = detected.map { $0 - crashed }
        sample.failoverMilliseconds = accepted.map { $0 - crashed }
    }

    /// Handles events for at most `duration` simulated milliseconds, until `condition` holds
    /// once every event of an instant is handled; it is asked at most every `granularity`
    /// ms. Returns that instant, or nil when it never held (the clock is then at the end).
    mutating func run(
        for duration: Int64, checkingEvery granularity: Int64 = 1, until condition: (Simulation) -> Bool
    ) -> Int64? {
        let deadline = time + duration
        var nextCheck = time
        while let due = queue.nextTime, due <= deadline {
            if due > time, time >= nextCheck {
                if condition(self) { return time }
                nextCheck = time + granularity
            }
            _ = handleNextEvent(until: deadline)
        }
        if condition(self) { return time }
        time = deadline
        return nil
    }

    /// Whether the record of `node` in every running node's view (nil where it has none)
    /// satisfies `predicate`.
    func everyView(of node: NodeID, satisfies predicate: (SimpleNode?) -> Bool) -> Bool {
        nodes.allSatisfy { !$0.isRunning || predicate($0.core!.records[node]) }
    }

}
