import GridCore
import Synchronization

/// A store that lives as long as the object: ephemeral nodes, and embedded nodes whose
/// "disk" should survive a simulated crash because the console keeps the store around.
public final class InMemoryStore: Store {
    private struct State {
        var metadata: NodeMetadata?
        var logs: [PartitionID: PartitionLog] = [:]
        var closed = false
    }

    private let state = Mutex(State())

    public init() {}

    public func commit(_ writes: [StoreWrite]) throws(StoreError) {
        try state.withLock { (state: inout State) throws(StoreError) in
            guard !state.closed else { throw .closed }
            // Applied to a copy and swapped in, so a failing write leaves nothing behind.
            var next = state
            for write in writes {
                switch write {
                case .metadata(let metadata):
                    next.metadata = metadata
                case .log(let partition, let change):
                    var log = next.logs[partition] ?? PartitionLog()
                    try LogContinuity.check(change, partition: partition, base: log.base.lsn, last: log.last.lsn)
                    log.apply(change)
                    next.logs[partition] = log.isEmpty ? nil : log
                }
            }
            state = next
        }
    }

    public func loadMetadata() throws(StoreError) -> NodeMetadata? {
        try state.withLock { (state: inout State) throws(StoreError) in
            guard !state.closed else { throw .closed }
            return state.metadata
        }
    }

    public func loadLogs() throws(StoreError) -> [PartitionID: PartitionLog] {
        try state.withLock { (state: inout State) throws(StoreError) in
            guard !state.closed else { throw .closed }
            return state.logs
        }
    }

    public func items(partition: PartitionID, partitionKey: String, rangeKey: String?) throws(StoreError) -> [Item] {
        try state.withLock { (state: inout State) throws(StoreError) in
            guard !state.closed else { throw .closed }
            return state.logs[partition]?.items(partitionKey: partitionKey, rangeKey: rangeKey) ?? []
        }
    }

    /// Closing only marks this handle's owner as done; `reopen()` hands the same contents
    /// to the next incarnation of an embedded node.
    public func close() {
        state.withLock { $0.closed = true }
    }

    /// Makes a closed store usable again, as reopening a file would.
    public func reopen() {
        state.withLock { $0.closed = false }
    }
}
