import Testing

@testable import GridCore

/// `NodeCore(formed:)` must be what a cold start settles to, and a cluster started that way
/// must run the protocol like any other.
@Suite struct FormedStartTests {
    /// A formed core for each of `members` (member i in slot i), on `cluster`'s config and clock.
    static func formed(_ members: [FormedMember], in cluster: TestCluster) -> [NodeCore] {
        members.map {
            NodeCore(
                formed: $0.id, members: members, config: cluster.config, seeds: [], settings: cluster.settings,
                durable: true, now: cluster.now, wall: cluster.wall)
        }
    }

    /// Formed copies of the nodes of `cluster`, each given the slot it holds there.
    static func formedCopies(of cluster: TestCluster) -> [NodeCore] {
        let members = cluster.live.sorted { $0.me.slot < $1.me.slot }.map {
            FormedMember(id: $0.id, gossipAddress: $0.me.gossipAddress, httpAddress: $0.me.httpAddress)
        }
        return formed(members, in: cluster)
    }

    /// A cluster of `size` nodes started formed, ids 1...size in slots 0..<size.
    static func formedCluster(size: Int, partitions: Int = 16) -> TestCluster {
        let cluster = TestCluster(size: size, partitions: partitions)
        let members = (1...UInt64(size)).map {
            FormedMember(id: NodeID($0), gossipAddress: "node-\($0)", httpAddress: "")
        }
        for (member, core) in zip(members, formed(members, in: cluster)) {
            cluster.nodes[member.id] = core
            cluster.order.append(member.id)
            cluster.addresses[member.gossipAddress] = member.id
        }
        return cluster
    }

    @Test func aFormedViewIsTheViewAColdStartSettlesTo() {
        let cluster = TestCluster(size: 5, partitions: 32)
        for id in 1...UInt64(5) { cluster.start(id: id) }
        #expect(cluster.run(until: { $0.isSettled }))
        for formed in Self.formedCopies(of: cluster) {
            let cold = cluster.nodes[formed.id]!
            #expect(formed.me.slot == cold.me.slot)
            #expect(formed.placement == cold.placement)
            #expect(cluster.leaderMap(formed) == cluster.leaderMap(cold))
            #expect(formed.isQuiet && formed.leadershipHasSettled && formed.ownSlotIsHeld)
            #expect(formed.records.count == cold.records.count)
            for (id, record) in cold.records {
                let copy = formed.records[id]
                #expect(copy?.state == record.state)
                #expect(copy?.slot == record.slot)
                #expect(copy.map { Set($0.leading.keys) } == Set(record.leading.keys))
            }
            #expect(Set(formed.epochs.keys) == Set(0..<cluster.config.partitionCount))
            #expect(formed.assignedLiveNodes == cold.assignedLiveNodes)
            #expect(formed.joinedSlots == cold.joinedSlots)
        }
    }

    @Test func aFormedClusterTakesWritesAndFailsOver() throws {
        let cluster = Self.formedCluster(size: 4)
        #expect(cluster.isSettled)
        let keys = PartitionHash.keysCoveringEveryPartition(partitionCount: cluster.config.partitionCount, prefix: "k")
        func written(_ partition: PartitionID, at node: NodeID) -> Bool {
            let request = cluster.submit(
                .write(key: ItemKey(partitionKey: keys[partition]), mutation: .put("v")), at: node)
            return cluster.run(for: 2_000) {
                if case .written = $0.responses[request] { return true }
                return false
            }
        }
        let leader = try #require(cluster.leaderMap(cluster.live[0])[3])
        let client = try #require(cluster.order.first { $0 != leader })
        #expect(cluster.run(until: { $0.leader(of: 3) == leader }), "the leader gets its lease by gossip")
        #expect(written(3, at: client))

        cluster.crash(leader)
        #expect(cluster.run(until: { $0.leader(of: 3).map { $0 != leader } ?? false }))
        #expect(written(3, at: client))
        #expect(cluster.live.allSatisfy { $0.records[leader]?.isLive == false })
    }
}
