/// Where partitions live and who leads them, computed independently on every node from
/// its own view. Two nodes with the same config and the same set of joined slots compute
/// the same map; nothing here depends on process-local state.
public struct Placement: Hashable, Sendable {
    public let config: ClusterConfig
    /// The slots whose nodes may lead (joined in this view).
    public let eligibleSlots: Set<Slot>
    /// `owners[p]`: the `replicationFactor` slots with the highest rendezvous weight, best first.
    public let owners: [[Slot]]
    /// `previousOwners[p]`: the owners under the size before the last resize, when it differed.
    /// Writes acknowledged just before a resize are known only to a majority of those, so
    /// until the next resize both handshakes and writes need a majority of each set.
    public let previousOwners: [[Slot]]?
    /// `leaders[p]`: the slot that leads `p`, or nil when no owner of `p` may lead.
    public let leaders: [Slot?]
    /// The partitions each slot leads, ascending: asked on every step, so kept rather than scanned.
    let partitionsBySlot: [Slot: [PartitionID]]

    public init(config: ClusterConfig, eligibleSlots: Set<Slot>) {
        let owners = Self.owners(partitionCount: config.partitionCount, size: config.size, config: config)
        let previousOwners =
            config.previousSize == config.size
            ? nil : Self.owners(partitionCount: config.partitionCount, size: config.previousSize, config: config)
        self.init(config: config, owners: owners, previousOwners: previousOwners, eligibleSlots: eligibleSlots)
    }

    /// This placement with other slots eligible. Owners depend on the config alone, and
    /// eligibility changes with every join and death a view sees: only the leaders are redone.
    public func withEligibleSlots(_ eligibleSlots: Set<Slot>) -> Placement {
        Placement(config: config, owners: owners, previousOwners: previousOwners, eligibleSlots: eligibleSlots)
    }

    private init(config: ClusterConfig, owners: [[Slot]], previousOwners: [[Slot]]?, eligibleSlots: Set<Slot>) {
        self.config = config
        self.eligibleSlots = eligibleSlots
        self.owners = owners
        self.previousOwners = previousOwners
        let leaders = Self.boundedLeaders(owners: owners, eligible: eligibleSlots)
        self.leaders = leaders
        self.partitionsBySlot = Dictionary(grouping: leaders.indices.filter { leaders[$0] != nil }) { leaders[$0]! }
    }

    static func owners(partitionCount: Int, size: Int, config: ClusterConfig) -> [[Slot]] {
        let replication = config.replication(atSize: size)
        return (0..<partitionCount).map { preference(partition: $0, size: size, first: replication) }
    }

    /// The first `count` slots in rendezvous order for `partition`, best first. Only a few
    /// are ever needed, so they are picked in one pass rather than by sorting every slot.
    public static func preference(partition: PartitionID, size: Int, first count: Int) -> [Slot] {
        func ranksAbove(_ a: (slot: Slot, weight: UInt64), _ b: (slot: Slot, weight: UInt64)) -> Bool {
            (a.weight, -a.slot) > (b.weight, -b.slot)
        }
        var best: [(slot: Slot, weight: UInt64)] = []
        best.reserveCapacity(count + 1)
        for slot in 0..<size {
            let candidate = (slot: slot, weight: PartitionHash.weight(partition: partition, slot: slot))
            guard best.count < count || ranksAbove(candidate, best[best.count - 1]) else { continue }
            let index = best.firstIndex { ranksAbove(candidate, $0) } ?? best.count
            best.insert(candidate, at: index)
            if best.count > count { best.removeLast() }
        }
        return best.map(\.slot)
    }

    /// Each partition goes to its best eligible owner that still leads fewer than the mean
    /// (rounded up), else to its least loaded eligible owner (owners hold the data, so
    /// leadership never leaves them). Plain rendezvous leaves 64 partitions on 8 slots
    /// anywhere from 3 to 14 per slot; the bound keeps every slot within ±25% of P/N while a
    /// new slot still moves only about P/(N+1) leaders (both checked in PlacementTests).
    /// Partitions are visited in order, so the result is deterministic.
    static func boundedLeaders(owners: [[Slot]], eligible: Set<Slot>) -> [Slot?] {
        let leadable = Set(owners.joined()).intersection(eligible)
        guard !leadable.isEmpty else { return owners.map { _ in nil } }
        let cap = (owners.count + leadable.count - 1) / leadable.count
        var load: [Slot: Int] = [:]
        var leaders: [Slot?] = owners.map { partitionOwners in
            let candidates = partitionOwners.filter(eligible.contains)
            guard !candidates.isEmpty else { return nil }
            let chosen =
                candidates.first { load[$0, default: 0] < cap }
                ?? candidates.min { load[$0, default: 0] < load[$1, default: 0] }!
            load[chosen, default: 0] += 1
            return chosen
        }
        // The cap bounds the top; lift any slot below 85% of the mean with partitions it
        // co-owns from slots above the mean.
        let mean = Double(owners.count) / Double(leadable.count)
        let floor = Int((mean * 0.85).rounded(.up))
        for slot in leadable.sorted() {
            for partition in owners.indices where load[slot, default: 0] < floor {
                guard let current = leaders[partition], current != slot, owners[partition].contains(slot),
                    Double(load[current, default: 0]) > mean
                else { continue }
                leaders[partition] = slot
                load[current, default: 0] -= 1
                load[slot, default: 0] += 1
            }
        }
        return leaders
    }

    public func owners(of partition: PartitionID) -> [Slot] { owners[partition] }

    /// The owner sets whose majorities a handshake and a write need: now and before the last resize.
    public func ownerSets(of partition: PartitionID) -> [[Slot]] {
        [owners[partition]] + (previousOwners.map { [$0[partition]] } ?? [])
    }

    /// Every slot that keeps a copy of `partition`: its owners now and before the last resize.
    public func replicaSlots(of partition: PartitionID) -> [Slot] {
        guard let previous = previousOwners?[partition] else { return owners[partition] }
        return owners[partition] + previous.filter { !owners[partition].contains($0) }
    }

    public func leader(of partition: PartitionID) -> Slot? { leaders[partition] }

    public func partitions(ledBy slot: Slot) -> [PartitionID] { partitionsBySlot[slot] ?? [] }

    public func partitions(ownedBy slot: Slot) -> [PartitionID] {
        owners.indices.filter { owners[$0].contains(slot) }
    }

    public func partition(forKey key: String) -> PartitionID {
        PartitionHash.partition(forKey: key, partitionCount: config.partitionCount)
    }
}
