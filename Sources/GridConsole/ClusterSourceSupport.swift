import GridCore
import GridNode
import Synchronization

/// A source's events, replayed in part to a stream that starts late.
typealias ClusterEventHub = EventFanOut<ClusterEvent>

extension EventFanOut<ClusterEvent> {
    convenience init() { self.init(buffered: 4_096, replayed: 256) }

    func note(_ text: String, _ severity: ClusterEvent.Severity = .info) {
        publish(.note(text, severity: severity))
    }
}

/// One partition key per partition for the demo load, found by hashing candidate keys as
/// the nodes do (`PartitionHash`), computed once per partition count.
final class PartitionKeyTable: Sendable {
    private let state = Mutex<(count: Int, keys: [String])>((0, []))

    func key(for partition: PartitionID, partitionCount: Int) -> String {
        guard partitionCount > 0 else { return "demo-\(partition)" }
        return state.withLock { state in
            if state.count != partitionCount {
                state = (
                    partitionCount,
                    PartitionHash.keysCoveringEveryPartition(partitionCount: partitionCount, prefix: "demo-")
                )
            }
            return state.keys[((partition % partitionCount) + partitionCount) % partitionCount]
        }
    }
}

extension ClusterSnapshot {
    /// The leader of every partition in the primary view, by partition.
    var leaders: [PartitionID: String] {
        var leaders: [PartitionID: String] = [:]
        for partition in primary?.partitions ?? [] {
            if let leader = partition.leader { leaders[partition.id] = leader }
        }
        return leaders
    }
}
