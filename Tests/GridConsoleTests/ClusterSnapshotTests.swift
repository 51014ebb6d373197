import GridConsole
import GridCore
import Testing

@Suite("Cluster snapshot")
struct ClusterSnapshotTests {
    @Test("each node's row comes from its own record; items only from its own status")
    func ownRecordsWin() throws {
        var snapshot = Fixtures.handshakeSnapshot()
        var stale = try #require(snapshot.statuses[Fixtures.n0])
        stale.nodes[2].lockedPartitions = []
        stale.nodes[2].heartbeat = 999
        snapshot.statuses[Fixtures.n0] = stale
        let merged = snapshot.mergedNodes
        #expect(merged.map(\.record.id) == Fixtures.ids)
        #expect(merged[2].record.lockedPartitions == [3, 7, 8, 9])
        #expect(merged.map(\.items) == [120, 95, 0])
        #expect(merged.allSatisfy { $0.reachable })
    }

    @Test("a node that did not answer keeps the freshest record its peers relay")
    func unreachableNode() {
        var snapshot = Fixtures.handshakeSnapshot()
        snapshot.statuses[Fixtures.n1] = nil
        snapshot.unreachable = [Fixtures.n1]
        var view = snapshot.statuses[Fixtures.n0]!
        view.nodes[1].state = "disconnected"
        snapshot.statuses[Fixtures.n0] = view
        let node = snapshot.mergedNodes[1]
        #expect(node.record.state == "disconnected")
        #expect(node.items == nil)
        #expect(!node.reachable)
    }

    @Test("handshakes merge per partition, the new leader's own report winning")
    func handshakes() {
        var snapshot = Fixtures.handshakeSnapshot()
        var leaderView = snapshot.statuses[Fixtures.n2]!
        leaderView.handshakes[0].acknowledged = 2
        leaderView.handshakes[0].waitingFor = []
        snapshot.statuses[Fixtures.n2] = leaderView
        var observer = snapshot.statuses[Fixtures.n0]!
        observer.handshakes.append(
            ClusterStatus.Handshake(
                partition: 12, epoch: 5000, newLeader: Fixtures.n0, previousLeader: nil, ageMilliseconds: 10,
                waitingFor: [], acknowledged: 0, required: 2))
        snapshot.statuses[Fixtures.n0] = observer
        let handshakes = snapshot.handshakes
        #expect(handshakes.map(\.partition) == [3, 7, 8, 9, 12])
        #expect(handshakes[0].acknowledged == 2)
        #expect(snapshot.mergedPartitions[12].locked)
    }

    @Test("the primary view is the one on the newest config")
    func primaryView() {
        var snapshot = Fixtures.handshakeSnapshot()
        var newer = snapshot.statuses[Fixtures.n1]!
        newer.cluster.configVersion = 3
        newer.cluster.size = 4
        snapshot.statuses[Fixtures.n1] = newer
        #expect(snapshot.primary?.node.id == Fixtures.n1)
        #expect(snapshot.laggingViews == [Fixtures.n0, Fixtures.n2])
        #expect(ClusterView(snapshot).cluster?.size == 4)
        #expect(ClusterSnapshot.empty.primary == nil)
        #expect(ClusterView(.empty).partitionCount == 0)
    }

    @Test("nodes are found by slot or a unique id prefix")
    func resolveNode() throws {
        let view = ClusterView(Fixtures.handshakeSnapshot())
        #expect(try view.resolveNode("1").get().record.id == Fixtures.n1)
        #expect(try view.resolveNode("E5E5").get().record.id == Fixtures.n2)
        #expect(throws: NodeReferenceError.unknown("ff")) { try view.resolveNode("ff").get() }
        #expect(throws: NodeReferenceError.empty) { try view.resolveNode("").get() }
    }
}
