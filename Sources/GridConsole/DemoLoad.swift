import GridCore

/// The built-in write load: rounds of writes that walk every partition, so one can watch
/// writes to a partition pause (503) while a handshake moves it.
public struct DemoLoad: Hashable, Sendable {
    /// A round never writes more than this, so big clusters get a steady trickle.
    public var maximumWritesPerRound: Int
    /// Writes in flight at once.
    public var concurrency: Int
    public private(set) var round = 0
    private var nextPartition = 0

    public init(maximumWritesPerRound: Int = 256, concurrency: Int = 16) {
        self.maximumWritesPerRound = max(1, maximumWritesPerRound)
        self.concurrency = max(1, concurrency)
    }

    /// The partitions the next round writes to: all of them when they fit in a round,
    /// else the next slice, round-robin.
    public mutating func nextRound(partitionCount: Int) -> [PartitionID] {
        guard partitionCount > 0 else { return [] }
        round += 1
        let count = min(partitionCount, maximumWritesPerRound)
        let start = nextPartition % partitionCount
        nextPartition = (start + count) % partitionCount
        return (0..<count).map { (start + $0) % partitionCount }
    }

    /// Writes one item to each partition through the source, `concurrency` at a time.
    public static func write(
        _ partitions: [PartitionID], round: Int, concurrency: Int, to source: any ClusterSource
    ) async -> [WriteOutcome] {
        await withTaskGroup(of: WriteOutcome.self) { group in
            var outcomes: [WriteOutcome] = []
            outcomes.reserveCapacity(partitions.count)
            var pending = partitions[...]
            func startNext() {
                guard let partition = pending.popFirst() else { return }
                group.addTask {
                    var outcome = await source.write(
                        partitionKey: source.partitionKey(for: partition), value: "demo-\(round)-\(partition)")
                    if outcome.partition == nil { outcome.partition = partition }
                    return outcome
                }
            }
            for _ in 0..<concurrency { startNext() }
            for await outcome in group {
                outcomes.append(outcome)
                startNext()
            }
            return outcomes
        }
    }
}
