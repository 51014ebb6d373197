/// A node's stable identity. Named clusters persist it; ephemeral nodes draw a new one
/// on every start, so a restarted ephemeral node is a new member.
public struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    public init(random generator: inout some RandomNumberGenerator) {
        self.rawValue = UInt64.random(in: 1...UInt64.max, using: &generator)
    }

    /// Parses the eight- or sixteen-digit hexadecimal form that `description` prints.
    public init?(hex: some StringProtocol) {
        guard let value = UInt64(hex, radix: 16) else { return nil }
        self.rawValue = value
    }

    public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Sixteen hex digits; unambiguous and stable across processes.
    public var description: String {
        let digits = String(rawValue, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The first eight hex digits, for tables and logs where space is short.
    public var short: String { String(description.prefix(8)) }
}

/// A partition index in `0..<partitionCount`.
public typealias PartitionID = Int

/// A slot index in `0..<size`. A node occupies one slot.
public typealias Slot = Int

/// A log sequence number within one partition's log; the first entry is 1.
public typealias LSN = UInt64

/// A fencing token for one partition's leadership.
///
/// Epochs are unique per leader, not only increasing: the low bits carry the slot of the
/// node that took the epoch. Two nodes whose views briefly disagree may both lock a
/// partition "at the next epoch"; with plain counters they would pick the same number and
/// a client could see two nodes acknowledge writes at one epoch. Here they cannot.
public struct Epoch: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let slotBits: UInt64 = 10
    /// The largest cluster size that epochs can tell apart.
    public static let maximumSlots = 1 << slotBits

    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let zero = Epoch(rawValue: 0)

    public var round: UInt64 { rawValue >> Self.slotBits }
    public var slot: Slot { Int(rawValue & (UInt64(Self.maximumSlots) - 1)) }

    /// The first epoch of the round after `highest`, taken by the node in `slot`.
    public static func next(after highest: Epoch, slot: Slot) -> Epoch {
        Epoch(rawValue: ((highest.round + 1) << slotBits) | UInt64(slot % maximumSlots))
    }

    public static func < (lhs: Epoch, rhs: Epoch) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { String(rawValue) }
}

/// A position in a partition's log: the epoch of the last entry, then its LSN.
/// Ordered epoch first, so a replica holding a newer leader's shorter log counts as more
/// up to date than one holding a deposed leader's longer one (Raft's up-to-date rule).
public struct LogPosition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var epoch: Epoch
    public var lsn: LSN

    public init(epoch: Epoch, lsn: LSN) {
        self.epoch = epoch
        self.lsn = lsn
    }

    public static let start = LogPosition(epoch: .zero, lsn: 0)

    public static func < (lhs: LogPosition, rhs: LogPosition) -> Bool {
        (lhs.epoch, lhs.lsn) < (rhs.epoch, rhs.lsn)
    }

    public var description: String { "\(epoch)/\(lsn)" }
}

/// A point on a node's monotonic clock, in milliseconds. Only differences between two
/// instants of the same node mean anything; timeouts are measured on it, never on wall time.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static let zero = Instant(milliseconds: 0)

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.milliseconds < rhs.milliseconds }
    public static func + (lhs: Instant, rhs: Int64) -> Instant { Instant(milliseconds: lhs.milliseconds + rhs) }
    public static func - (lhs: Instant, rhs: Instant) -> Int64 { lhs.milliseconds - rhs.milliseconds }

    public var description: String { "\(milliseconds)ms" }
}
