/// The faults a run may inject.
public enum NemesisFault: String, CaseIterable, Sendable {
    /// SIGKILL a node, then restart it from its data directory.
    case kill
    /// SIGSTOP a partition's leader for longer than the failure timeout, then SIGCONT: the
    /// alive-but-silent old leader.
    case pause
    /// Cut one node off from the others (not from the client) for a while.
    case partition
    /// Hold back every lock acknowledgment while a node is killed: a slow handshake.
    case slowAcknowledgments = "slow-acks"
    /// SIGTERM a node and start it again: a clean restart of a named node.
    case restart
    /// Grow by one node, or shrink back.
    case resize

    /// Parses "kill,pause" or "all".
    public static func parseList(_ text: String) -> Set<NemesisFault>? {
        if text == "all" { return Set(allCases) }
        if text == "none" { return [] }
        var faults: Set<NemesisFault> = []
        for name in text.split(separator: ",") {
            guard let fault = NemesisFault(rawValue: String(name)) else { return nil }
            faults.insert(fault)
        }
        return faults
    }
}

public struct NemesisOptions: Sendable {
    /// The `gossipgrid` executable the nodes run.
    public var executable: String
    public var nodes = 3
    public var partitions = 16
    public var faults = Set(NemesisFault.allCases)
    /// Passed to every node: `lease`, or `seed` to show what the lease prevents.
    public var fencing = "lease"
    /// Milliseconds of faults; then everything is healed and the cluster must settle.
    public var faultMilliseconds: Int64 = 30_000
    public var settleMilliseconds: Int64 = 60_000
    /// Concurrent writers, each waiting for one answer before its next write.
    public var writers = 4
    public var seed: UInt64 = 1
    /// A line for each fault and verdict, for people watching.
    public var log: @Sendable (String) -> Void = { _ in }

    public init(executable: String) {
        self.executable = executable
    }
}
