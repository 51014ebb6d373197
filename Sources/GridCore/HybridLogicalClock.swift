/// A hybrid logical clock reading: wall milliseconds, then a counter for events within
/// one millisecond. It orders records, config versions and lock entries across nodes
/// whose wall clocks disagree a little; it never decides a timeout.
public struct HybridTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var wallMilliseconds: UInt64
    public var counter: UInt32

    public init(wallMilliseconds: UInt64, counter: UInt32) {
        self.wallMilliseconds = wallMilliseconds
        self.counter = counter
    }

    public static let zero = HybridTimestamp(wallMilliseconds: 0, counter: 0)

    public static func < (lhs: HybridTimestamp, rhs: HybridTimestamp) -> Bool {
        (lhs.wallMilliseconds, lhs.counter) < (rhs.wallMilliseconds, rhs.counter)
    }

    public var description: String { "\(wallMilliseconds).\(counter)" }

    /// The reading after a local event at wall time `wall`.
    public func ticked(wall: UInt64) -> HybridTimestamp {
        if wall > wallMilliseconds { return HybridTimestamp(wallMilliseconds: wall, counter: 0) }
        return HybridTimestamp(wallMilliseconds: wallMilliseconds, counter: counter &+ 1)
    }

    /// The reading after receiving `remote` at wall time `wall`.
    public func merged(with remote: HybridTimestamp, wall: UInt64) -> HybridTimestamp {
        let highest = max(wallMilliseconds, remote.wallMilliseconds, wall)
        if highest == wallMilliseconds && highest == remote.wallMilliseconds {
            return HybridTimestamp(wallMilliseconds: highest, counter: max(counter, remote.counter) &+ 1)
        }
        if highest == wallMilliseconds { return HybridTimestamp(wallMilliseconds: highest, counter: counter &+ 1) }
        if highest == remote.wallMilliseconds {
            return HybridTimestamp(wallMilliseconds: highest, counter: remote.counter &+ 1)
        }
        return HybridTimestamp(wallMilliseconds: highest, counter: 0)
    }
}
