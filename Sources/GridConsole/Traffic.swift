/// Accepted and refused writes of one node or partition: totals, and per-second counts of
/// the last `length` seconds for sparklines.
public struct TrafficSeries: Hashable, Sendable {
    public static let length = 32

    public private(set) var accepted = 0
    public private(set) var rejected = 0
    public private(set) var failed = 0
    private var acceptedBuckets = [UInt32](repeating: 0, count: length)
    private var rejectedBuckets = [UInt32](repeating: 0, count: length)
    /// The second the newest bucket counts; older buckets are cleared lazily as time moves.
    private var newestSecond: Int64 = 0

    public init() {}

    public var total: Int { accepted + rejected + failed }

    public mutating func record(_ result: WriteOutcome.Result, second: Int64) {
        advance(to: second)
        let inWindow = second > newestSecond - Int64(Self.length)
        let slot = Self.slot(second)
        switch result {
        case .accepted:
            accepted += 1
            if inWindow { acceptedBuckets[slot] &+= 1 }
        case .rejected:
            rejected += 1
            if inWindow { rejectedBuckets[slot] &+= 1 }
        case .failed:
            failed += 1
        }
    }

    /// Per-second accepted counts, oldest first, ending at `second`.
    public func acceptedHistory(endingAt second: Int64, count: Int) -> [UInt32] {
        history(acceptedBuckets, endingAt: second, count: count)
    }

    /// Per-second 503 counts, oldest first, ending at `second`.
    public func rejectedHistory(endingAt second: Int64, count: Int) -> [UInt32] {
        history(rejectedBuckets, endingAt: second, count: count)
    }

    private func history(_ buckets: [UInt32], endingAt second: Int64, count: Int) -> [UInt32] {
        let count = min(max(0, count), Self.length)
        return (0..<count).map { offset in
            let wanted = second - Int64(count - 1 - offset)
            guard wanted <= newestSecond, wanted > newestSecond - Int64(Self.length) else { return 0 }
            return buckets[Self.slot(wanted)]
        }
    }

    private mutating func advance(to second: Int64) {
        guard second > newestSecond else { return }
        let steps = min(second - newestSecond, Int64(Self.length))
        for step in 1...steps {
            let slot = Self.slot(newestSecond + step)
            acceptedBuckets[slot] = 0
            rejectedBuckets[slot] = 0
        }
        newestSecond = second
    }

    private static func slot(_ second: Int64) -> Int {
        Int(((second % Int64(length)) + Int64(length)) % Int64(length))
    }
}

/// The demo load's results: overall, by answering node, by partition.
public struct TrafficCounters: Hashable, Sendable {
    public private(set) var overall = TrafficSeries()
    public private(set) var byNode: [String: TrafficSeries] = [:]
    public private(set) var byPartition: [Int: TrafficSeries] = [:]

    public init() {}

    public var isEmpty: Bool { overall.total == 0 }

    public mutating func record(_ outcome: WriteOutcome, second: Int64) {
        overall.record(outcome.result, second: second)
        if let node = outcome.node { byNode[node, default: TrafficSeries()].record(outcome.result, second: second) }
        if let partition = outcome.partition {
            byPartition[partition, default: TrafficSeries()].record(outcome.result, second: second)
        }
    }
}
