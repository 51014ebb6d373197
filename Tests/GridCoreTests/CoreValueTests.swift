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

    @Test func refusedWithTheSeedMessageWhileAnyNodeIsLocked() {
        let locked = SimpleNode(
            id: NodeID(2), slot: 1, state: .joined,
            lockedPartitions: [3: LockEntry(epoch: Epoch(rawValue: 1 << 10), leader: NodeID(2))])
        let result = Resize.validate(size: 4, expectedVersion: nil, config: Self.config, view: [locked])
        #expect(
            result
                == .failure(
                    .resizeRejected(
                        code: "handshake_in_progress",
                        reason: "Cannot resize: partition leadership handshake in progress")))
    }

    @Test func succeedsWithANewVersionWhenNoNodeIsLocked() {
        let quiet = SimpleNode(id: NodeID(2), slot: 1, state: .joined)
        let result = Resize.validate(size: 5, expectedVersion: 1, config: Self.config, view: [quiet])
        #expect((try? result.get())?.version == 2)
        #expect((try? result.get())?.size == 5)
    }

    @Test func refusesSizesBelowTheReplicationFactor() {
        guard case .failure(.invalid) = Resize.validate(size: 2, expectedVersion: nil, config: Self.config, view: [])
        else {
            Issue.record("size below replication must be invalid")
            return
        }
    }
}
