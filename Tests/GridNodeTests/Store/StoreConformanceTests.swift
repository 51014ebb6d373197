import GridCore
import Testing

@testable import GridNode

/// One suite, run against every `Store`: what NodeCore relies on must hold for both.
@Suite("Store conformance")
struct StoreConformanceTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory
        case sqlite

        var testDescription: String { rawValue }
    }

    /// A store and a way to open it again as a restarted node would.
    final class Subject {
        let kind: Kind
        private(set) var store: any Store
        private let directory = TemporaryDirectory()
        private let memory = InMemoryStore()

        init(_ kind: Kind) throws {
            self.kind = kind
            switch kind {
            case .memory: store = memory
            case .sqlite: store = try SQLiteStore(directory: directory.path)
            }
        }

        /// The same data through a new handle (for memory, the same object: it is its own disk).
        func reopen() throws -> any Store {
            guard kind == .sqlite else { return store }
            store.close()
            store = try SQLiteStore(directory: directory.path)
            return store
        }

        deinit {
            store.close()
            directory.remove()
        }
    }

    static let clock = HybridTimestamp(wallMilliseconds: 1_700_000_000_123, counter: 7)

    static func entry(
        _ lsn: LSN, epoch: UInt64 = 1 << 10, _ key: ItemKey, _ mutation: Mutation, counter: UInt32 = 0
    ) -> LogEntry {
        LogEntry(
            epoch: Epoch(rawValue: epoch), lsn: lsn, key: key, mutation: mutation,
            hlc: HybridTimestamp(wallMilliseconds: clock.wallMilliseconds + lsn, counter: counter))
    }

    @Test(arguments: Kind.allCases)
    func emptyStoreHoldsNothing(kind: Kind) throws {
        let subject = try Subject(kind)
        #expect(try subject.store.loadMetadata() == nil)
        #expect(try subject.store.loadLogs().isEmpty)
        #expect(try subject.store.items(partition: 0, partitionKey: "a", rangeKey: nil).isEmpty)
    }

    @Test(arguments: Kind.allCases)
    func metadataRoundTripsWithLocksAndEpochs(kind: Kind) throws {
        let subject = try Subject(kind)
        let leader = NodeID(0xfeed_0000_0000_0001)
        let metadata = NodeMetadata(
            nodeID: NodeID(0xabcd_ef01_2345_6789), incarnation: 4, slot: 2,
            config: ClusterConfig(name: "store-test", size: 4, partitionCount: 64, replicationFactor: 3, version: 3),
            epochs: [3: Epoch(rawValue: 5 << 10 | 2), 60: Epoch(rawValue: 9 << 10)],
            lockedPartitions: [
                3: LockEntry(epoch: Epoch(rawValue: 5 << 10 | 2), leader: NodeID(0xabcd_ef01_2345_6789)),
                7: LockEntry(
                    epoch: Epoch(rawValue: 6 << 10 | 1), leader: leader,
                    position: LogPosition(epoch: Epoch(rawValue: 1 << 10), lsn: 42),
                    leaseGrants: [LeaseGrant(node: leader, remainingMilliseconds: 800)]),
            ],
            leading: [11: Epoch(rawValue: 2 << 10 | 2)])
        try subject.store.saveMetadata(metadata)
        var updated = metadata
        updated.incarnation = 5
        updated.lockedPartitions[3] = nil
        try subject.store.saveMetadata(updated)
        #expect(try subject.reopen().loadMetadata() == updated)
    }

    @Test(arguments: Kind.allCases)
    func entriesAppendAndUpdateItemsTogether(kind: Kind) throws {
        let subject = try Subject(kind)
        let plain = ItemKey(partitionKey: "user")
        let ranged = ItemKey(partitionKey: "user", rangeKey: "profile")
        try subject.store.replaceEntries(
            partition: 5, after: 0,
            with: [Self.entry(1, plain, .put("one")), Self.entry(2, ranged, .put("two"), counter: 65_000)])
        try subject.store.replaceEntries(partition: 5, after: 2, with: [Self.entry(3, plain, .put("three"))])

        let store = try subject.reopen()
        let log = try #require(try store.loadLogs()[5])
        #expect(log.entries.map(\.lsn) == [1, 2, 3])
        #expect(
            log.entries[1].hlc == HybridTimestamp(wallMilliseconds: Self.clock.wallMilliseconds + 2, counter: 65_000))
        let items = try store.items(partition: 5, partitionKey: "user", rangeKey: nil)
        #expect(items.map(\.value) == ["three", "two"])
        #expect(items.map(\.key) == [plain, ranged])
        #expect(items[0].lsn == 3 && items[0].epoch == Epoch(rawValue: 1 << 10))
        #expect(try store.items(partition: 5, partitionKey: "user", rangeKey: "profile").map(\.value) == ["two"])
        #expect(items == log.items(partitionKey: "user", rangeKey: nil))
    }

    @Test(arguments: Kind.allCases)
    func keysComeBackExactly(kind: Kind) throws {
        let subject = try Subject(kind)
        // The seed joined keys with "_" and split them wrongly; none of these may collide.
        let keys = [
            ItemKey(partitionKey: "a_b", rangeKey: "c"), ItemKey(partitionKey: "a", rangeKey: "b_c"),
            ItemKey(partitionKey: "a_b_c"), ItemKey(partitionKey: "a", rangeKey: ""),
            ItemKey(partitionKey: "nul\u{0}inside", rangeKey: "tab\tand/slash"),
            ItemKey(partitionKey: "ключ", rangeKey: "🔑"),
        ]
        let entries = keys.enumerated().map { offset, key in
            Self.entry(LSN(offset + 1), key, .put("value of \(key.partitionKey)|\(key.rangeKey ?? "-")"))
        }
        try subject.store.replaceEntries(partition: 1, after: 0, with: entries)
        let store = try subject.reopen()
        #expect(try store.loadLogs()[1]?.entries == entries)
        for key in keys {
            let found = try store.items(partition: 1, partitionKey: key.partitionKey, rangeKey: key.rangeKey)
            #expect(found.map(\.key) == [key])
        }
        #expect(try store.items(partition: 1, partitionKey: "a", rangeKey: nil).map(\.key.rangeKey) == ["", "b_c"])
    }

    @Test(arguments: Kind.allCases)
    func deletesRemoveOneItemOrAllUnderAPartitionKey(kind: Kind) throws {
        let subject = try Subject(kind)
        let keys = ["x", "y", "z"].map { ItemKey(partitionKey: "cart", rangeKey: $0) }
        try subject.store.replaceEntries(
            partition: 2, after: 0,
            with: keys.enumerated().map { Self.entry(LSN($0.offset + 1), $0.element, .put($0.element.rangeKey!)) }
                + [Self.entry(4, ItemKey(partitionKey: "other"), .put("stays"))])
        try subject.store.replaceEntries(partition: 2, after: 4, with: [Self.entry(5, keys[1], .delete)])
        #expect(try subject.store.items(partition: 2, partitionKey: "cart", rangeKey: nil).map(\.value) == ["x", "z"])
        try subject.store.replaceEntries(
            partition: 2, after: 5,
            with: [Self.entry(6, ItemKey(partitionKey: "cart", rangeKey: "ignored"), .deleteAll)])
        let store = try subject.reopen()
        #expect(try store.items(partition: 2, partitionKey: "cart", rangeKey: nil).isEmpty)
        #expect(try store.items(partition: 2, partitionKey: "other", rangeKey: nil).map(\.value) == ["stays"])
        #expect(try store.loadLogs()[2]?.entries.count == 6)
    }

    @Test(arguments: Kind.allCases)
    func replacingASuffixRebuildsTheItems(kind: Kind) throws {
        let subject = try Subject(kind)
        let key = ItemKey(partitionKey: "k")
        let old = Epoch(rawValue: 1 << 10).rawValue
        let new = Epoch(rawValue: 2 << 10 | 1).rawValue
        try subject.store.replaceEntries(
            partition: 9, after: 0,
            with: [
                Self.entry(1, epoch: old, key, .put("kept")), Self.entry(2, epoch: old, key, .delete),
                Self.entry(3, epoch: old, ItemKey(partitionKey: "gone"), .put("deposed tail")),
            ])
        // A new leader's log meets a deposed leader's unacknowledged tail at LSN 1.
        try subject.store.replaceEntries(
            partition: 9, after: 1, with: [Self.entry(2, epoch: new, ItemKey(partitionKey: "new"), .put("fresh"))])
        let store = try subject.reopen()
        let log = try #require(try store.loadLogs()[9])
        #expect(
            log.entries.map(\.position) == [
                LogPosition(epoch: Epoch(rawValue: old), lsn: 1), LogPosition(epoch: Epoch(rawValue: new), lsn: 2),
            ])
        #expect(try store.items(partition: 9, partitionKey: "k", rangeKey: nil).map(\.value) == ["kept"])
        #expect(try store.items(partition: 9, partitionKey: "gone", rangeKey: nil).isEmpty)
        #expect(try store.items(partition: 9, partitionKey: "new", rangeKey: nil).map(\.value) == ["fresh"])
    }

    @Test(arguments: Kind.allCases)
    func aDiscontinuousWriteIsRefusedAndTheWholeCommitUndone(kind: Kind) throws {
        let subject = try Subject(kind)
        let key = ItemKey(partitionKey: "k")
        try subject.store.replaceEntries(partition: 0, after: 0, with: [Self.entry(1, key, .put("one"))])
        let metadata = NodeMetadata(nodeID: NodeID(1), incarnation: 9)
        #expect(throws: StoreError.discontinuous(partition: 0, after: 3, last: 2)) {
            try subject.store.commit([
                .metadata(metadata),
                .log(partition: 0, .entries(after: 1, [Self.entry(2, key, .put("two"))])),
                .log(partition: 0, .entries(after: 3, [Self.entry(4, key, .put("four"))])),
            ])
        }
        #expect(throws: StoreError.self) {
            try subject.store.replaceEntries(partition: 0, after: 1, with: [Self.entry(3, key, .put("gap"))])
        }
        let store = try subject.reopen()
        #expect(try store.loadMetadata() == nil)
        #expect(try store.loadLogs()[0]?.entries.map(\.lsn) == [1])
        #expect(try store.items(partition: 0, partitionKey: "k", rangeKey: nil).map(\.value) == ["one"])
    }

    @Test(arguments: Kind.allCases)
    func compactionKeepsTheItemsAndASuffixReplacedAfterItRebuildsFromTheBase(kind: Kind) throws {
        let subject = try Subject(kind)
        let (a, b, c) = (
            ItemKey(partitionKey: "a"), ItemKey(partitionKey: "b", rangeKey: "r"), ItemKey(partitionKey: "c")
        )
        let old = Epoch(rawValue: 1 << 10).rawValue
        let new = Epoch(rawValue: 2 << 10).rawValue
        let entries = [
            Self.entry(1, epoch: old, a, .put("a1")), Self.entry(2, epoch: old, b, .put("b1")),
            Self.entry(3, epoch: old, a, .delete), Self.entry(4, epoch: old, c, .put("c1")),
            Self.entry(5, epoch: old, b, .put("b2")), Self.entry(6, epoch: old, c, .put("deposed")),
        ]
        try subject.store.replaceEntries(partition: 4, after: 0, with: entries)
        let base = entries[3].position
        try subject.store.commit([.log(partition: 4, .compaction(through: base))])
        // A compaction cannot run past the end, nor fold what is folded already.
        #expect(throws: StoreError.self) {
            try subject.store.commit([.log(partition: 4, .compaction(through: LogPosition(epoch: .zero, lsn: 9)))])
        }
        #expect(throws: StoreError.self) {
            try subject.store.commit([.log(partition: 4, .compaction(through: entries[1].position))])
        }
        // Entries cannot replace what was folded, except by starting over.
        #expect(throws: StoreError.self) { try subject.store.replaceEntries(partition: 4, after: 2, with: []) }
        // A new leader's log meets the tail at LSN 5: the items come from the base plus entry 5.
        try subject.store.replaceEntries(
            partition: 4, after: 5, with: [Self.entry(6, epoch: new, ItemKey(partitionKey: "d"), .put("d1"))])
        let store = try subject.reopen()
        let log = try #require(try store.loadLogs()[4])
        #expect(log.base == base)
        #expect(log.entries.map(\.lsn) == [5, 6])
        #expect(log.allItems.map(\.value) == ["b2", "c1", "d1"])
        #expect(log.allBaseItems.map(\.value) == ["b1", "c1"])
        #expect(try store.items(partition: 4, partitionKey: "c", rangeKey: nil).map(\.value) == ["c1"])
        #expect(try store.items(partition: 4, partitionKey: "b", rangeKey: "r").map(\.value) == ["b2"])
        #expect(try store.items(partition: 4, partitionKey: "a", rangeKey: nil).isEmpty)
    }

    @Test(arguments: Kind.allCases)
    func aSnapshotReplacesTheWholePartitionAndLaterEntriesFollowIt(kind: Kind) throws {
        let subject = try Subject(kind)
        let epoch = Epoch(rawValue: 3 << 10)
        try subject.store.replaceEntries(
            partition: 2, after: 0,
            with: [
                Self.entry(1, ItemKey(partitionKey: "stale"), .put("x")),
                Self.entry(2, ItemKey(partitionKey: "y"), .put("y")),
            ])
        let items = [
            Item(key: ItemKey(partitionKey: "p", rangeKey: "1"), value: "one", epoch: epoch, lsn: 40, hlc: Self.clock),
            Item(key: ItemKey(partitionKey: "q"), value: "two", epoch: epoch, lsn: 41, hlc: Self.clock),
        ]
        let position = LogPosition(epoch: epoch, lsn: 41)
        try subject.store.commit([.log(partition: 2, .snapshot(PartitionSnapshot(position: position, items: items)))])
        try subject.store.replaceEntries(
            partition: 2, after: 41, with: [Self.entry(42, epoch: epoch.rawValue, ItemKey(partitionKey: "q"), .delete)])
        let store = try subject.reopen()
        let log = try #require(try store.loadLogs()[2])
        #expect(log.base == position)
        #expect(log.last.lsn == 42)
        #expect(log.allItems == [items[0]])
        #expect(try store.items(partition: 2, partitionKey: "stale", rangeKey: nil).isEmpty)
        #expect(try store.items(partition: 2, partitionKey: "p", rangeKey: "1") == [items[0]])
        // Starting over from the start drops the snapshot too.
        try store.replaceEntries(partition: 2, after: 0, with: [Self.entry(1, ItemKey(partitionKey: "z"), .put("z"))])
        let restarted = try #require(try subject.reopen().loadLogs()[2])
        #expect(restarted.base == .start)
        #expect(restarted.allItems.map(\.value) == ["z"])
        #expect(try subject.store.items(partition: 2, partitionKey: "p", rangeKey: "1").isEmpty)
    }

    @Test(arguments: Kind.allCases)
    func aClosedStoreRefusesCalls(kind: Kind) throws {
        let subject = try Subject(kind)
        subject.store.close()
        #expect(throws: StoreError.closed) { try subject.store.loadLogs() }
    }
}
