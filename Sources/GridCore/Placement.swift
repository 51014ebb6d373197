/// Where partitions live and who leads them, computed independently on every node from
/// its own view. Two nodes with the same config and the same set of joined slots compute
/// the same map; nothing here depends on process-local state.
public struct Placement: Hashable, Sendable {
    public let config: ClusterConfig
    /// The slots whose nodes may lead (joined in this view).
    public let eligibleSlots: Set<Slot>
    /// `owners[p]`: the `replicationFactor` slots with the highest rendezvous weight, best first.
    public let owners: [[Slot]]
    /// `leaders[p]`: the slot that leads `p`, or nil when no owner of `p` may lead.
    public let leaders: [Slot?]

    public init(config: ClusterConfig, eligibleSlots: Set<Slot>) {
        self.config = config
        self.eligibleSlots = eligibleSlots
        let replication = config.effectiveReplication
        let owners = (0..<config.partitionCount).map { partition in
            Self.preference(partition: partition, size: config.size).prefix(replication).map { $0 }
        }
        self.owners = owners
        self.leaders = Self.boundedLeaders(owners: owners, eligible: eligibleSlots)
    }

    /// All slots in rendezvous order for `partition`, best first.
    public static func preference(partition: PartitionID, size: Int) -> [Slot] {
        let weighted: [(slot: Slot, weight: UInt64)] = (0..<size).map { slot in
            (slot, PartitionHash.weight(partition: partition, slot: slot))
        }
        return weighted.sorted { ($0.weight, -$0.slot) > ($1.weight, -$1.slot) }.map(\.slot)
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

    public func leader(of partition: PartitionID) -> Slot? { leaders[partition] }

    public func partitions(ledBy slot: Slot) -> [PartitionID] {
        leaders.indices.filter { leaders[$0] == slot }
    }

    public func partitions(ownedBy slot: Slot) -> [PartitionID] {
        owners.indices.filter { owners[$0].contains(slot) }
    }

    public func partition(forKey key: String) -> PartitionID {
        PartitionHash.partition(forKey: key, partitionCount: config.partitionCount)
    }
}
