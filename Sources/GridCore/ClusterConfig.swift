/// The cluster's shape. Every resize bumps `version`; a resize is a compare-and-set on it.
public struct ClusterConfig: Hashable, Sendable {
    public var name: String
    /// The number of slots, `0..<size`.
    public var size: Int
    public var partitionCount: Int
    public var replicationFactor: Int
    public var version: UInt64
    /// The size before the last resize (equal to `size` before any). Writes acknowledged
    /// just before a resize are known only to a majority of the old owners, so until the
    /// next resize a handshake needs a majority of those too.
    public var previousSize: Int

    public init(
        name: String, size: Int, partitionCount: Int, replicationFactor: Int, version: UInt64 = 1,
        previousSize: Int? = nil
    ) {
        self.name = name
        self.size = size
        self.partitionCount = partitionCount
        self.replicationFactor = replicationFactor
        self.version = version
        self.previousSize = previousSize ?? size
    }

    /// The replicas per partition actually placed: never more than there are slots.
    public var effectiveReplication: Int { replication(atSize: size) }

    func replication(atSize shapeSize: Int) -> Int { max(1, min(replicationFactor, shapeSize)) }

    /// How many slots make a majority of the cluster.
    public var slotMajority: Int { size / 2 + 1 }

    /// Why this shape cannot run, or nil when it can.
    public var problem: String? {
        if name.isEmpty || name.utf8.count > 64 { return "cluster name must be 1 to 64 bytes" }
        if size < 1 { return "size must be at least 1" }
        if size > Epoch.maximumSlots { return "size must be at most \(Epoch.maximumSlots)" }
        if partitionCount < 1 || partitionCount > 65_536 { return "partitions must be 1 to 65536" }
        if replicationFactor < 1 { return "replication must be at least 1" }
        return nil
    }
}
