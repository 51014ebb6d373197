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

    /// Every partition whose log is not empty.
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
    /// The change the node made to the partition's log, made to the stored log and items.
    case log(partition: PartitionID, LogChange)
}

extension Store {
    public func saveMetadata(_ metadata: NodeMetadata) throws(StoreError) {
        try commit([.metadata(metadata)])
    }

    public func replaceEntries(partition: PartitionID, after: LSN, with entries: [LogEntry]) throws(StoreError) {
        try commit([.log(partition: partition, .entries(after: after, entries))])
    }
}
