import GridCore

/// Where a node keeps what must survive a restart: its metadata and every partition's log
/// with the items that log materializes.
///
/// NodeCore keeps the live copy in memory; a store is written as effects arrive and read
/// once, at start. Every `commit` is atomic: a crash leaves either all of its writes or
/// none, and a log entry is never durable without the item change it makes.
public protocol Store: AnyObject, Sendable {
    /// Applies `writes` in order, all or nothing.
    func commit(_ writes: [StoreWrite]) throws(StoreError)

    func loadMetadata() throws(StoreError) -> NodeMetadata?

    /// Every partition that has at least one entry.
    func loadLogs() throws(StoreError) -> [PartitionID: PartitionLog]

    /// The stored items of one partition key (one item with a range key, or all of them
    /// without), as the log has materialized them.
    func items(partition: PartitionID, partitionKey: String, rangeKey: String?) throws(StoreError) -> [Item]

    /// Releases files and connections. A closed store refuses further calls.
    func close()
}

/// One change a store makes durable.
public enum StoreWrite: Hashable, Sendable {
    case metadata(NodeMetadata)
    /// Drop the partition's entries after `after`, then append `entries`, which must
    /// continue at `after + 1`.
    case entries(partition: PartitionID, after: LSN, entries: [LogEntry])
}

extension Store {
    public func saveMetadata(_ metadata: NodeMetadata) throws(StoreError) {
        try commit([.metadata(metadata)])
    }

    public func replaceEntries(partition: PartitionID, after: LSN, with entries: [LogEntry]) throws(StoreError) {
        try commit([.entries(partition: partition, after: after, entries: entries)])
    }
}
