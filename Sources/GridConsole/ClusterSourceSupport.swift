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
