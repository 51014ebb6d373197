import Testing

@testable import GridCore

/// The specification's scenarios, each walked on real NodeCores over an in-memory network.
@Suite struct HandshakeScenarioTests {
    /// Three nodes in a four-slot cluster, settled, acknowledgments held back so the
    /// handshake that a fourth node starts can be watched.
    static func settledCluster(acknowledgmentDelay: Int64 = 0, size: Int = 4, partitions: Int = 16) -> TestCluster {
        let cluster = TestCluster(size: size, partitions: partitions)
        for id in 1...UInt64(size - 1) { cluster.start(id: id) }
        #expect(cluster.run(until: { $0.isSettled }))
        cluster.settings.acknowledgmentDelay = acknowledgmentDelay
        for id in cluster.order { cluster.nodes[id]!.setAcknowledgmentDelay(acknowledgmentDelay) }
        return cluster
    }

    static func partitions(lockedBy id: NodeID, in cluster: TestCluster) -> [PartitionID] {
        cluster.nodes[id]?.me.lockedPartitions.filter { $0.value.leader == id }.keys.sorted() ?? []
    }

    @Test func newNodeJoinsAndLocksPartitions() {
        let cluster = Self.settledCluster(acknowledgmentDelay: 400)
        let newcomer = cluster.start(id: 4)
        #expect(cluster.run(until: { !Self.partitions(lockedBy: newcomer, in: $0).isEmpty }))
        let node = cluster.nodes[newcomer]!
        let locked = Self.partitions(lockedBy: newcomer, in: cluster)
        #expect(Set(locked).isSubset(of: node.placement.partitions(ledBy: node.me.slot)))
        #expect(node.me.hlc > HybridTimestamp(wallMilliseconds: 0, counter: 0))
        #expect(locked.allSatisfy { node.routingFacts(for: .write, partition: $0, forwarded: false).lockedLocally })
        #expect(cluster.run(until: { $0.isSettled }))
        #expect(locked.allSatisfy { cluster.nodes[newcomer]!.me.leading[$0] != nil })
        #expect(cluster.live.allSatisfy { $0.me.lockedPartitions.isEmpty })
    }

    @Test func previousLeaderAcknowledgesLock() throws {
        let cluster = Self.settledCluster(acknowledgmentDelay: 300)
        let before = Dictionary(
            uniqueKeysWithValues: (0..<cluster.config.partitionCount).compactMap { p in
                cluster.leader(of: p).map { (p, $0) }
            })
        let newcomer = cluster.start(id: 4)
        #expect(cluster.run(until: { !Self.partitions(lockedBy: newcomer, in: $0).isEmpty }))
        let partition = try #require(Self.partitions(lockedBy: newcomer, in: cluster).first)
        let previous = try #require(before[partition])
        #expect(cluster.run(until: { $0.nodes[previous]?.me.lockedPartitions[partition]?.leader == newcomer }))
        let old = cluster.nodes[previous]!
        let entry = try #require(old.me.lockedPartitions[partition])
        #expect(old.me.leading[partition] == nil)
        #expect(entry.position == (old.logs[partition]?.last ?? .start))
        #expect(!old.acceptsWrites(to: partition, at: cluster.now))
        // It no longer leads anything at a lower epoch, yet every status still names it as the
        // node the partition comes from: an operator needs it to kill the old leader.
        for node in cluster.live {
            let move = node.status().handshakes.first { $0.partition == partition }
            #expect(move?.previousLeader == previous.description, "\(node.id)")
        }
    }

