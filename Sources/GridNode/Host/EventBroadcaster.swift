import GridCore
import Synchronization

/// Fans a node's events out to every subscriber (server-sent-event clients, an embedding
/// console). A slow subscriber loses its oldest events rather than slowing the node.
final class EventBroadcaster: Sendable {
    static let bufferedEvents = 1_024

    private struct State {
        var subscribers: [Int: AsyncStream<NodeEvent>.Continuation] = [:]
        var nextSubscriber = 0
        var nextSequence: UInt64 = 1
        var finished = false
    }

    private let state = Mutex(State())

    func subscribe() -> AsyncStream<NodeEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: NodeEvent.self, bufferingPolicy: .bufferingNewest(Self.bufferedEvents))
        let subscriber = state.withLock { state -> Int? in
            guard !state.finished else { return nil }
            defer { state.nextSubscriber += 1 }
            state.subscribers[state.nextSubscriber] = continuation
            return state.nextSubscriber
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

    /// Called by the node's actor only, so sequence numbers go out in order.
    func publish(_ event: GridEvent, wall: UInt64) {
        let (subscribers, sequence) = state.withLock { state in
            defer { state.nextSequence += 1 }
            return (Array(state.subscribers.values), state.nextSequence)
        }
        let stamped = NodeEvent(event: event, wallMilliseconds: wall, sequence: sequence)
        for subscriber in subscribers { subscriber.yield(stamped) }
    }

    /// Ends every stream, now and for later subscribers: the node has stopped.
    func finish() {
        let subscribers = state.withLock { state in
            state.finished = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
