import GridCore

/// The frame-time benchmark the console promises (64 nodes × 1024 partitions at 160×50
/// in well under 2 ms, release build): a deterministic cluster mid-resize, rendered many
/// times. Not a test: timings depend on the machine.
public enum RenderBenchmark {
    public struct Result: Hashable, Sendable {
        public var frames: Int
        public var average: Duration
        public var worst: Duration
        /// Merging the snapshot into the screen's view, done once per refresh, not per frame.
        public var merge: Duration
    }

    /// A cluster where every eighth partition is in a handshake, seen by every node.
    public static func snapshot(nodes: Int = 64, partitions: Int = 1024) -> ClusterSnapshot {
        let nodeCount = max(1, nodes)
        let cluster = ClusterStatus.Cluster(
            name: "bench", size: nodeCount, partitions: partitions, replication: 3, configVersion: 7)
        let ids = (0..<nodeCount).map { NodeID(UInt64($0 + 1) &* 0x9E37_79B9_7F4A_7C15).description }
        var records = (0..<nodeCount).map { slot in
            ClusterStatus.Node(
                id: ids[slot], slot: slot, state: slot == nodeCount - 1 ? "syncing" : "joined", incarnation: 1,
                heartbeat: 4000 + UInt64(slot), gossip: "127.0.0.1:\(7000 + slot)", http: "127.0.0.1:\(8000 + slot)",
                hlc: "1732370000\(100 + slot).\(slot % 7)", lockedPartitions: [], leading: [],
                lastHeardMilliseconds: 120)
        }
        var partitionRecords: [ClusterStatus.Partition] = []
        var handshakes: [ClusterStatus.Handshake] = []
        for partition in 0..<partitions {
            let leader = partition % nodeCount
            let owners = (0..<min(3, nodeCount)).map { (leader + $0) % nodeCount }
            let moving = partition % 8 == 0
            records[leader].leading.append(partition)
            partitionRecords.append(
                ClusterStatus.Partition(
                    id: partition, leader: ids[leader], leaderSlot: leader, epoch: UInt64(2 << 10 | leader),
                    owners: owners, locked: moving, phase: moving ? "acknowledging" : "open"))
            guard moving else { continue }
            for owner in owners { records[owner].lockedPartitions.append(partition) }
            handshakes.append(
                ClusterStatus.Handshake(
                    partition: partition, epoch: UInt64(2 << 10 | leader), newLeader: ids[leader],
                    previousLeader: ids[(leader + 1) % nodeCount], ageMilliseconds: 1400,
                    waitingFor: [ids[owners.last ?? leader]], acknowledged: owners.count - 1, required: owners.count))
        }
        var statuses: [String: ClusterStatus] = [:]
        for slot in 0..<nodeCount {
            let answering = ClusterStatus.Answering(
                id: ids[slot], slot: slot, items: 1000 + slot, fencing: "lease", leaseValid: true)
            statuses[ids[slot]] = ClusterStatus(
                cluster: cluster, node: answering, nodes: records, partitions: partitionRecords, handshakes: handshakes)
        }
        return ClusterSnapshot(statuses: statuses)
    }

    /// The console state the benchmark draws: the snapshot, demo-load traffic, a full log.
    public static func state(
        nodes: Int = 64, partitions: Int = 1024, width: Int = 160, height: Int = 50
    ) -> ConsoleState {
        var state = ConsoleState(sourceKind: .embedded, supportsMembershipChanges: true, width: width, height: height)
        state.setSnapshot(snapshot(nodes: nodes, partitions: partitions))
        state.now = 60_000
        state.isDemoLoadOn = true
        for second in Int64(30)...60 {
            for partition in 0..<partitions where partition % 3 == 0 {
                let node = state.view.nodes[partition % state.view.nodes.count].record.id
                let result: WriteOutcome.Result = partition % 8 == 0 ? .rejected : .accepted
                state.traffic.record(WriteOutcome(result, partition: partition, node: node), second: second)
            }
        }
        for index in 0..<200 {
            state.log.add("node \(index) acknowledged p\(index) e2049", role: .acknowledged, at: 59_000)
        }
        state.focus = .partitions
        state.selectedPartition = 512
        return state
    }

    public static func run(frames: Int = 500, nodes: Int = 64, partitions: Int = 1024) -> Result {
        let clock = ContinuousClock()
        let snapshot = snapshot(nodes: nodes, partitions: partitions)
        let merge = clock.measure { _ = ClusterView(snapshot) }
        let state = state(nodes: nodes, partitions: partitions)
        var worst = Duration.zero
        var total = Duration.zero
        var checksum = 0
        for _ in 0..<max(1, frames) {
            let elapsed = clock.measure { checksum &+= Renderer.render(state).cells.count }
            total += elapsed
            worst = max(worst, elapsed)
        }
        precondition(checksum > 0)
        return Result(frames: max(1, frames), average: total / max(1, frames), worst: worst, merge: merge)
    }
}
