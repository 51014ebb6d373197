import GridCore
import Testing

@Suite struct HybridLogicalClockTests {
    @Test func ticksForwardEvenWhenWallTimeStands() {
        let start = HybridTimestamp(wallMilliseconds: 100, counter: 0)
        #expect(start.ticked(wall: 100) == HybridTimestamp(wallMilliseconds: 100, counter: 1))
        #expect(start.ticked(wall: 90) > start)
        #expect(start.ticked(wall: 150) == HybridTimestamp(wallMilliseconds: 150, counter: 0))
    }

    @Test func mergeExceedsBothSides() {
        let local = HybridTimestamp(wallMilliseconds: 100, counter: 3)
        let remote = HybridTimestamp(wallMilliseconds: 200, counter: 7)
        let merged = local.merged(with: remote, wall: 50)
        #expect(merged > local && merged > remote)
        #expect(local.merged(with: local, wall: 0) > local)
    }
}

@Suite struct EpochTests {
    @Test func epochsOfDifferentSlotsNeverCollide() {
        let highest = Epoch(rawValue: 3 << 10 | 5)
        let a = Epoch.next(after: highest, slot: 1)
        let b = Epoch.next(after: highest, slot: 2)
        #expect(a != b && a > highest && b > highest && a.round == b.round)
        #expect(a.slot == 1 && b.slot == 2)
    }
}

@Suite struct PartitionLogTests {
    static func entry(_ epoch: UInt64, _ lsn: LSN, _ key: String, _ value: String) -> LogEntry {
        LogEntry(
            epoch: Epoch(rawValue: epoch), lsn: lsn, key: ItemKey(partitionKey: key), mutation: .put(value), hlc: .zero)
    }

    @Test func appendMaterializesAndDeletes() {
        var log = PartitionLog()
        log.append(Self.entry(1, 1, "a", "1"))
        log.append(
            LogEntry(
                epoch: Epoch(rawValue: 1), lsn: 2, key: ItemKey(partitionKey: "a", rangeKey: "x"), mutation: .put("2"),
                hlc: .zero))
        #expect(log.items(partitionKey: "a", rangeKey: nil).count == 2)
        log.append(
            LogEntry(
                epoch: Epoch(rawValue: 1), lsn: 3, key: ItemKey(partitionKey: "a"), mutation: .deleteAll, hlc: .zero))
        #expect(log.items(partitionKey: "a", rangeKey: nil).isEmpty)
        #expect(log.last == LogPosition(epoch: Epoch(rawValue: 1), lsn: 3))
    }

    @Test func conflictingSuffixIsReplacedAndRetryPointSkipsTheEpochRun() {
        var log = PartitionLog(entries: [
            Self.entry(1, 1, "a", "1"), Self.entry(2, 2, "b", "2"), Self.entry(2, 3, "c", "3"),
        ])
        #expect(log.retryPoint(forMissing: LogPosition(epoch: Epoch(rawValue: 3), lsn: 3)) == 1)
        #expect(log.retryPoint(forMissing: LogPosition(epoch: Epoch(rawValue: 3), lsn: 9)) == 3)
        let beyondTheEnd = log.replace(after: 5, with: [])
        #expect(!beyondTheEnd)
        let replaced = log.replace(after: 1, with: [Self.entry(3, 2, "d", "4")])
        #expect(replaced)
        #expect(log.last == LogPosition(epoch: Epoch(rawValue: 3), lsn: 2))
        #expect(log.items(partitionKey: "b", rangeKey: nil).isEmpty)
        #expect(log.items(partitionKey: "d", rangeKey: nil).map(\.value) == ["4"])
    }
}

@Suite struct ResizeValidationTests {
    static let config = ClusterConfig(name: "c", size: 3, partitionCount: 8, replicationFactor: 3)
    /// The seed's refusal, word for word.
    static let handshakeInProgress = Result<ClusterConfig, ClientFailure>.failure(
        .resizeRejected(
            code: "handshake_in_progress", reason: "Cannot resize: partition leadership handshake in progress"))

    @Test func refusedWithTheSeedMessageWhileAnyNodeIsLocked() {
        let locked = SimpleNode(
            id: NodeID(2), slot: 1, state: .joined,
            lockedPartitions: [3: LockEntry(epoch: Epoch(rawValue: 1 << 10), leader: NodeID(2))])
        let result = Resize.validate(
            size: 4, expectedVersion: nil, config: Self.config, view: [locked], leadershipHasSettled: true)
        #expect(result == Self.handshakeInProgress)
    }

