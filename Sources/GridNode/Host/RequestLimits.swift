import GridCore

/// What the HTTP API accepts. Keys and values match what the wire codec carries, so
/// anything accepted here can be replicated.
public struct RequestLimits: Hashable, Sendable {
    public var keyBytes = WireCodec.maximumStringBytes
    public var valueBytes = WireCodec.maximumValueBytes
    public var bodyBytes = 128 << 10

    public init() {}
}
