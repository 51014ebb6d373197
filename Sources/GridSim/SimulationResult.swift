/// What one seeded run found.
public struct SimulationResult: Sendable {
    public var seed: UInt64
    /// Instants at which two nodes would both have accepted a write for one partition,
    /// plus epochs that went backwards and (partition, epoch) pairs acknowledged by two nodes.
    public var splitBrains = 0
    public var lostAcknowledgedWrites = 0
    /// Partitions still locked, unled or disagreed on when the settle bound ran out.
    public var stuckLocks = 0
    /// Lock-to-open times of every completed handshake, in simulated milliseconds.
    public var handshakeDurations: [Int64] = []
    public var acknowledgedWrites = 0
    public var refusedWrites = 0
    public var unknownWrites = 0
    /// Simulated milliseconds from the end of faults until every view agreed.
    public var convergenceMilliseconds: Int64?
    public var events = 0
    /// Snapshots installed: replicas and syncing nodes that needed compacted entries.
    public var snapshots = 0
    /// The first violation, in words.
    public var failure: String?
    /// The last events before the failure (or the end of the run).
    public var trace: [String] = []

    public init(seed: UInt64) { self.seed = seed }

    public var failed: Bool { splitBrains > 0 || lostAcknowledgedWrites > 0 || stuckLocks > 0 }
}

/// The totals over many runs and the one summary line `gossipgrid simulate` ends with.
public struct SimulationSummary: Sendable {
    public var runs = 0
    public var splitBrainRuns = 0
    public var lostWriteRuns = 0
    public var stuckRuns = 0
    public var durations: [Int64] = []
    public var snapshots = 0
    public var failedSeeds: [UInt64] = []

    public init() {}

    public mutating func add(_ result: SimulationResult) {
        runs += 1
        if result.splitBrains > 0 { splitBrainRuns += 1 }
        if result.lostAcknowledgedWrites > 0 { lostWriteRuns += 1 }
        if result.stuckLocks > 0 { stuckRuns += 1 }
        if result.failed { failedSeeds.append(result.seed) }
        durations.append(contentsOf: result.handshakeDurations)
        snapshots += result.snapshots
    }

    public var passed: Bool { splitBrainRuns == 0 && lostWriteRuns == 0 && stuckRuns == 0 }

    public var line: String {
        "simulate: \(runs) runs, \(splitBrainRuns) split-brain, \(lostWriteRuns) lost-acked-writes, "
            + "\(stuckRuns) stuck-locks; handshake p50 \(Self.percentile(durations, 0.50)) ms, "
            + "p99 \(Self.percentile(durations, 0.99)) ms (simulated, \(durations.count) handshakes, "
            + "\(snapshots) snapshots installed)"
    }

    public static func percentile(_ values: [Int64], _ fraction: Double) -> Int64 {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let index = Int((Double(sorted.count - 1) * fraction).rounded(.up))
        return sorted[min(sorted.count - 1, index)]
    }
}