    @Test func newLeaderCrashedMidHandshakeOldLeaderRegains() throws {
        let cluster = Self.settledCluster(acknowledgmentDelay: 60_000)
        let before = Dictionary(
            uniqueKeysWithValues: (0..<cluster.config.partitionCount).compactMap { p in
                cluster.leader(of: p).map { (p, (node: $0, epoch: cluster.nodes[$0]!.me.leading[p]!)) }
            })
        let newcomer = cluster.start(id: 4)
        #expect(cluster.run(until: { !Self.partitions(lockedBy: newcomer, in: $0).isEmpty }))
        let partition = try #require(Self.partitions(lockedBy: newcomer, in: cluster).first)
        let lockEpoch = cluster.nodes[newcomer]!.me.lockedPartitions[partition]!.epoch
        // The old leader acknowledges (and stops writing); the others hold back, so the
        // new leader is still waiting when it dies.
        let old = try #require(before[partition]).node
        cluster.nodes[old]!.setAcknowledgmentDelay(0)
        #expect(cluster.run(until: { $0.nodes[old]!.me.lockedPartitions[partition]?.leader == newcomer }))
        #expect(cluster.nodes[old]!.me.leading[partition] == nil)
        cluster.crash(newcomer)
        for id in cluster.order where cluster.nodes[id] != nil { cluster.nodes[id]!.setAcknowledgmentDelay(0) }
        #expect(cluster.run(until: { $0.isSettled }))
        let regained = try #require(before[partition])
        #expect(cluster.leader(of: partition) == regained.node)
        let epoch = try #require(cluster.nodes[regained.node]!.me.leading[partition])
        #expect(epoch > lockEpoch && epoch > regained.epoch)
    }

    /// Slots are taken in start order, so the slots of a five-slot cluster are known in
    /// advance: find a partition that the late node in slot 4 wins, whose leader without
    /// slots 4 and `gone` is a third slot rather than the original leader.
    static func thirdNodeCase() -> (partition: PartitionID, original: Slot, third: Slot, gone: Slot)? {
        let config = ClusterConfig(name: "test", size: 5, partitionCount: 64, replicationFactor: 3)
        let before = Placement(config: config, eligibleSlots: [0, 1, 2, 3])
        let during = Placement(config: config, eligibleSlots: [0, 1, 2, 3, 4])
        for partition in 0..<64 where during.leader(of: partition) == 4 {
            guard let original = before.leader(of: partition) else { continue }
            for gone in [0, 1, 2, 3] where gone != original {
                let after = Placement(config: config, eligibleSlots: Set([0, 1, 2, 3]).subtracting([gone]))
                let owners = after.owners(of: partition).filter { $0 != 4 && $0 != gone }
                if let third = after.leader(of: partition), third != original, owners.count >= 2 {
                    return (partition, original, third, gone)
                }
            }
        }
        return nil
    }

