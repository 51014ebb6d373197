/// One partition's replicated log and the items it materializes. Entries are never
/// reordered; a suffix may be replaced when a deposed leader's unacknowledged tail meets
/// the new leader's log.
///
/// The log is kept short by compaction: the oldest entries are folded into the items at
/// the `base` position and dropped. A peer that needs what was dropped gets a snapshot of
/// the items instead (`PartitionSnapshot`).
public struct PartitionLog: Hashable, Sendable {
    public typealias Items = [String: [String?: Item]]

    /// The last position folded into `baseItems`; `.start` until the first compaction.
    public private(set) var base: LogPosition = .start
    /// The items at `base`: what a suffix replacement rebuilds from.
    private(set) var baseItems: Items = [:]
    /// The entries after `base`.
    public private(set) var entries: [LogEntry] = []
    /// The items at `last`.
    private(set) var items: Items = [:]

    public init() {}

    public init(entries: [LogEntry]) {
        self.init(base: .start, baseItems: [], entries: entries)
    }

    /// A log restored from a store, or installed from a snapshot: the items at `base`, then
    /// the entries that follow it.
    public init(base: LogPosition, baseItems: [Item], entries: [LogEntry]) {
        self.base = base
        for item in baseItems { self.baseItems[item.key.partitionKey, default: [:]][item.key.rangeKey] = item }
        self.entries = entries
        rebuildItems()
    }

    public var last: LogPosition { entries.last?.position ?? base }

    public var isEmpty: Bool { last == .start }

    public var itemCount: Int { items.values.reduce(0) { $0 + $1.count } }

    /// Every item at `last`, in key order: the contents of a snapshot.
    public var allItems: [Item] { items.values.flatMap(\.values).sorted { $0.key < $1.key } }

    /// The items at `base`, in key order: what a store keeps beside the remaining entries.
    public var allBaseItems: [Item] { baseItems.values.flatMap(\.values).sorted { $0.key < $1.key } }

    public func entry(at lsn: LSN) -> LogEntry? {
        guard lsn > base.lsn, lsn <= last.lsn else { return nil }
        return entries[Int(lsn - base.lsn - 1)]
    }

    /// True when the log holds `position` exactly. The start is in every log; a position
    /// folded into the base cannot be checked any more, so it counts as missing.
    public func contains(_ position: LogPosition) -> Bool {
        if position.lsn == 0 { return true }
        if position.lsn == base.lsn { return position == base }
        return entry(at: position.lsn)?.epoch == position.epoch
    }

    /// The position of the entry at `lsn`, clamped to the log; `.start` when that entry was
    /// compacted away (a peer told to continue from there gets everything again).
    public func position(at lsn: LSN) -> LogPosition {
        let lsn = min(lsn, last.lsn)
        if lsn == base.lsn { return base }
        return entry(at: lsn)?.position ?? .start
    }

    /// Where a peer whose log lacks `position` should retry from: our last entry if the
    /// position lies beyond it, else just before the run of the epoch that conflicts, and
    /// the start when the conflict reaches into what this log compacted.
    public func retryPoint(forMissing position: LogPosition) -> LSN {
        if position.lsn > last.lsn { return last.lsn }
        guard let conflicting = entry(at: position.lsn) else { return 0 }
        var lsn = position.lsn
        while lsn > base.lsn + 1, entry(at: lsn - 1)?.epoch == conflicting.epoch { lsn -= 1 }
        return lsn - 1
    }

    /// Up to `limit` entries after `lsn`; none when `lsn` lies before the base (the caller
    /// sends a snapshot instead).
    public func entries(after lsn: LSN, limit: Int) -> [LogEntry] {
        guard lsn >= base.lsn, lsn < last.lsn else { return [] }
        let start = Int(lsn - base.lsn)
        return Array(entries[start..<min(entries.count, start + limit)])
    }

    /// Makes `change`, or returns false and changes nothing when it does not fit this log:
    /// entries that do not continue at `after + 1`, or that would replace compacted ones
    /// other than by starting over from the start.
    @discardableResult
    public mutating func apply(_ change: LogChange) -> Bool {
        switch change {
        case .entries(let after, let newEntries): return replace(after: after, with: newEntries)
        case .compaction(let through): return compact(through: through)
        case .snapshot(let snapshot):
            self = PartitionLog(base: snapshot.position, baseItems: snapshot.items, entries: [])
            return true
        }
    }

    /// Keeps the entries up to `lsn` and appends `newEntries` after them.
    @discardableResult
    public mutating func replace(after lsn: LSN, with newEntries: [LogEntry]) -> Bool {
        guard lsn <= last.lsn, lsn >= base.lsn || lsn == 0 else { return false }
        for (offset, entry) in newEntries.enumerated() where entry.lsn != lsn + UInt64(offset) + 1 {
            return false
        }
        if lsn < base.lsn {
            self = PartitionLog()
        } else if lsn < last.lsn {
            entries.removeSubrange(Int(lsn - base.lsn)...)
            rebuildItems()
        }
        for entry in newEntries { append(entry) }
        return true
    }

    public mutating func append(_ entry: LogEntry) {
        entries.append(entry)
        Self.apply(entry, to: &items)
    }

    /// Folds the entries up to `through` into the base and drops them.
    @discardableResult
    public mutating func compact(through position: LogPosition) -> Bool {
        guard position.lsn > base.lsn, contains(position) else { return false }
        let count = Int(position.lsn - base.lsn)
        for entry in entries[..<count] { Self.apply(entry, to: &baseItems) }
        entries.removeFirst(count)
        base = position
        return true
    }

    /// The compaction due once the log holds twice `retention` entries: down to the
    /// newest `retention`, so a replica a little behind still catches up from entries.
    public func compactionDue(retention: Int) -> LogPosition? {
        guard retention > 0, entries.count >= 2 * retention else { return nil }
        return entries[entries.count - retention - 1].position
    }

    public func items(partitionKey: String, rangeKey: String?) -> [Item] {
        guard let group = items[partitionKey] else { return [] }
        if let rangeKey { return group[rangeKey].map { [$0] } ?? [] }
        return group.values.sorted { $0.key < $1.key }
    }

    static func apply(_ entry: LogEntry, to items: inout Items) {
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
        items = baseItems
        for entry in entries { Self.apply(entry, to: &items) }
    }
}

/// One change to a partition's log, as a node makes it and as its store repeats it.
public enum LogChange: Hashable, Sendable {
    /// Drop the entries after `after`, then append these, which continue at `after + 1`.
    case entries(after: LSN, [LogEntry])
    /// Fold the entries up to this position into the base and drop them.
    case compaction(through: LogPosition)
    /// Replace the whole log with a snapshot's items.
    case snapshot(PartitionSnapshot)
}

/// A partition's items as they stood at `position`.
public struct PartitionSnapshot: Hashable, Sendable {
    public var position: LogPosition
    public var items: [Item]

    public init(position: LogPosition, items: [Item]) {
        self.position = position
        self.items = items
    }
}
