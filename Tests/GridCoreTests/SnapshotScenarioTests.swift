import GridCore
import Testing

/// Compacted logs: a node that needs entries its peers have folded away catches up from a
/// snapshot sent in chunks, and ends with exactly the leader's items.
@Suite struct SnapshotScenarioTests {
    /// One partition owned by all three nodes, logs compacted beyond four entries, chunks
    /// of a few items each.
    static func settledCluster() -> TestCluster {
        var settings = NodeSettings()
        settings.logRetention = 4
        settings.snapshotChunkBytes = 100
        let cluster = TestCluster(size: 3, partitions: 1, replication: 3, settings: settings)
        for id in 1...3 as ClosedRange<UInt64> { cluster.start(id: id) }
        #expect(cluster.run(until: { $0.isSettled }))
        return cluster
    }

    /// Writes `count` distinct keys through the partition's leader, one at a time, each
    /// retried as a client would until it is acknowledged.
    static func write(_ count: Int, prefix: String, in cluster: TestCluster) {
        for index in 0..<count {
            let key = ItemKey(partitionKey: "\(prefix)\(index)")
            let acknowledged = cluster.run(until: { cluster in
                guard let leader = cluster.leader(of: 0) else { return false }
                let request = cluster.submit(.write(key: key, mutation: .put("v\(index)")), at: leader)
                cluster.run(until: { $0.responses[request] != nil })
                if case .written = cluster.responses[request] { return true }
                return false
            })
            #expect(acknowledged, "\(key) was never acknowledged")
        }
    }

    static func items(_ node: NodeID, in cluster: TestCluster) -> [Item] {
        cluster.nodes[node]?.logs[0]?.allItems ?? []
    }

    @Test func aReplicaCutOffWhileTheLogWasCompactedCatchesUpFromASnapshot() throws {
        let cluster = Self.settledCluster()
        let leader = try #require(cluster.leader(of: 0))
        let replica = try #require(cluster.order.first { $0 != leader })
        for other in cluster.order where other != replica {
            cluster.cut.formUnion([[other, replica], [replica, other]])
        }
        Self.write(24, prefix: "k", in: cluster)
        let compacted = try #require(cluster.nodes[leader]?.logs[0])
        #expect(compacted.base.lsn > 0, "the leader compacted its log")
        #expect(compacted.entries.count < 8)
        #expect(Self.items(replica, in: cluster).count < 24)

        cluster.cut = []
        let caughtUp = cluster.run(until: { cluster in
            cluster.isSettled && Self.items(replica, in: cluster) == Self.items(leader, in: cluster)
        })
        #expect(caughtUp)
        #expect(Self.items(replica, in: cluster).count == 24)
        let toReplica = cluster.snapshotChunks.filter { $0.items.count < $0.total }
        #expect(toReplica.count >= 2, "the snapshot took more than one chunk")
        #expect(cluster.nodes[replica]?.logs[0]?.base.lsn ?? 0 > 0, "the replica holds the snapshot as its base")
    }

    @Test func aRestartedNodeWithAnEmptyDiskSyncsFromASnapshot() throws {
        let cluster = Self.settledCluster()
        Self.write(6, prefix: "before", in: cluster)
        let leader = try #require(cluster.leader(of: 0))
        let restarted = try #require(cluster.order.first { $0 != leader })
        let metadata = cluster.durable[restarted]
        cluster.crash(restarted)
        Self.write(20, prefix: "after", in: cluster)
        #expect(cluster.nodes[leader]?.logs[0]?.base.lsn ?? 0 > 0)

        // Its metadata survives (it comes back as itself and must sync) but not its log.
        cluster.snapshotChunks = []
        cluster.start(id: restarted.rawValue, metadata: metadata)
        let synced = cluster.run(until: { cluster in
            cluster.isSettled && Self.items(restarted, in: cluster) == Self.items(leader, in: cluster)
        })
        #expect(synced)
        #expect(Self.items(restarted, in: cluster).count == 26)
        #expect(cluster.snapshotChunks.contains { $0.purpose == .sync || $0.purpose == .replication })
        Self.write(3, prefix: "later", in: cluster)
        #expect(cluster.run(until: { Self.items(restarted, in: $0).count == 29 }))
    }
}
