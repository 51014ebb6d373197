import GridCore

/// The rule both stores enforce on `StoreWrite.entries`, so a shell bug can never leave a
/// hole or a duplicate in a durable log.
enum LogContinuity {
    static func check(partition: PartitionID, after: LSN, entries: [LogEntry], last: LSN) throws(StoreError) {
        guard after <= last else { throw .discontinuous(partition: partition, after: after, last: last) }
        for (offset, entry) in entries.enumerated() where entry.lsn != after + UInt64(offset) + 1 {
            throw .discontinuous(partition: partition, after: after, last: last)
        }
    }
}
