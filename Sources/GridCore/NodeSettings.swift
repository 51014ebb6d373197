/// How a node fences writes across a leadership change.
public enum Fencing: String, Sendable, CaseIterable {
    /// A leader writes only while a majority of slots answered its probes within the lease,
    /// and a partition opens only with a majority behind it. No two writers, ever.
    case lease
    /// The seed's behaviour: force unlock with no lease and no majority. The simulator
    /// uses it to show the split brain it allows.
    case seed
}

/// When a leader answers a client.
public enum AcknowledgmentMode: String, Sendable, CaseIterable {
    /// After every live owner has the entry (and, under lease fencing, a majority of owners).
    case replicas
    /// At once, after the leader's own append: faster, and a failover can lose the write.
    case leader
}

/// Timing and policy. Every duration is in milliseconds on the node's monotonic clock.
public struct NodeSettings: Hashable, Sendable {
    public var gossipInterval: Int64 = 200
    public var gossipFanout: Int = 3
    public var failureTimeout: Int64 = 2_000
    public var leaseDuration: Int64 = 1_000
    /// The most two monotonic clocks may drift apart, as a fraction (0.01 = 1%).
    public var clockDrift: Double = 0.01
    public var leaseMargin: Int64 = 100
    /// How often an unfinished handshake, replication or sync is sent again.
    public var retransmitInterval: Int64 = 200
    public var requestTimeout: Int64 = 3_000
    /// Held back from every lock acknowledgment so people can watch a handshake.
    public var acknowledgmentDelay: Int64 = 0
    public var fencing: Fencing = .lease
    public var acknowledgment: AcknowledgmentMode = .replicas
    public var syncBatch: Int = 256
    /// Entries kept per partition log after a compaction; the log is compacted when it
    /// holds twice as many. A replica further behind than this gets a snapshot.
    public var logRetention: Int = 10_000
    /// About how many bytes of items one snapshot chunk carries.
    public var snapshotChunkBytes: Int = 1 << 20

    public init() {}

    /// The lease argument only holds when a silent leader's lease has surely run out by
    /// the time others call it disconnected; a configuration that breaks it is refused.
    public var problem: String? {
        if gossipInterval < 1 { return "gossip interval must be positive" }
        if leaseDuration < 1 { return "lease duration must be positive" }
        if logRetention < 1 { return "log retention must be at least one entry" }
        if fencing == .lease {
            let bound = Double(leaseDuration) * (1 + clockDrift) + Double(leaseMargin)
            if Double(failureTimeout) <= bound {
                return
                    "failure timeout (\(failureTimeout) ms) must exceed lease × (1 + drift) + margin (\(Int(bound)) ms)"
            }
        }
        return nil
    }

    /// How long a lease granted `granted` milliseconds ago may still run on the holder's
    /// clock, stretched for drift and padded by the margin.
    func fencedWait(forLease milliseconds: Int64) -> Int64 {
        guard milliseconds > 0 else { return 0 }
        return Int64((Double(milliseconds) * (1 + clockDrift)).rounded(.up)) + leaseMargin
    }
}
