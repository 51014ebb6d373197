import GridCore

/// The snapshot merged once into what the screen draws, so a frame never merges or
/// searches: rows by slot, partitions by id, handshakes by partition.
public struct ClusterView: Hashable, Sendable {
    public var cluster: ClusterStatus.Cluster?
    public var nodes: [MergedNode]
    /// Indexed by partition id; a partition no view reported has the phase "unknown".
    public var partitions: [ClusterStatus.Partition]
    public var handshakes: [ClusterStatus.Handshake]
    public var handshakeByPartition: [Int: ClusterStatus.Handshake]
    public var laggingViews: [String]
    public var unreachable: Set<String>

    public init(_ snapshot: ClusterSnapshot) {
        let primary = snapshot.primary
        cluster = primary?.cluster
        nodes = snapshot.mergedNodes
        handshakes = snapshot.handshakes
        laggingViews = snapshot.laggingViews
        unreachable = snapshot.unreachable
        var byPartition: [Int: ClusterStatus.Handshake] = [:]
        for handshake in handshakes { byPartition[handshake.partition] = handshake }
        handshakeByPartition = byPartition
        let merged = snapshot.mergedPartitions
        let count = max(primary?.cluster.partitions ?? 0, (merged.map(\.id).max() ?? -1) + 1)
        var table = (0..<count).map {
            ClusterStatus.Partition(
                id: $0, leader: nil, leaderSlot: nil, epoch: 0, owners: [], locked: false, phase: "unknown")
        }
        for partition in merged where partition.id >= 0 && partition.id < count { table[partition.id] = partition }
        partitions = table
    }

    public static let empty = ClusterView(.empty)

    public var partitionCount: Int { partitions.count }

    public func node(id: String) -> MergedNode? { nodes.first { $0.record.id == id } }

    public func node(slot: Int) -> MergedNode? { nodes.first { $0.record.slot == slot } }

    /// The running handshake of a partition, if any.
    public func handshake(partition: Int) -> ClusterStatus.Handshake? { handshakeByPartition[partition] }

    /// Partitions locked in any view, sorted.
    public var lockedPartitions: [Int] { partitions.filter(\.locked).map(\.id) }

    /// Finds a node by what an operator types: a slot number, else a unique id prefix.
    public func resolveNode(_ reference: String) -> Result<MergedNode, NodeReferenceError> {
        let text = reference.lowercased()
        guard !text.isEmpty else { return .failure(.empty) }
        if let slot = Int(text), let node = node(slot: slot) { return .success(node) }
        let matches = nodes.filter { $0.record.id.lowercased().hasPrefix(text) }
        switch matches.count {
        case 1: return .success(matches[0])
        case 0: return .failure(.unknown(reference))
        default: return .failure(.ambiguous(reference, matches.map { String($0.record.id.prefix(8)) }))
        }
    }
}

/// Why a typed node reference names no node.
public enum NodeReferenceError: Error, Hashable, Sendable, CustomStringConvertible {
    case empty
    case unknown(String)
    case ambiguous(String, [String])

    public var description: String {
        switch self {
        case .empty: "name a node by slot number or id prefix"
        case .unknown(let text): "no node with slot or id prefix '\(text)'"
        case .ambiguous(let text, let ids): "'\(text)' matches several nodes: \(ids.joined(separator: ", "))"
        }
    }
}
