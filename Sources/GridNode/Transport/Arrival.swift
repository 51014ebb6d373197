/// A message in a node's inbox, with how and when it arrived.
struct Arrival: Sendable {
    var message: InboundMessage
    var transport: NodeMetrics.Transport
    var time: ContinuousClock.Instant
}