    @Test func succeedsWithANewVersionWhenNoNodeIsLocked() {
        let quiet = SimpleNode(id: NodeID(2), slot: 1, state: .joined)
        let result = Resize.validate(
            size: 5, expectedVersion: 1, config: Self.config, view: [quiet], leadershipHasSettled: true)
        #expect((try? result.get())?.version == 2)
        #expect((try? result.get())?.size == 5)
    }

    @Test func refusedWhileLeadershipHasYetToMoveThoughNoNodeIsLocked() {
        let quiet = SimpleNode(id: NodeID(2), slot: 1, state: .joined)
        let result = Resize.validate(
            size: 4, expectedVersion: nil, config: Self.config, view: [quiet], leadershipHasSettled: false)
        #expect(result == Self.handshakeInProgress)
    }

    @Test func refusesSizesBelowTheReplicationFactor() {
        guard
            case .failure(.invalid) = Resize.validate(
                size: 2, expectedVersion: nil, config: Self.config, view: [], leadershipHasSettled: true)
        else {
            Issue.record("size below replication must be invalid")
            return
        }
    }
}

@Suite struct PartitionLogCompactionTests {
    static func entry(_ epoch: UInt64, _ lsn: LSN, _ key: String, _ mutation: Mutation) -> LogEntry {
        LogEntry(
            epoch: Epoch(rawValue: epoch), lsn: lsn, key: ItemKey(partitionKey: key), mutation: mutation, hlc: .zero)
    }

    static let log = PartitionLog(entries: [
        entry(1, 1, "a", .put("a1")), entry(1, 2, "b", .put("b1")), entry(1, 3, "a", .delete),
        entry(2, 4, "c", .put("c1")), entry(2, 5, "b", .put("b2")), entry(2, 6, "d", .put("d1")),
    ])

    @Test func compactionKeepsTheItemsAndPositions() {
        var log = Self.log
        #expect(log.compactionDue(retention: 4) == nil)
        #expect(log.compactionDue(retention: 3) == LogPosition(epoch: Epoch(rawValue: 1), lsn: 3))
        let compacted = log.compact(through: LogPosition(epoch: Epoch(rawValue: 1), lsn: 3))
        #expect(compacted)
        #expect(log.allItems == Self.log.allItems)
        #expect(log.last == Self.log.last)
        #expect(log.entries.map(\.lsn) == [4, 5, 6])
        #expect(log.allBaseItems.map(\.value) == ["b1"])
        #expect(log.entry(at: 3) == nil)
        #expect(log.contains(LogPosition(epoch: Epoch(rawValue: 1), lsn: 3)))
        #expect(!log.contains(LogPosition(epoch: Epoch(rawValue: 1), lsn: 2)), "folded positions cannot be checked")
        #expect(log.entries(after: 2, limit: 10).isEmpty)
        #expect(log.entries(after: 3, limit: 10).map(\.lsn) == [4, 5, 6])
        let folded = log.compact(through: LogPosition(epoch: Epoch(rawValue: 1), lsn: 2))
        #expect(!folded, "already folded")
        let wrongEpoch = log.compact(through: LogPosition(epoch: Epoch(rawValue: 1), lsn: 5))
        #expect(!wrongEpoch)
    }

    @Test func aSuffixReplacedAfterTheBaseRebuildsFromTheBaseItems() {
        var log = Self.log
        log.compact(through: LogPosition(epoch: Epoch(rawValue: 1), lsn: 3))
        #expect(log.retryPoint(forMissing: LogPosition(epoch: Epoch(rawValue: 3), lsn: 6)) == 3)
        #expect(log.retryPoint(forMissing: LogPosition(epoch: Epoch(rawValue: 3), lsn: 2)) == 0)
        let intoTheBase = log.replace(after: 2, with: [])
        #expect(!intoTheBase)
        let replaced = log.replace(after: 4, with: [Self.entry(3, 5, "e", .put("e1"))])
        #expect(replaced)
        #expect(log.allItems.map(\.value) == ["b1", "c1", "e1"])
        let startedOver = log.replace(after: 0, with: [Self.entry(4, 1, "z", .put("z1"))])
        #expect(startedOver)
        #expect(log.base == .start)
        #expect(log.allItems.map(\.value) == ["z1"])
    }

    @Test func aSnapshotReplacesEverything() {
        var log = Self.log
        let position = LogPosition(epoch: Epoch(rawValue: 9), lsn: 40)
        let items = Self.log.allItems
        let installed = log.apply(.snapshot(PartitionSnapshot(position: position, items: items)))
        #expect(installed)
        #expect(log.last == position)
        #expect(log.base == position)
        #expect(log.entries.isEmpty)
        #expect(log.allItems == items)
        #expect(log.position(at: 40) == position)
        #expect(log.position(at: 12) == .start)
    }
}