    @Test func newLeaderCrashedMidHandshakeThirdNodeTakesOver() throws {
        let scenario = try #require(Self.thirdNodeCase())
        let cluster = Self.settledCluster(acknowledgmentDelay: 60_000, size: 5, partitions: 64)
        // settledCluster started four nodes in slots 0...3; a fifth takes slot 4.
        let bySlot = Dictionary(uniqueKeysWithValues: cluster.live.map { ($0.me.slot, $0.id) })
        let original = try #require(bySlot[scenario.original])
        let third = try #require(bySlot[scenario.third])
        #expect(cluster.leader(of: scenario.partition) == original)
        let newcomer = cluster.start(id: 5)
        #expect(cluster.run(until: { Self.partitions(lockedBy: newcomer, in: $0).contains(scenario.partition) }))
        cluster.crash(newcomer)
        cluster.crash(bySlot[scenario.gone]!)
        for id in cluster.order where cluster.nodes[id] != nil { cluster.nodes[id]!.setAcknowledgmentDelay(0) }
        // Partitions that lost two of their three owners stay locked (no majority); this
        // one must open under the third node.
        #expect(
            cluster.run(until: { cluster in
                cluster.leader(of: scenario.partition) == third
                    && cluster.live.allSatisfy { $0.me.lockedPartitions[scenario.partition] == nil }
            }))
        #expect(
            cluster.events.contains {
                $0.kind == .acknowledged && $0.node == original && $0.partition == scenario.partition
                    && $0.peer == third
            })
    }

    @Test func allNodesConvergeToSameLeadershipView() {
        let cluster = TestCluster(size: 5, partitions: 64)
        for id in 1...5 as ClosedRange<UInt64> { cluster.start(id: id) }
        #expect(cluster.run(until: { $0.isSettled }))
        let maps = Set(cluster.live.map(cluster.leaderMap))
        #expect(maps.count == 1)
        let leaders = maps.first!.compactMap { $0 }
        #expect(leaders.count == 64)
    }

    @Test func resizeRejectedWhenLocksExist() {
        let cluster = Self.settledCluster(acknowledgmentDelay: 2_000)
        let newcomer = cluster.start(id: 4)
        #expect(cluster.run(until: { !Self.partitions(lockedBy: newcomer, in: $0).isEmpty }))
        let coordinator = cluster.order[0]
        #expect(cluster.run(until: { !$0.nodes[coordinator]!.isQuiet }))
        let request = cluster.submit(.resize(size: 5, expectedVersion: nil), at: coordinator)
        cluster.step()
        #expect(
            cluster.responses[request]
                == .failed(
                    .resizeRejected(code: "handshake_in_progress", reason: ClientFailure.handshakeInProgressMessage)))
        #expect(cluster.live.allSatisfy { $0.config.size == 4 })
    }

    /// A second resize right behind the first, before any node has locked for it, would
    /// leave the next handshakes a joint quorum over owners of a config that never held data.
    @Test func resizeRefusedUntilThePreviousOneHasMovedLeadership() throws {
        let cluster = Self.settledCluster()
        let leaving = cluster.start(id: 4)
        #expect(cluster.run(until: { $0.isSettled && $0.live.count == 4 }))
        let coordinator = cluster.order[0]
        let shrink = cluster.submit(.resize(size: 3, expectedVersion: 1), at: coordinator)
        guard case .resized = try #require(cluster.responses[shrink]) else {
            Issue.record("the first resize failed: \(String(describing: cluster.responses[shrink]))")
            return
        }
        // Slot 3's node still leads what the shrink gave to others.
        #expect(!cluster.nodes[leaving]!.me.leading.isEmpty)
        #expect(!cluster.nodes[coordinator]!.leadershipHasSettled)
        let regrow = cluster.submit(.resize(size: 4, expectedVersion: 2), at: coordinator)
        #expect(
            cluster.responses[regrow]
                == .failed(
                    .resizeRejected(code: "handshake_in_progress", reason: ClientFailure.handshakeInProgressMessage)))
        // Every view has everyone on the new config, and every partition is open under its new leader.
        #expect(
            cluster.run(until: { cluster in
                let leaders = cluster.leaderMap(cluster.live[0])
                return cluster.live.allSatisfy { core in
                    core.isQuiet && core.records.values.allSatisfy { !$0.isLive || $0.configVersion == 2 }
                }
                    && leaders.indices.allSatisfy { partition in
                        leaders[partition].flatMap { cluster.nodes[$0] }?.me.leading[partition] != nil
                    }
            }))
        #expect(cluster.nodes[leaving]!.me.leading.isEmpty)
        #expect(cluster.nodes[coordinator]!.leadershipHasSettled)
        let later = cluster.submit(.resize(size: 4, expectedVersion: 2), at: coordinator)
        #expect(cluster.run(until: { $0.responses[later] != nil }))
        guard case .resized(let config) = try #require(cluster.responses[later]) else {
            Issue.record("a resize once leadership moved failed: \(String(describing: cluster.responses[later]))")
            return
        }
        #expect(config.size == 4 && config.version == 3)
    }

    @Test func resizeSucceedsWhenNoLocksExist() throws {
        let cluster = Self.settledCluster()
        let request = cluster.submit(.resize(size: 5, expectedVersion: 1), at: cluster.order[2])
        #expect(cluster.run(until: { $0.responses[request] != nil }))
        guard case .resized(let config) = try #require(cluster.responses[request]) else {
            Issue.record("resize failed: \(String(describing: cluster.responses[request]))")
            return
        }
        #expect(config.size == 5 && config.version == 2 && config.previousSize == 4)
        #expect(cluster.run(until: { $0.live.allSatisfy { $0.config.version == 2 } }))
        let stale = cluster.submit(.resize(size: 6, expectedVersion: 1), at: cluster.order[0])
        #expect(cluster.run(until: { $0.responses[stale] != nil }))
        if case .failed(.resizeRejected(let code, _)) = cluster.responses[stale] {
            #expect(code == "version_conflict")
        } else {
            Issue.record("a stale expected version must be refused")
        }
    }

    @Test func readsIgnoreTheLock() throws {
        let cluster = Self.settledCluster(acknowledgmentDelay: 5_000)
        // A key in a partition the newcomer will win, written before it joins.
        let config = cluster.config
        let future = Placement(config: config, eligibleSlots: [0, 1, 2, 3])
        let key = try #require(
            (0..<2_000).map { "user-\($0)" }.first { future.leader(of: future.partition(forKey: $0)) == 3 })
        let partition = future.partition(forKey: key)
        let write = cluster.submit(
            .write(key: ItemKey(partitionKey: key), mutation: .put("hello")), at: cluster.order[0])
        #expect(cluster.run(until: { $0.responses[write] != nil }))
        guard case .written = cluster.responses[write] else {
            Issue.record("write before the handshake failed: \(String(describing: cluster.responses[write]))")
            return
        }
        let newcomer = cluster.start(id: 4)
        #expect(cluster.run(until: { Self.partitions(lockedBy: newcomer, in: $0).contains(partition) }))
        #expect(cluster.run(until: { $0.live.allSatisfy { $0.records[newcomer]?.lockedPartitions[partition] != nil } }))
        for id in cluster.order where id != newcomer {
            let read = cluster.submit(.read(partitionKey: key, rangeKey: nil), at: id)
            #expect(cluster.run(for: 1_000, until: { $0.responses[read] != nil }))
            guard case .read(let result) = cluster.responses[read] else {
                Issue.record("read during the handshake failed: \(String(describing: cluster.responses[read]))")
                continue
            }
            #expect(result.items.map(\.value) == ["hello"])
            let blocked = cluster.submit(.write(key: ItemKey(partitionKey: key), mutation: .put("x")), at: id)
            #expect(cluster.run(for: 1_000, until: { $0.responses[blocked] != nil }))
            #expect(
                cluster.responses[blocked]
                    == .failed(.locked(partition: partition, retryAfterMilliseconds: 5_400)))
        }
    }

    @Test func restartedNamedNodeResumesItsHandshake() throws {
        let cluster = Self.settledCluster(acknowledgmentDelay: 1_000)
        let newcomer = cluster.start(id: 4)
        #expect(cluster.run(until: { !Self.partitions(lockedBy: newcomer, in: $0).isEmpty }))
        let locked = Self.partitions(lockedBy: newcomer, in: cluster)
        let metadata = try #require(cluster.durable[newcomer])
        #expect(metadata.lockedPartitions.filter { $0.value.leader == newcomer }.keys.sorted() == locked)
        cluster.crash(newcomer)
        cluster.start(id: 4, metadata: metadata)
        let restarted = cluster.nodes[newcomer]!
        #expect(restarted.me.incarnation == metadata.incarnation + 1)
        #expect(Self.partitions(lockedBy: newcomer, in: cluster) == locked)
        #expect(cluster.run(until: { $0.isSettled }))
        #expect(locked.allSatisfy { cluster.leader(of: $0) == newcomer })
    }

    @Test func ephemeralNodeStartsWithNoLocks() {
        let node = NodeCore(
            id: NodeID(9), config: ClusterConfig(name: "test", size: 3, partitionCount: 8, replicationFactor: 3),
            seeds: ["node-1"], gossipAddress: "node-9", httpAddress: "", settings: NodeSettings(), metadata: nil,
            durable: false, now: .zero, wall: 0)
        #expect(node.me.lockedPartitions.isEmpty && node.me.leading.isEmpty)
        #expect(node.me.state == .joining)
    }

    @Test func silentNodeIsDisconnectedAndRefutesWhenHeardAgain() throws {
        let cluster = Self.settledCluster()
        let isolated = cluster.order[1]
        for other in cluster.order where other != isolated {
            cluster.cut.formUnion([[isolated, other], [other, isolated]])
        }
        let observer = cluster.order[0]
        #expect(cluster.run(until: { $0.nodes[observer]!.records[isolated]?.state == .disconnected }))
        let incarnation = cluster.nodes[isolated]!.me.incarnation
        cluster.cut = []
        #expect(cluster.run(until: { $0.nodes[isolated]!.me.incarnation > incarnation }))
        #expect(cluster.run(until: { $0.isSettled }))
        #expect(cluster.events.contains { $0.kind == .refuted && $0.node == isolated })
    }
}
