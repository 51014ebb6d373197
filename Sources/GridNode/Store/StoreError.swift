import GridCore

/// Why a store refused or failed a call. A node whose store fails stops: its memory would
/// otherwise run ahead of what a restart can recover.
public enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Entries that do not continue the log where the write says they do.
    case discontinuous(partition: PartitionID, after: LSN, last: LSN)
    /// The stored bytes do not decode.
    case corrupt(String)
    /// The data directory is in use by another node process.
    case locked(path: String)
    case closed
    /// The database or file system failed.
    case io(String)

    public var description: String {
        switch self {
        case .discontinuous(let partition, let after, let last):
            "entries for partition \(partition) do not continue its log: write after \(after), log ends at \(last)"
        case .corrupt(let detail): "stored data is corrupt: \(detail)"
        case .locked(let path): "\(path) is in use by another gossipgrid node"
        case .closed: "the store is closed"
        case .io(let detail): "storage failed: \(detail)"
        }
    }
}
