import NIOCore

/// Bounds of one outbound peer link.
public struct PeerLinkLimits: Hashable, Sendable {
    /// Frames waiting for a connection or for the socket to drain.
    public var queuedFrames = 1_024
    public var queuedBytes = 16 << 20
    public var connectTimeout: TimeAmount = .seconds(1)
    /// Reconnection waits double from the first to the last after each failure.
    public var firstBackoff: TimeAmount = .milliseconds(50)
    public var lastBackoff: TimeAmount = .seconds(1)

    public init() {}

    func backoff(afterFailures failures: Int) -> TimeAmount {
        let doubled = firstBackoff.nanoseconds << min(failures - 1, 16)
        return .nanoseconds(min(doubled, lastBackoff.nanoseconds))
    }
}
