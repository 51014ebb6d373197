import Testing

@testable import GridCore

/// NodeCore keeps indexes beside its view so a step need not walk every record; after
/// every input they must say exactly what walking the view would.
@Suite struct ViewIndexTests {
    /// What the indexes should hold, found the slow way; nil when they do.
    static func mismatch(in core: NodeCore) -> String? {
        for partition in 0..<core.config.partitionCount {
            var highest = core.epochs[partition] ?? .zero
            for record in core.records.values {
                if let lock = record.lockedPartitions[partition] { highest = max(highest, lock.epoch) }
                if let epoch = record.leading[partition] { highest = max(highest, epoch) }
            }
            if core.highestKnownEpoch(of: partition) != highest {
                return
                    "\(core.id) partition \(partition): \(core.highestKnownEpoch(of: partition)), not \(highest)"
            }
        }
        let leaders = core.records.values.filter { record in
            record.id != core.id && record.lockedPartitions.values.contains { $0.leader == record.id }
        }
        if core.lockingLeaders != Set(leaders.map(\.id)) {
            return "\(core.id) locking leaders \(core.lockingLeaders), not \(leaders.map(\.id))"
        }
        let assigned = core.records.values.filter { $0.isLive && $0.slot >= 0 && $0.state != .joining }
        if core.assignedLiveNodes != assigned.map(\.id).sorted() {
            return "\(core.id) assigned live nodes \(core.assignedLiveNodes), not \(assigned.map(\.id).sorted())"
        }
        return nil
    }

    @Test func indexesFollowTheViewThroughAJoinACrashARestartAndAResize() throws {
        let cluster = TestCluster(size: 4, partitions: 16)
        var inputs = 0
        var mismatches: [String] = []
        cluster.afterEveryInput = { core in
            inputs += 1
            if let mismatch = Self.mismatch(in: core) { mismatches.append(mismatch) }
        }
        for id in 1...3 { cluster.start(id: UInt64(id)) }
        #expect(cluster.run(until: { $0.isSettled }))
        cluster.start(id: 4)
        #expect(cluster.run(until: { $0.isSettled && $0.live.count == 4 }))

        let victim = try #require(cluster.leader(of: 0))
        cluster.crash(victim)
        #expect(cluster.run(until: { $0.isSettled }))
        let metadata = try #require(cluster.durable[victim])
        cluster.start(id: victim.rawValue, metadata: metadata)
        #expect(cluster.run(until: { $0.isSettled && $0.live.count == 4 }))

        let resize = cluster.submit(.resize(size: 3, expectedVersion: 1), at: cluster.order[0])
        #expect(cluster.run(until: { $0.responses[resize] != nil }))
        // The node whose slot went hands its partitions over and then leads nothing.
        #expect(
            cluster.run(until: { cluster in
                cluster.live.allSatisfy {
                    $0.config.version == 2 && $0.isQuiet && ($0.me.slot < 3 || $0.me.leading.isEmpty)
                }
            }))

        #expect(inputs > 1_000, "the scenario must have run")
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")
    }
}
