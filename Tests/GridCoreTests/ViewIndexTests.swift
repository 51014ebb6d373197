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
        for partition in 0..<core.config.partitionCount {
            let holders = core.records.values.filter { $0.lockedPartitions[partition] != nil }
            let expected = LockHolders(all: holders.count, live: holders.filter(\.isLive).count)
            if core.lockHolders[partition, default: LockHolders()] != expected {
                return
                    "\(core.id) partition \(partition): lock holders \(core.lockHolders[partition] as Any), not \(expected)"
            }
            let ownLock = core.me.lockedPartitions[partition].flatMap { $0.leader == core.id ? $0 : nil }
            let acknowledging = ownLock.map { lock in
                Set(
                    core.records.values.filter { record in
                        record.id != core.id && record.lockedPartitions[partition]?.isSameLock(as: lock) == true
                    }.map(\.id))
            }
            if core.acknowledgedBy[partition] != acknowledging {
                return "\(core.id) partition \(partition): acknowledged by \(core.acknowledgedBy[partition] as Any), "
                    + "not \(acknowledging as Any)"
            }
            // Once a step is over, every acknowledgment an assigned live node gave has its time.
            if let acknowledging, let progress = core.handshakes[partition],
                let unnoted = acknowledging.first(where: {
                    core.isAssignedLive($0) && progress.acknowledgedAt[$0] == nil
                })
            {
                return "\(core.id) partition \(partition): the acknowledgment of \(unnoted) has no time"
            }
        }
        let assigned = core.records.values.filter { $0.isLive && $0.slot >= 0 && $0.state != .joining }
        if core.assignedLiveNodes != assigned.map(\.id).sorted() {
            return "\(core.id) assigned live nodes \(core.assignedLiveNodes), not \(assigned.map(\.id).sorted())"
        }
        return nil
    }

    @Test func indexesFollowTheViewThroughAJoinCrashesRestartsAndAResize() throws {
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
        // An acknowledger crashes while the partitions move back: views keep a silent lock.
        var acknowledger: NodeID?
        #expect(
            cluster.run(until: { cluster in
                acknowledger =
                    cluster.live.first { core in
                        core.id != victim && core.me.lockedPartitions.values.contains { $0.leader != core.id }
                    }?.id
                return acknowledger != nil
            }))
        let silent = try #require(acknowledger)
        cluster.crash(silent)
        #expect(cluster.run(until: { $0.live.allSatisfy { $0.records[silent]?.isLive == false } }))
        cluster.start(id: silent.rawValue, metadata: try #require(cluster.durable[silent]))
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
