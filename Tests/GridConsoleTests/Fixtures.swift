import GridConsole
import GridCore

/// Hand-built cluster views: three nodes growing from two slots to three, with the new
/// node taking partitions 3, 7, 8 and 9 through handshakes.
enum Fixtures {
    static let n0 = "a1a1a1a1b2b2b2b2"
    static let n1 = "c3c3c3c3d4d4d4d4"
    static let n2 = "e5e5e5e5f6f6f6f6"
    static let ids = [n0, n1, n2]
    static let partitionCount = 16

    static let cluster = ClusterStatus.Cluster(
        name: "demo", size: 3, partitions: partitionCount, replication: 2, configVersion: 2)

    static func node(_ slot: Int, locked: [Int], leading: [Int], state: String = "joined") -> ClusterStatus.Node {
        ClusterStatus.Node(
            id: ids[slot], slot: slot, state: state, incarnation: 1, heartbeat: 100 + UInt64(slot),
            gossip: "127.0.0.1:700\(slot)", http: "127.0.0.1:800\(slot)", hlc: "1732370000123.\(slot)",
            lockedPartitions: locked, leading: leading, lastHeardMilliseconds: 150)
    }

    /// Partition p is led by slot p % 2, except the four moving to slot 2; the slots that
    /// acknowledged each move so far.
    static let moving: [Int: (previous: Int, acknowledgedBy: [Int])] = [
        3: (1, [1]), 7: (1, []), 8: (0, [0]), 9: (1, []),
    ]

    static func partitions() -> [ClusterStatus.Partition] {
        (0..<partitionCount).map { partition in
            if let move = moving[partition] {
                return ClusterStatus.Partition(
                    id: partition, leader: n2, leaderSlot: 2, epoch: 2 << 10 | 2, owners: [2, move.previous],
                    locked: true, phase: move.acknowledgedBy.isEmpty ? "locked" : "acknowledging")
            }
            let leader = partition % 2
            return ClusterStatus.Partition(
                id: partition, leader: ids[leader], leaderSlot: leader, epoch: 1 << 10 | UInt64(leader),
                owners: [leader, 1 - leader], locked: false, phase: "open")
        }
    }

    static func handshakes() -> [ClusterStatus.Handshake] {
        moving.keys.sorted().map { partition in
            let move = moving[partition]!
            return ClusterStatus.Handshake(
                partition: partition, epoch: 2 << 10 | 2, newLeader: n2, previousLeader: ids[move.previous],
                ageMilliseconds: 1400, waitingFor: [0, 1].filter { !move.acknowledgedBy.contains($0) }.map { ids[$0] },
                acknowledged: move.acknowledgedBy.count, required: 2)
        }
    }

    static func nodes() -> [ClusterStatus.Node] {
        [
            node(0, locked: [8], leading: [0, 2, 4, 6, 10, 12, 14]),
            node(1, locked: [3], leading: [1, 5, 11, 13, 15]),
            node(2, locked: [3, 7, 8, 9], leading: []),
        ]
    }

    static func status(of slot: Int, items: Int, handshakes: [ClusterStatus.Handshake]? = nil) -> ClusterStatus {
        ClusterStatus(
            cluster: cluster,
            node: ClusterStatus.Answering(id: ids[slot], slot: slot, items: items, fencing: "lease", leaseValid: true),
            nodes: nodes(), partitions: partitions(), handshakes: handshakes ?? Self.handshakes())
    }

    /// Every node answered; a handshake is running.
    static func handshakeSnapshot() -> ClusterSnapshot {
        ClusterSnapshot(statuses: [
            n0: status(of: 0, items: 120), n1: status(of: 1, items: 95), n2: status(of: 2, items: 0),
        ])
    }

    /// The same cluster after every handshake opened.
    static func settledSnapshot() -> ClusterSnapshot {
        var statuses: [String: ClusterStatus] = [:]
        for slot in 0..<3 {
            var status = status(of: slot, items: 100 + slot, handshakes: [])
            status.nodes = status.nodes.map {
                var node = $0
                node.lockedPartitions = []
                return node
            }
            status.partitions = status.partitions.map {
                var partition = $0
                partition.locked = false
                partition.phase = "open"
                return partition
            }
            statuses[ids[slot]] = status
        }
        return ClusterSnapshot(statuses: statuses)
    }

    static func state(
        width: Int = 160, height: Int = 50, snapshot: ClusterSnapshot = handshakeSnapshot(), embedded: Bool = true,
        ascii: Bool = false
    ) -> ConsoleState {
        var state = ConsoleState(
            sourceKind: embedded ? .embedded : .remote(addresses: ["127.0.0.1:8000"]),
            supportsMembershipChanges: embedded, width: width, height: height,
            themeNames: ["colorblind", "default", "light", "mono"], isASCII: ascii)
        state.setSnapshot(snapshot)
        return state
    }
}

/// A cluster source that answers from fixed values and records what it was asked.
actor FakeClusterSource: ClusterSource {
    nonisolated let kind: ClusterSourceKind
    nonisolated let supportsMembershipChanges: Bool
    var snapshotToReturn: ClusterSnapshot
    var resizeResult: ConsoleActionResult = .done("Resized")
    var lockedPartitions: Set<Int> = []
    private(set) var requests: [String] = []

    init(snapshot: ClusterSnapshot, embedded: Bool = true) {
        kind = embedded ? .embedded : .remote(addresses: ["127.0.0.1:8000"])
        supportsMembershipChanges = embedded
        snapshotToReturn = snapshot
    }

    func setResizeResult(_ result: ConsoleActionResult) { resizeResult = result }
    func setLockedPartitions(_ partitions: Set<Int>) { lockedPartitions = partitions }

    func snapshot() async -> ClusterSnapshot { snapshotToReturn }

    nonisolated func events() -> AsyncStream<ClusterEvent> { AsyncStream { $0.finish() } }

    func resize(to size: Int) async -> ConsoleActionResult {
        requests.append("resize \(size)")
        return resizeResult
    }

    func kill(node: String) async -> ConsoleActionResult {
        requests.append("kill \(node)")
        return .done("Killed \(node.prefix(8))")
    }

    func addNode() async -> ConsoleActionResult {
        requests.append("add")
        return .done("Added")
    }

    func restart(node: String) async -> ConsoleActionResult {
        requests.append("restart \(node)")
        return .done("Restarted")
    }

    func setAcknowledgmentDelay(milliseconds: Int) async -> ConsoleActionResult {
        requests.append("slowmo \(milliseconds)")
        return .done("Slow motion \(milliseconds)ms")
    }

    func write(partitionKey: String, value: String) async -> WriteOutcome {
        requests.append("write \(partitionKey)")
        let partition = Int(partitionKey.dropFirst(4)) ?? -1
        let result: WriteOutcome.Result = lockedPartitions.contains(partition) ? .rejected : .accepted
        return WriteOutcome(result, partition: nil, node: Fixtures.ids[max(0, partition) % 3])
    }

    nonisolated func partitionKey(for partition: PartitionID) -> String { "key-\(partition)" }
}
