import GridCore

/// What the console talks to: nodes in this process, or running nodes over HTTP. The
/// screen code sees only this; nothing else tells it which one it has.
public protocol ClusterSource: Sendable {
    var kind: ClusterSourceKind { get }

    /// Whether `addNode()` and `restart(node:)` can work (embedded clusters only).
    var supportsMembershipChanges: Bool { get }

    /// The status of every node this source can reach, and which it cannot.
    func snapshot() async -> ClusterSnapshot

    /// Handshake and membership events as they happen, plus the source's own log lines.
    /// Each call starts a new stream; the console iterates one for its whole run. A
    /// source without a live feed may return a stream that only finishes.
    func events() -> AsyncStream<ClusterEvent>

    /// Asks the cluster to change its number of slots.
    func resize(to size: Int) async -> ConsoleActionResult

    /// Stops a node as a crash would: no goodbye, no handover.
    func kill(node: String) async -> ConsoleActionResult

    /// Starts one more node (embedded only).
    func addNode() async -> ConsoleActionResult

    /// Starts a stopped node again with the same identity (embedded only).
    func restart(node: String) async -> ConsoleActionResult

    /// Delays every acknowledgment by this long on every node, so a handshake lasts long
    /// enough to watch and interrupt; 0 turns slow motion off.
    func setAcknowledgmentDelay(milliseconds: Int) async -> ConsoleActionResult

    /// Writes one item for the demo load.
    func write(partitionKey: String, value: String) async -> WriteOutcome

    /// A partition key that the cluster places in `partition`, so the demo load can reach
    /// every partition.
    func partitionKey(for partition: PartitionID) -> String
}

/// Where the cluster the console shows lives.
public enum ClusterSourceKind: Hashable, Sendable {
    /// Nodes started by this process.
    case embedded
    /// Running nodes reached over HTTP at these addresses.
    case remote(addresses: [String])

    public var label: String {
        switch self {
        case .embedded: "embedded"
        case .remote(let addresses): "remote " + addresses.joined(separator: ",")
        }
    }
}

/// How an operator's action ended.
public enum ConsoleActionResult: Hashable, Sendable {
    /// It happened; the text says what, for the flash line and the log.
    case done(String)
    /// The cluster refused it; the text is the cluster's own message, shown verbatim.
    case rejected(String)
    /// It could not be attempted or its outcome is unknown (unreachable node, timeout).
    case failed(String)

    public var message: String {
        switch self {
        case .done(let text), .rejected(let text), .failed(let text): text
        }
    }

    public var succeeded: Bool {
        if case .done = self { return true }
        return false
    }
}

/// How one demo-load write ended, and where.
public struct WriteOutcome: Hashable, Sendable {
    public enum Result: Hashable, Sendable {
        case accepted
        /// 503: the partition is locked by a handshake; the write was not applied.
        case rejected
        /// Anything else: no leader, timeout, connection refused.
        case failed(String)
    }

    public var result: Result
    public var partition: PartitionID?
    /// The node that accepted or refused the write, when known.
    public var node: String?

    public init(_ result: Result, partition: PartitionID?, node: String?) {
        self.result = result
        self.partition = partition
        self.node = node
    }
}

/// Something for the event log.
public enum ClusterEvent: Hashable, Sendable {
    /// A protocol event a node reported.
    case grid(GridEvent)
    /// A line from the source itself (an embedded node's log, a lost connection).
    case note(String, severity: Severity)

    public enum Severity: Hashable, Sendable {
        case info, warning, error
    }
}
