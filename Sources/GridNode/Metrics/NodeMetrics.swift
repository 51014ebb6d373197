import CoreMetrics
import GridCore
import Prometheus

// Prometheus has types of the same names; these are the swift-metrics API.
private typealias Counter = CoreMetrics.Counter
private typealias Gauge = CoreMetrics.Gauge
private typealias Timer = CoreMetrics.Timer

/// Every metric one node reports, made from its own registry so that several nodes in one
/// process (the console's embedded cluster, the tests) never share or clash over series.
public struct NodeMetrics: Sendable {
    public enum Transport: String, Sendable, CaseIterable {
        /// UDP datagrams: gossip, gossip replies, announcements.
        case gossip
        /// The persistent TCP peer links: replication, sync, forwarded requests.
        case stream
    }

    public let registry: PrometheusCollectorRegistry
    private let handshakeDuration: Timer
    private let locks: Counter
    private let acknowledgments: Counter
    private let forcedUnlocks: Counter
    private let rejectedWrites: [RejectedWrite: Counter]
    private let bytesIn: [Transport: Counter]
    private let bytesOut: [Transport: Counter]
    private let dropped: [DropReason: Counter]
    private let sendFailures: [SendFailure: Counter]
    private let events: [GridEvent.Kind: Counter]
    private let requestsAbandoned: Counter
    private let lockedPartitions: Gauge
    private let leadingPartitions: Gauge
    private let liveNodes: Gauge

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        // Handshakes last seconds when acknowledgments are slowed down on purpose.
        factory.durationHistogramBuckets["gossipgrid_handshake_duration_seconds"] = [
            .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
        ]
        handshakeDuration = Timer(label: "gossipgrid_handshake_duration_seconds", factory: factory)
        locks = Counter(label: "gossipgrid_locks_total", factory: factory)
        acknowledgments = Counter(label: "gossipgrid_lock_acknowledgments_total", factory: factory)
        forcedUnlocks = Counter(label: "gossipgrid_forced_unlocks_total", factory: factory)
        requestsAbandoned = Counter(label: "gossipgrid_requests_abandoned_total", factory: factory)
        rejectedWrites = Self.series("gossipgrid_rejected_writes_total", "reason", RejectedWrite.allCases, factory) {
            $0.rawValue
        }
        bytesIn = Self.series("gossipgrid_bytes_received_total", "transport", Transport.allCases, factory) {
            $0.rawValue
        }
        bytesOut = Self.series("gossipgrid_bytes_sent_total", "transport", Transport.allCases, factory) {
            $0.rawValue
        }
        dropped = Self.series("gossipgrid_dropped_packets_total", "reason", DropReason.allCases, factory) { $0.label }
        sendFailures = Self.series("gossipgrid_send_failures_total", "reason", SendFailure.allCases, factory) {
            $0.rawValue
        }
        events = Self.series("gossipgrid_events_total", "kind", GridEvent.Kind.allCases, factory) { $0.rawValue }
        lockedPartitions = Gauge(label: "gossipgrid_locked_partitions", factory: factory)
        leadingPartitions = Gauge(label: "gossipgrid_leading_partitions", factory: factory)
        liveNodes = Gauge(label: "gossipgrid_live_nodes", factory: factory)
    }

    /// The Prometheus text exposition of everything above.
    public func exposition() -> String { registry.emitToString() }

    func received(_ bytes: Int, on transport: Transport) { bytesIn[transport]?.increment(by: bytes) }
    func sent(_ bytes: Int, on transport: Transport) { bytesOut[transport]?.increment(by: bytes) }
    func drop(_ reason: DropReason) { dropped[reason]?.increment() }
    func failedSend(_ reason: SendFailure) { sendFailures[reason]?.increment() }
    func rejected(_ reason: RejectedWrite) { rejectedWrites[reason]?.increment() }
    func abandonedRequest() { requestsAbandoned.increment() }

    func observe(_ event: GridEvent) {
        events[event.kind]?.increment()
        switch event.kind {
        case .locked: locks.increment()
        case .acknowledged: acknowledgments.increment()
        case .forcedOpen: forcedUnlocks.increment()
        default: break
        }
    }

    func handshakeCompleted(afterMilliseconds milliseconds: Int64) {
        handshakeDuration.recordMilliseconds(milliseconds)
    }

    func view(locked: Int, leading: Int, live: Int) {
        lockedPartitions.record(locked)
        leadingPartitions.record(leading)
        liveNodes.record(live)
    }

    private static func series<Key: Hashable>(
        _ label: String, _ dimension: String, _ keys: [Key], _ factory: PrometheusMetricsFactory,
        value: (Key) -> String
    ) -> [Key: Counter] {
        Dictionary(
            uniqueKeysWithValues: keys.map { key in
                (key, Counter(label: label, dimensions: [(dimension, value(key))], factory: factory))
            })
    }
}
