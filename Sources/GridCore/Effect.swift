/// What a node asks its shell to do. The shell executes effects in order and makes no
/// protocol decisions of its own; the simulator executes the same effects against its
/// simulated network and disk.
public enum Effect: Hashable, Sendable {
    case send(PeerMessage, to: Destination)
    /// Make this metadata durable before acting on anything that follows.
    case persistMetadata(NodeMetadata)
    /// Make this change to the partition's log (and the items it materializes) durable.
    case persistLog(partition: PartitionID, LogChange)
    /// The answer to a client request the shell submitted with this id.
    case respond(id: UInt64, ClientResponse)
    case event(GridEvent)
}

public enum Destination: Hashable, Sendable {
    case node(NodeID)
    /// A gossip address whose node is not known yet (a seed).
    case address(String)
}

/// Something an operator wants to see: the event log, server-sent events, metrics.
public struct GridEvent: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case joined, disconnected, refuted, slotTaken
        case locked, acknowledged, opened, forcedOpen, abandoned, released
        case resized, resizeRejected, configAdopted
        case writeRejected
        case snapshotInstalled
    }

    public var kind: Kind
    public var node: NodeID
    public var partition: PartitionID?
    public var epoch: Epoch?
    public var peer: NodeID?
    public var detail: String

    public init(
        _ kind: Kind, node: NodeID, partition: PartitionID? = nil, epoch: Epoch? = nil, peer: NodeID? = nil,
        detail: String = ""
    ) {
        self.kind = kind
        self.node = node
        self.partition = partition
        self.epoch = epoch
        self.peer = peer
        self.detail = detail
    }

    public var description: String {
        var text = "\(node.short) \(kind.rawValue)"
        if let partition { text += " p\(partition)" }
        if let epoch { text += " e\(epoch)" }
        if let peer { text += " \(peer.short)" }
        if !detail.isEmpty { text += " \(detail)" }
        return text
    }
}
