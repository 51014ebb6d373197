import Logging
import NIOCore
import NIOPosix
import Synchronization

/// One persistent outbound TCP link to a peer, opened on first use and reopened after a
/// failure with a growing backoff. Frames wait in a bounded queue while the link connects
/// or the socket is full; beyond the bound they are dropped and counted, and the protocol
/// retransmits whatever matters.
final class PeerLink: Sendable {
    private enum Phase {
        case idle
        case connecting
        case connected(any Channel)
        /// Backing off after a failed connect.
        case waiting
        case closed
    }

    private struct State {
        var phase: Phase = .idle
        var address: SocketAddress
        /// Bumped whenever a connection attempt in progress must no longer count: the
        /// address changed (the peer restarted elsewhere) or the link closed.
        var generation = 0
        var queue: [ByteBuffer] = []
        var queuedBytes = 0
        var failures = 0

        /// After the link went down or a backoff ended: idle with nothing to send, otherwise
        /// connecting again (the attempt to start is returned).
        mutating func reconnectIfQueued() -> (generation: Int, address: SocketAddress)? {
            guard !queue.isEmpty else {
                phase = .idle
                return nil
            }
            phase = .connecting
            return (generation, address)
        }
    }

    /// What to do once the lock is released.
    private struct Action {
        var close: (any Channel)?
        var connect: (generation: Int, address: SocketAddress)?
        var flush: (any Channel)?
        var dropped: SendFailure?
    }

    private let state: Mutex<State>
    private let group: any EventLoopGroup
    private let limits: PeerLinkLimits
    private let metrics: NodeMetrics
    private let logger: Logger

    init(
        address: SocketAddress, group: any EventLoopGroup, limits: PeerLinkLimits, metrics: NodeMetrics, logger: Logger
    ) {
        self.state = Mutex(State(address: address))
        self.group = group
        self.limits = limits
        self.metrics = metrics
        self.logger = logger
    }

    func send(_ frame: ByteBuffer, to address: SocketAddress) {
        let action = state.withLock { state in
            var action = Action()
            if case .closed = state.phase { return action }
            if state.address != address { action.close = Self.retarget(&state, to: address) }
            guard state.queue.count < limits.queuedFrames, state.queuedBytes + frame.readableBytes <= limits.queuedBytes
            else {
                action.dropped = .queueFull
                return action
            }
            state.queue.append(frame)
            state.queuedBytes += frame.readableBytes
            switch state.phase {
            case .idle:
                state.phase = .connecting
                action.connect = (state.generation, state.address)
            case .connected(let channel):
                action.flush = channel
            case .connecting, .waiting, .closed:
                break
            }
            return action
        }
        perform(action)
    }

    /// Closes the link. A graceful close first writes what is queued and waits briefly
    /// for it to leave; otherwise the connection is dropped as it stands.
    func close(graceful: Bool) async {
        let (channel, pending) = state.withLock { state -> ((any Channel)?, [ByteBuffer]) in
            defer {
                state.phase = .closed
                state.generation += 1
                state.queue = []
                state.queuedBytes = 0
            }
            guard case .connected(let channel) = state.phase else { return (nil, []) }
            return (channel, state.queue)
        }
        guard let channel else { return }
        if graceful {
            // A peer that stopped reading must not hold the shutdown up.
            channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
            for frame in pending { channel.write(frame, promise: nil) }
            try? await channel.writeAndFlush(ByteBuffer()).get()
        }
        try? await channel.close()
    }

    // MARK: Connection events

    func writable(_ channel: any Channel) {
        flush(channel)
    }

    func disconnected(_ channel: any Channel) {
        let action = state.withLock { state in
            var action = Action()
            guard case .connected(let current) = state.phase, current === channel else { return action }
            action.connect = state.reconnectIfQueued()
            return action
        }
        perform(action)
    }

    private func connected(_ result: Result<any Channel, any Error>, generation: Int) {
        switch result {
        case .success(let channel):
            let current = state.withLock { state in
                guard state.generation == generation, case .connecting = state.phase else { return false }
                state.phase = .connected(channel)
                state.failures = 0
                return true
            }
            if current { flush(channel) } else { channel.close(promise: nil) }
        case .failure(let error):
            let (dropped, delay) = state.withLock { state -> (Int, TimeAmount?) in
                guard state.generation == generation, case .connecting = state.phase else { return (0, nil) }
                state.failures += 1
                state.phase = .waiting
                // The peer is unreachable; what waited for it is stale by the time it returns.
                defer {
                    state.queue = []
                    state.queuedBytes = 0
                }
                return (state.queue.count, limits.backoff(afterFailures: state.failures))
            }
            for _ in 0..<dropped { metrics.failedSend(.unreachable) }
            guard let delay else { return }
            logger.debug(
                "peer link failed", metadata: ["error": "\(error)", "retry_ms": "\(delay.nanoseconds / 1_000_000)"])
            group.any().scheduleTask(in: delay) { self.backoffEnded(generation: generation) }
        }
    }

    private func backoffEnded(generation: Int) {
        let action = state.withLock { state in
            var action = Action()
            guard state.generation == generation, case .waiting = state.phase else { return action }
            action.connect = state.reconnectIfQueued()
            return action
        }
        perform(action)
    }

    // MARK: Helpers

    private func perform(_ action: Action) {
        action.close?.close(promise: nil)
        if let reason = action.dropped { metrics.failedSend(reason) }
        if let (generation, address) = action.connect { connect(generation: generation, to: address) }
        if let channel = action.flush { flush(channel) }
    }

    private func connect(generation: Int, to address: SocketAddress) {
        ClientBootstrap(group: group)
            .connectTimeout(limits.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(PeerLinkHandler(link: self))
                }
            }
            .connect(to: address)
            .whenComplete { result in self.connected(result, generation: generation) }
    }

    /// Writes the queue out on the channel's event loop while the socket takes more.
    private func flush(_ channel: any Channel) {
        channel.eventLoop.execute {
            let frames = self.state.withLock { state -> [ByteBuffer] in
                guard case .connected(let current) = state.phase, current === channel, channel.isWritable else {
                    return []
                }
                defer {
                    state.queue = []
                    state.queuedBytes = 0
                }
                return state.queue
            }
            guard !frames.isEmpty else { return }
            for frame in frames {
                self.metrics.sent(frame.readableBytes, on: .stream)
                channel.write(frame, promise: nil)
            }
            channel.flush()
        }
    }

    /// Moves the link to a new address: the peer restarted on another port.
    private static func retarget(_ state: inout State, to address: SocketAddress) -> (any Channel)? {
        state.address = address
        state.generation += 1
        state.failures = 0
        defer { state.phase = .idle }
        if case .connected(let channel) = state.phase { return channel }
        return nil
    }
}
