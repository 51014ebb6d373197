import GridCore
import Logging
import NIOCore
import NIOPosix

/// One running node: the shell around a `NodeCore`.
///
/// The host owns the core and feeds it its three inputs (timer ticks every
/// `tickInterval`, peer messages in arrival order, client requests), then executes the
/// effects each input returns, in order. It decides nothing about the protocol. Several
/// hosts can share a process: each has its own sockets, metrics registry and logger, and
/// none writes to standard output or error.
public actor NodeHost: NodeAPI {
    public nonisolated let id: NodeID
    /// The advertised gossip address (UDP and TCP), with the port actually bound.
    public nonisolated let gossipAddress: String
    /// The advertised HTTP address, with the port actually bound.
    public nonisolated let httpAddress: String
    public nonisolated let options: NodeOptions
    public nonisolated let metrics: NodeMetrics
    nonisolated let logger: Logger
    /// Every subscriber (server-sent-event clients, an embedding console) sees the node's events.
    nonisolated let broadcaster = EventFanOut<NodeEvent>(buffered: 1_024)
    nonisolated let io: NodeIO
    let inbox: AsyncStream<Arrival>.Continuation
    let store: any Store
    let ownsStore: Bool
    let clock: MonotonicClock

    var core: NodeCore
    var random = SystemRandomNumberGenerator()
    var lifecycle = Lifecycle.running
    var waiters = RequestWaiters()
    var nextRequestID: UInt64 = 1
    var loops: [Task<Void, Never>] = []
    var stopWaiters: [CheckedContinuation<StopMode, Never>] = []
    var drainWaiter: CheckedContinuation<Void, Never>?
    var drainDeadline: Instant?
    var releasing = false
    var lastTick = Instant.zero
    /// When this node locked each partition it is taking over, for the handshake timer.
    var lockStarts: [PartitionID: Instant] = [:]

    enum Lifecycle {
        case running
        /// Stopping gracefully: new requests are refused, those in flight still answered.
        case draining
        /// No more effects are executed; sockets are closing.
        case halted(StopMode)
        case stopped(StopMode)
    }

    init(
        core: NodeCore, options: NodeOptions, gossipAddress: String, httpAddress: String, io: NodeIO,
        inbox: AsyncStream<Arrival>.Continuation, store: any Store, ownsStore: Bool, clock: MonotonicClock,
        metrics: NodeMetrics, logger: Logger
    ) {
        self.id = core.id
        self.core = core
        self.options = options
        self.gossipAddress = gossipAddress
        self.httpAddress = httpAddress
        self.io = io
        self.inbox = inbox
        self.store = store
        self.ownsStore = ownsStore
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    // MARK: Reading the node

    public func status() -> ClusterStatus { core.status() }

    public func httpAddress(of node: NodeID) -> String? {
        guard let address = core.records[node]?.httpAddress, !address.isEmpty else { return nil }
        return address
    }

    /// True once this node's own record says it has joined (it may lead partitions).
    public var hasJoined: Bool { core.me.state == .joined }

    /// True from start until a stop begins.
    public var isRunning: Bool {
        if case .running = lifecycle { return true }
        return false
    }

    public nonisolated func events() -> AsyncStream<NodeEvent> { broadcaster.subscribe() }

    public nonisolated func metricsExposition() -> String { metrics.exposition() }

    // MARK: Acting on the node

    /// Slows lock acknowledgments down so people can watch (and interrupt) a handshake.
    public func setAcknowledgmentDelay(_ milliseconds: Int64) {
        core.setAcknowledgmentDelay(milliseconds)
        logger.info("acknowledgment delay set", metadata: ["ms": "\(core.settings.acknowledgmentDelay)"])
    }

    public var acknowledgmentDelay: Int64 { core.settings.acknowledgmentDelay }

    /// Hands a client request to the core and waits for its answer.
    public func submit(_ request: ClientRequest) async -> ClientResponse {
        guard case .running = lifecycle else {
            return .failed(.unavailable(partition: nil, reason: "node \(id.short) is shutting down", leader: nil))
        }
        let requestID = nextRequestID
        nextRequestID += 1
        let now = clock.now()
        let partition = request.partitionKey.map { core.placement.partition(forKey: $0) }
        // NodeCore answers within its request timeout; this is only the safety net.
        let deadline = now + core.settings.requestTimeout * 2 + 1_000
        return await withCheckedContinuation { continuation in
            waiters.add(
                requestID,
                RequestWaiters.Waiter(
                    continuation: continuation, request: request, partition: partition, deadline: deadline))
            execute(core.submit(request, id: requestID, now: now, wall: MonotonicClock.wall()))
        }
    }

    // MARK: Inputs

    func begin(inbox messages: AsyncStream<Arrival>) {
        loops.append(Task { await self.consume(messages) })
        loops.append(Task { await self.runTicks() })
        logger.info(
            "node started",
            metadata: [
                "gossip": "\(gossipAddress)", "http": "\(httpAddress)", "cluster": "\(core.config.name)",
                "durable": "\(core.durable)",
            ])
    }

    private func consume(_ messages: AsyncStream<Arrival>) async {
        for await arrival in messages {
            guard executesEffects else { return }
            // A node too busy to keep up drops the datagrams that waited too long, as a
            // full socket buffer would: gossip is resent every round, and working through
            // stale heartbeats would only make it call live peers disconnected.
            if arrival.transport == .gossip && ContinuousClock.now - arrival.time > options.datagramMaximumAge {
                metrics.drop(.stale)
                continue
            }
            let inbound = arrival.message
            execute(core.receive(inbound.message, from: inbound.sender, now: clock.now(), wall: MonotonicClock.wall()))
            // While messages are queued this loop may never give the actor up, so it runs
            // a tick that falls due itself: a busy node must keep its heartbeat going out,
            // or its peers would call it disconnected for being busy.
            if clock.now() - lastTick >= tickMilliseconds { tick() }
        }
    }

    private func runTicks() async {
        let ticker = ContinuousClock()
        var deadline = ticker.now
        while !Task.isCancelled {
            deadline += options.tickInterval
            // After a pause (a stopped process, a slow disk) skip the missed ticks rather
            // than burst through them.
            deadline = max(deadline, ticker.now)
            do {
                try await ticker.sleep(until: deadline, tolerance: .milliseconds(2))
            } catch {
                return
            }
            // The message loop may have just run this tick.
            if clock.now() - lastTick >= tickMilliseconds / 2 { tick() }
        }
    }

    private func tick() {
        guard executesEffects else { return }
        let now = clock.now()
        lastTick = now
        execute(core.tick(now: now, wall: MonotonicClock.wall(), random: &random))
        let abandoned = waiters.expire(at: now)
        if abandoned > 0 {
            for _ in 0..<abandoned { metrics.abandonedRequest() }
            logger.error("requests went unanswered by the core", metadata: ["count": "\(abandoned)"])
        }
        if let drainDeadline, now >= drainDeadline { finishDrain() }
        metrics.view(
            locked: core.me.lockedPartitions.count, leading: core.me.leading.count,
            live: core.records.values.filter(\.isLive).count)
        if options.exitWhenReleased && core.mayExit && !releasing, case .running = lifecycle {
            releasing = true
            logger.info("slot removed and nothing left to lead or acknowledge; stopping")
            Task { await self.stop(mode: .graceful) }
        }
    }

    var tickMilliseconds: Int64 {
        let (seconds, attoseconds) = options.tickInterval.components
        return max(1, seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
    }

    var executesEffects: Bool {
        switch lifecycle {
        case .running, .draining: true
        case .halted, .stopped: false
        }
    }
}
