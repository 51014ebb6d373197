import GridCore

/// Every client operation of a run and what became of it, and the checks on them:
/// no two nodes acknowledge one partition at one epoch, and every acknowledged write
/// is readable from the partition's leader once the faults stop.
struct WriteHistory {
    struct Write {
        var key: ItemKey
        var value: String
        var node: NodeID
        var outcome: Outcome = .pending
    }

    enum Outcome: Equatable {
        case pending
        case acknowledged(WriteReceipt)
        /// Definitely not applied (503 locked or unavailable).
        case refused
        /// May or may not have been applied.
        case unknown

        var isAcknowledged: Bool { if case .acknowledged = self { true } else { false } }
    }

    private(set) var writes: [UInt64: Write] = [:]
    /// Which node acknowledged writes for each (partition, epoch).
    private var acknowledgers: [PartitionEpoch: NodeID] = [:]
    private(set) var conflicts: [String] = []

    struct PartitionEpoch: Hashable {
        var partition: PartitionID
        var epoch: Epoch
    }

    mutating func begin(_ requestID: UInt64, key: ItemKey, value: String, node: NodeID) {
        writes[requestID] = Write(key: key, value: value, node: node)
    }

    mutating func complete(_ requestID: UInt64, with response: ClientResponse) {
        guard writes[requestID]?.outcome == .pending else { return }
        switch response {
        case .written(let receipt):
            writes[requestID]!.outcome = .acknowledged(receipt)
            let slot = PartitionEpoch(partition: receipt.partition, epoch: receipt.epoch)
            if let other = acknowledgers[slot], other != receipt.node {
                conflicts.append(
                    "partition \(receipt.partition) epoch \(receipt.epoch) acknowledged by \(other.short) and \(receipt.node.short)"
                )
            }
            acknowledgers[slot] = receipt.node
        case .failed(let failure):
            writes[requestID]!.outcome = failure.isDefinite ? .refused : .unknown
        case .read, .resized:
            writes[requestID]!.outcome = .unknown
        }
    }

    /// The node died with these requests in flight: their outcome can no longer be known.
    mutating func abandon(requestsAt node: NodeID) {
        for (requestID, write) in writes where write.node == node && write.outcome == .pending {
            writes[requestID]!.outcome = .unknown
        }
    }

    var acknowledged: [Write] { writes.values.filter(\.outcome.isAcknowledged) }

    func isAcknowledged(_ requestID: UInt64) -> Bool { writes[requestID]?.outcome.isAcknowledged ?? false }

    func count(_ outcome: (Outcome) -> Bool) -> Int { writes.values.filter { outcome($0.outcome) }.count }

    /// Acknowledged writes missing from the leader that now has each partition open.
    func lostWrites(leaders: [PartitionID: NodeCore], placement: Placement) -> [Write] {
        acknowledged.filter { write in
            let partition = placement.partition(forKey: write.key.partitionKey)
            guard let leader = leaders[partition] else { return true }
            let items = leader.logs[partition]?.items(
                partitionKey: write.key.partitionKey, rangeKey: write.key.rangeKey)
            return items?.contains { $0.value == write.value } != true
        }
    }
}
