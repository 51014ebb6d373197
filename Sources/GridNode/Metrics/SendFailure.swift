/// Why an outbound peer message never left this node.
public enum SendFailure: String, Sendable, CaseIterable {
    /// The destination node is not in this node's view, or has no address.
    case unknownNode = "unknown_node"
    /// The address does not parse or resolve.
    case badAddress = "bad_address"
    /// The encoded message is over the limit the receiver enforces.
    case tooLarge = "too_large"
    /// The peer link's bounded queue was full.
    case queueFull = "queue_full"
    /// The peer link could not connect; its queued messages were dropped.
    case unreachable
    /// A datagram could not be sent and took the gossip socket down with it; the socket
    /// was bound again.
    case gossipSocketReopened = "gossip_socket_reopened"
}
