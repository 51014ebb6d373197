public enum RequestKind: Hashable, Sendable {
    case read
    case write
}

/// Where a client request goes (the seed's `decide_routing`).
public enum Routing: Hashable, Sendable {
    case local
    case forward(NodeID)
    /// A write to a locked partition: refused, definitely not applied (HTTP 503).
    case locked(retryAfterMilliseconds: Int)
    case unavailable(reason: String, leader: NodeID?)
}

/// What one node knows that bears on routing one request.
public struct RoutingFacts: Hashable, Sendable {
    public var kind: RequestKind
    /// In this node's own `locked_partitions`, or an acknowledgment of a lock is being held back.
    public var lockedLocally: Bool
    /// The leader in this node's map is locking the partition (the handshake has begun there).
    public var lockedByExpectedLeader: Bool
    /// This node has opened the partition and leads it.
    public var leadsOpen: Bool
    public var hasWriteLease: Bool
    /// The live leader in this node's leader map, if not this node.
    public var expectedLeader: NodeID?
    /// The live node that has the partition open, if not this node: where reads go.
    public var servingLeader: NodeID?
    /// This node holds a replica of the partition.
    public var isOwner: Bool
    /// A live owner of the partition other than this node.
    public var otherOwner: NodeID?
    /// The request already took its one hop.
    public var forwarded: Bool
    public var retryAfterMilliseconds: Int

    public init(
        kind: RequestKind, lockedLocally: Bool = false, lockedByExpectedLeader: Bool = false, leadsOpen: Bool = false,
        hasWriteLease: Bool = false, expectedLeader: NodeID? = nil, servingLeader: NodeID? = nil,
        isOwner: Bool = false, otherOwner: NodeID? = nil, forwarded: Bool = false, retryAfterMilliseconds: Int = 500
    ) {
        self.kind = kind
        self.lockedLocally = lockedLocally
        self.lockedByExpectedLeader = lockedByExpectedLeader
        self.leadsOpen = leadsOpen
        self.hasWriteLease = hasWriteLease
        self.expectedLeader = expectedLeader
        self.servingLeader = servingLeader
        self.isOwner = isOwner
        self.otherOwner = otherOwner
        self.forwarded = forwarded
        self.retryAfterMilliseconds = retryAfterMilliseconds
    }

    /// Writes are refused while the partition is locked here or by the node about to lead it.
    public var isEffectivelyLocked: Bool { lockedLocally || lockedByExpectedLeader }
}

/// Reads ignore locks and prefer the node that has the partition open, then any owner.
/// Writes go to the leader, one hop at most, and never into a lock.
public func decideRouting(_ facts: RoutingFacts) -> Routing {
    switch facts.kind {
    case .write:
        if facts.isEffectivelyLocked { return .locked(retryAfterMilliseconds: facts.retryAfterMilliseconds) }
        if facts.leadsOpen {
            return facts.hasWriteLease
                ? .local : .unavailable(reason: "leader has no write lease (no majority answered)", leader: nil)
        }
        if let leader = facts.expectedLeader ?? facts.servingLeader {
            return facts.forwarded
                ? .unavailable(reason: "leadership is moving; retry", leader: leader) : .forward(leader)
        }
        return .unavailable(reason: "no live leader for this partition", leader: nil)
    case .read:
        if facts.leadsOpen { return .local }
        if let leader = facts.servingLeader, !facts.forwarded { return .forward(leader) }
        if facts.isOwner { return .local }
        if let owner = facts.otherOwner, !facts.forwarded { return .forward(owner) }
        return .unavailable(reason: "no live replica of this partition", leader: nil)
    }
}
