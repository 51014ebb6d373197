import GridCore

/// A protocol event as one node's stream delivers it: numbered and stamped, so a client
/// can tell the order and spot a gap after a slow read.
public struct NodeEvent: Hashable, Sendable {
    public var event: GridEvent
    /// Wall-clock milliseconds since 1970 when the node emitted it.
    public var wallMilliseconds: UInt64
    /// Counts from 1 per node run.
    public var sequence: UInt64

    public init(event: GridEvent, wallMilliseconds: UInt64, sequence: UInt64) {
        self.event = event
        self.wallMilliseconds = wallMilliseconds
        self.sequence = sequence
    }
}
