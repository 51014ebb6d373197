import GridCore
import Synchronization

/// Fans a source's events out to every `events()` stream, replaying the most recent ones to
/// a stream that starts late (the console subscribes after the cluster has formed).
final class ClusterEventHub: Sendable {
    static let replayed = 256

    private struct State {
        var subscribers: [Int: AsyncStream<ClusterEvent>.Continuation] = [:]
        var next = 0
        var recent: [ClusterEvent] = []
        var finished = false
    }

    private let state = Mutex(State())

    func subscribe() -> AsyncStream<ClusterEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ClusterEvent.self, bufferingPolicy: .bufferingNewest(4_096))
        let subscriber = state.withLock { state -> Int? in
            guard !state.finished else { return nil }
            for event in state.recent { continuation.yield(event) }
            defer { state.next += 1 }
            state.subscribers[state.next] = continuation
            return state.next
        }
        guard let subscriber else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: subscriber) }
        }
        return stream
    }

    func publish(_ event: ClusterEvent) {
        state.withLock { state in
            guard !state.finished else { return }
            state.recent.append(event)
            if state.recent.count > Self.replayed { state.recent.removeFirst(state.recent.count - Self.replayed) }
            // Yielding under the lock keeps every stream in the same order.
            for subscriber in state.subscribers.values { subscriber.yield(event) }
        }
    }

    func note(_ text: String, _ severity: ClusterEvent.Severity = .info) {
        publish(.note(text, severity: severity))
    }

    /// Ends every stream, now and for later subscribers.
    func finish() {
        let subscribers = state.withLock { state in
            state.finished = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
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
                state = (partitionCount, Self.keys(partitionCount: partitionCount))
            }
            return state.keys[((partition % partitionCount) + partitionCount) % partitionCount]
        }
    }

    static func keys(partitionCount: Int) -> [String] {
        var keys = [String?](repeating: nil, count: partitionCount)
        var missing = partitionCount
        var candidate = 0
        while missing > 0 {
            let key = "demo-\(candidate)"
            let partition = PartitionHash.partition(forKey: key, partitionCount: partitionCount)
            if keys[partition] == nil {
                keys[partition] = key
                missing -= 1
            }
            candidate += 1
        }
        return keys.map { $0 ?? "" }
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

/// Remembers who led each partition while it was last open, to name the previous leader of
/// a handshake when the nodes' views no longer can: a node's status derives it from the
/// nodes still leading the partition at a lower epoch, and an old leader stops leading as
/// soon as it sees it lost the partition, well before it acknowledges. Without this the
/// "kill the old leader" action would have no target for most of a handshake.
final class LeaderMemory: Sendable {
    private let leaders = Mutex<[PartitionID: String]>([:])

    /// Learns from the partitions open in the primary view, then fills in the missing
    /// previous leaders of the running handshakes.
    func annotate(_ snapshot: inout ClusterSnapshot) {
        let open = (snapshot.primary?.partitions ?? []).filter { $0.phase == "open" && !$0.locked }
        let known = leaders.withLock { leaders in
            for partition in open {
                if let leader = partition.leader { leaders[partition.id] = leader }
            }
            return leaders
        }
        for (id, var status) in snapshot.statuses {
            var changed = false
            for index in status.handshakes.indices where status.handshakes[index].previousLeader == nil {
                let handshake = status.handshakes[index]
                guard let previous = known[handshake.partition], previous != handshake.newLeader else { continue }
                status.handshakes[index].previousLeader = previous
                changed = true
            }
            if changed { snapshot.statuses[id] = status }
        }
    }
}
