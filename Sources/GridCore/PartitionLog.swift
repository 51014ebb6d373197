/// One partition's replicated log and the items it materializes. Entries are never
/// reordered; a suffix may be replaced when a deposed leader's unacknowledged tail meets
/// the new leader's log.
public struct PartitionLog: Hashable, Sendable {
    public private(set) var entries: [LogEntry] = []
    private(set) var items: [String: [String?: Item]] = [:]

    public init() {}

    public init(entries: [LogEntry]) {
        self.entries = entries
        rebuildItems()
    }

    public var last: LogPosition { entries.last?.position ?? .start }

    public var itemCount: Int { items.values.reduce(0) { $0 + $1.count } }

    public func entry(at lsn: LSN) -> LogEntry? {
        guard lsn >= 1, lsn <= UInt64(entries.count) else { return nil }
        return entries[Int(lsn - 1)]
    }

    /// True when the log holds `position` exactly (the start is in every log).
    public func contains(_ position: LogPosition) -> Bool {
        position.lsn == 0 || entry(at: position.lsn)?.epoch == position.epoch
    }

    /// The position of the entry at `lsn`, clamped to the log.
    public func position(at lsn: LSN) -> LogPosition {
        entry(at: min(lsn, last.lsn))?.position ?? .start
    }

    /// Where a peer whose log lacks `position` should retry from: our last entry if the
    /// position lies beyond it, else just before the run of the epoch that conflicts.
    public func retryPoint(forMissing position: LogPosition) -> LSN {
        guard position.lsn <= last.lsn, let conflicting = entry(at: position.lsn) else { return last.lsn }
        var lsn = position.lsn
        while lsn > 1, entry(at: lsn - 1)?.epoch == conflicting.epoch { lsn -= 1 }
        return lsn - 1
    }

    public func entries(after lsn: LSN, limit: Int) -> [LogEntry] {
        guard lsn < last.lsn else { return [] }
        let start = Int(lsn)
        return Array(entries[start..<min(entries.count, start + limit)])
    }

    /// Keeps the entries up to `lsn` and appends `newEntries` after them. Returns false,
    /// changing nothing, when they do not continue at `lsn + 1`.
    @discardableResult
    public mutating func replace(after lsn: LSN, with newEntries: [LogEntry]) -> Bool {
        guard lsn <= last.lsn else { return false }
        for (offset, entry) in newEntries.enumerated() where entry.lsn != lsn + UInt64(offset) + 1 {
            return false
        }
        if lsn < last.lsn {
            entries.removeSubrange(Int(lsn)...)
            rebuildItems()
        }
        for entry in newEntries { append(entry) }
        return true
    }

    public mutating func append(_ entry: LogEntry) {
        entries.append(entry)
        apply(entry)
    }

    public func items(partitionKey: String, rangeKey: String?) -> [Item] {
        guard let group = items[partitionKey] else { return [] }
        if let rangeKey { return group[rangeKey].map { [$0] } ?? [] }
        return group.values.sorted { $0.key < $1.key }
    }

    private mutating func apply(_ entry: LogEntry) {
        let key = entry.key
        switch entry.mutation {
        case .put(let value):
            items[key.partitionKey, default: [:]][key.rangeKey] = Item(
                key: key, value: value, epoch: entry.epoch, lsn: entry.lsn, hlc: entry.hlc)
        case .delete:
            items[key.partitionKey]?[key.rangeKey] = nil
            if items[key.partitionKey]?.isEmpty == true { items[key.partitionKey] = nil }
        case .deleteAll:
            items[key.partitionKey] = nil
        }
    }

    private mutating func rebuildItems() {
        items = [:]
        for entry in entries { apply(entry) }
    }
}
