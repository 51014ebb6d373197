import GridCore
import Testing

@Suite struct GossipReplyTests {
    static let config = ClusterConfig(name: "test", size: 1_000, partitionCount: 64, replicationFactor: 3)
    static let wall: UInt64 = 1_700_000_000_000

    /// A node whose view holds a thousand records with long (DNS-style) addresses: together
    /// about three times what one datagram can carry.
    static func crowdedNode() -> NodeCore {
        var core = NodeCore(
            id: NodeID(1), config: config, seeds: [], gossipAddress: "node-1:7946", httpAddress: "node-1:8080",
            settings: NodeSettings(), metadata: nil, durable: false, now: .zero, wall: wall)
        let host = "gossipgrid.example-namespace.svc.cluster.local"
        let others = (2...1_000).map { raw in
            SimpleNode(
                id: NodeID(UInt64(raw)), slot: raw - 1, gossipAddress: "node-\(raw).\(host):7946",
                httpAddress: "node-\(raw).\(host):8080", state: .joined)
        }
        let relay = GossipReply(
            config: config, sender: others[0], records: Array(others.dropFirst()), echo: .zero, echoIncarnation: 0)
        _ = core.receive(.gossipReply(relay), from: others[0].id, now: .zero, wall: wall)
        return core
    }

    static func reply(of core: inout NodeCore, to gossip: Gossip) -> GossipReply? {
        let effects = core.receive(.gossip(gossip), from: gossip.sender.id, now: .zero, wall: wall)
        for case .send(.gossipReply(let reply), .node(gossip.sender.id)) in effects { return reply }
        return nil
    }

    @Test func aNewcomerGetsTheWholeViewInDatagramsThatFit() throws {
        var core = Self.crowdedNode()
        #expect(core.records.count == 1_000)
        let newcomer = SimpleNode(id: NodeID(5_000), slot: -1, gossipAddress: "node-5000:7946", state: .joining)
        var known = [newcomer.id: newcomer.version]
        var rounds = 0
        while rounds < 10 {
            let digest = known.map { RecordDigest(id: $0.key, version: $0.value) }.sorted { $0.id < $1.id }
            let gossip = Gossip(config: Self.config, sender: newcomer, digest: digest, probe: .zero)
            let reply = try #require(Self.reply(of: &core, to: gossip))
            #expect(WireCodec.encode(.gossipReply(reply)).count <= WireCodec.maximumDatagramBytes)
            known[reply.sender.id] = reply.sender.version
            guard !reply.records.isEmpty else { break }
            for record in reply.records {
                #expect(known[record.id] == nil, "records the newcomer lacks come before anything else")
                known[record.id] = record.version
            }
            rounds += 1
        }
        #expect(known.count == 1_001, "every record arrives (and the newcomer's own)")
        #expect(rounds == 3, "the view is about 150 kB: three datagrams")
    }

    @Test func aLeaseProbeIsEchoedWithoutRecords() throws {
        var core = Self.crowdedNode()
        let leader = SimpleNode(id: NodeID(2), slot: 1, gossipAddress: "node-2:7946", state: .joined)
        let probe = Gossip(config: Self.config, sender: leader, digest: nil, probe: Instant(milliseconds: 1_234))
        let reply = try #require(Self.reply(of: &core, to: probe))
        #expect(reply.records.isEmpty, "a probe asks for the echo alone")
        #expect(reply.echo == Instant(milliseconds: 1_234))
        #expect(reply.sender.id == core.id)
        let full = Gossip(config: Self.config, sender: leader, digest: [], probe: .zero)
        #expect(try #require(Self.reply(of: &core, to: full)).records.count > 100, "an empty digest still asks for all")
    }

    /// In nine slots a leader needs four echoes besides its own: three go with the fanout's
    /// full gossip, and one more is asked for by a probe alone.
    @Test func aLeaderProbesAMajorityButSendsItsDigestOnlyToTheFanout() throws {
        let cluster = TestCluster(size: 9, partitions: 9)
        for id in 1...9 as ClosedRange<UInt64> { cluster.start(id: id) }
        #expect(cluster.run(until: { $0.isSettled }))
        let leader = try #require(cluster.live.first { !$0.me.leading.isEmpty }).id
        // A copy ticks until its next gossip round.
        var core = try #require(cluster.nodes[leader])
        var random = TestRandom(seed: 11)
        var full: Set<NodeID> = []
        var probed: Set<NodeID> = []
        for step in 1...Int64(20) where full.isEmpty {
            let effects = core.tick(
                now: cluster.now + 50 * step, wall: cluster.wall + 50 * UInt64(step), random: &random)
            for case .send(.gossip(let gossip), .node(let peer)) in effects {
                if gossip.digest == nil { probed.insert(peer) } else { full.insert(peer) }
            }
        }
        #expect(full.count == NodeSettings().gossipFanout)
        #expect(probed.count == cluster.config.slotMajority - 1 - full.count)
        #expect(full.isDisjoint(with: probed))
        #expect(cluster.run(until: { $0.leader(of: 0) != nil }), "the probes' echoes keep the lease")
    }
}
