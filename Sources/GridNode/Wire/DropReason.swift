import GridCore

/// Why an inbound packet was thrown away. `label` is stable: it names the metric series.
public enum DropReason: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message bytes inside a valid envelope did not decode.
    case wire(WireError.Code)
    /// Too short, or an envelope version this node does not speak.
    case malformedEnvelope
    /// Sent by a node of another cluster.
    case foreignCluster
    /// This node has a secret and the packet carries no signature.
    case unsigned
    /// The packet is signed and this node has no secret to check it with.
    case unexpectedSignature
    /// The signature does not match: a forgery, or a node with another secret.
    case forged
    /// A stream frame declared a length over the limit; the connection is closed.
    case frameTooLarge
    /// The node could not keep up and its inbox was full.
    case inboxFull
    /// A datagram waited too long in the inbox of a node that could not keep up.
    case stale

    public static var allCases: [DropReason] {
        WireError.Code.allCases.map(DropReason.wire) + [
            .malformedEnvelope, .foreignCluster, .unsigned, .unexpectedSignature, .forged, .frameTooLarge, .inboxFull,
            .stale,
        ]
    }

    public var label: String {
        switch self {
        case .wire(let code): code.rawValue
        case .malformedEnvelope: "malformed_envelope"
        case .foreignCluster: "foreign_cluster"
        case .unsigned: "unsigned"
        case .unexpectedSignature: "unexpected_signature"
        case .forged: "forged"
        case .frameTooLarge: "frame_too_large"
        case .inboxFull: "inbox_full"
        case .stale: "stale"
        }
    }

    public var description: String { label }
}
