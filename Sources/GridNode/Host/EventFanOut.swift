import Synchronization

/// Fans events out to every subscriber's stream, in the same order for all. A slow
/// subscriber loses its oldest events rather than slowing the publisher; one that starts
/// late is first given the `replayed` most recent (a console subscribes after its cluster
/// has formed).
public final class EventFanOut<Event: Sendable>: Sendable {
    private struct State {
        var subscribers: [Int: AsyncStream<Event>.Continuation] = [:]
        var nextSubscriber = 0
        var published: UInt64 = 0
        var recent: [Event] = []
        var finished = false
    }

    private let state = Mutex(State())
    private let buffered: Int
    private let replayed: Int

    public init(buffered: Int, replayed: Int = 0) {
        self.buffered = buffered
        self.replayed = replayed
    }

    public func subscribe() -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(buffered))
        let subscriber = state.withLock { state -> Int? in
            guard !state.finished else { return nil }
            for event in state.recent { continuation.yield(event) }
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

    /// Publishes the event that `make` builds from its sequence number (1, 2, 3, ...).
    public func publish(_ make: (_ sequence: UInt64) -> Event) {
        state.withLock { state in
            guard !state.finished else { return }
            state.published += 1
            let event = make(state.published)
            if replayed > 0 {
                state.recent.append(event)
                if state.recent.count > replayed { state.recent.removeFirst(state.recent.count - replayed) }
            }
            // Yielding under the lock keeps every stream in the same order.
            for subscriber in state.subscribers.values { subscriber.yield(event) }
        }
    }

    public func publish(_ event: Event) {
        publish { _ in event }
    }

    /// Ends every stream, now and for later subscribers.
    public func finish() {
        let subscribers = state.withLock { state in
            state.finished = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
