import GridCore

/// The rule both stores enforce on a `StoreWrite.log`, so a shell bug can never leave a
/// hole or a duplicate in a durable log: entries continue the log (or start it over), and a
/// compaction stays within it.
enum LogContinuity {
    static func check(_ change: LogChange, partition: PartitionID, base: LSN, last: LSN) throws(StoreError) {
        switch change {
        case .entries(let after, let entries):
            guard after <= last, after >= base || after == 0 else {
                throw .discontinuous(partition: partition, after: after, last: last)
            }
            for (offset, entry) in entries.enumerated() where entry.lsn != after + UInt64(offset) + 1 {
                throw .discontinuous(partition: partition, after: after, last: last)
            }
        case .compaction(let through):
            guard through.lsn > base, through.lsn <= last else {
                throw .discontinuous(partition: partition, after: through.lsn, last: last)
            }
        case .snapshot:
            break
        }
    }
}
