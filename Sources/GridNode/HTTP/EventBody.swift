/// One event as JSON.
public struct EventBody: Codable, Hashable, Sendable {
    public var sequence: UInt64
    public var kind: String
    public var node: String
    public var partition: Int?
    public var epoch: UInt64?
    public var peer: String?
    public var detail: String
    /// Wall-clock milliseconds since 1970.
    public var timeMilliseconds: UInt64
    /// The event as one line for people.
    public var text: String

    public init(_ event: NodeEvent) {
        sequence = event.sequence
        kind = event.event.kind.rawValue
        node = event.event.node.description
        partition = event.event.partition
        epoch = event.event.epoch?.rawValue
        peer = event.event.peer?.description
        detail = event.event.detail
        timeMilliseconds = event.wallMilliseconds
        text = event.event.description
    }

    enum CodingKeys: String, CodingKey {
        case sequence, kind, node, partition, epoch, peer, detail, text
        case timeMilliseconds = "time_ms"
    }
}
