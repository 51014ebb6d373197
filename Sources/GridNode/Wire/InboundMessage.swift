import GridCore

/// A peer message as it came off the wire, with its sender when the envelope named one.
public struct InboundMessage: Hashable, Sendable {
    public var message: PeerMessage
    public var sender: NodeID?

    public init(message: PeerMessage, sender: NodeID?) {
        self.message = message
        self.sender = sender
    }
}
