import GridCore

/// The faults a simulated run may inject.
public enum Fault: String, Sendable, CaseIterable {
    /// Long and variable message delays, with reordering and duplication.
    case delay
    /// Messages dropped at random.
    case loss
    /// Links cut between groups of nodes, one direction or both.
    case partition
    /// A node stops (like SIGSTOP) for longer than the failure timeout, its clock running on.
    case pause
    /// A node dies; with `restart` it comes back later from what it persisted.
    case crash
    case restart
    /// The cluster grows or shrinks by one slot through the resize request.
    case resize

    /// Parses `delay,loss`, `all` or `none`.
    public static func parseList(_ text: String) -> Set<Fault>? {
        switch text {
        case "all": return Set(allCases)
        case "none", "": return []
        default:
            var faults: Set<Fault> = []
            for name in text.split(separator: ",") {
                guard let fault = Fault(rawValue: name.filter { $0 != " " }) else { return nil }
                faults.insert(fault)
            }
            return faults
        }
    }
}

public struct SimulationOptions: Hashable, Sendable {
    public var nodes = 5
    public var partitions = 16
    public var replication = 3
    public var faults: Set<Fault> = Set(Fault.allCases)
    public var fencing: Fencing = .lease
    /// How long faults are injected, in simulated milliseconds.
    public var faultMilliseconds: Int64 = 20_000
    /// After faults stop, how long every handshake has to finish and every view to agree.
    public var settleMilliseconds: Int64 = 30_000
    /// Simulated milliseconds between client operations.
    public var clientInterval: Int64 = 40
    /// How many events before a failure the trace keeps.
    public var traceLines = 120
    public var settings: NodeSettings

    public init() {
        var settings = NodeSettings()
        settings.gossipInterval = 200
        settings.failureTimeout = 2_000
        settings.leaseDuration = 1_000
        settings.retransmitInterval = 200
        settings.requestTimeout = 3_000
        // A run writes a few dozen entries per partition: tiny logs and chunks make every
        // run compact, and make lagging replicas and restarted nodes catch up by snapshot.
        settings.logRetention = 8
        settings.snapshotChunkBytes = 256
        self.settings = settings
    }
}
