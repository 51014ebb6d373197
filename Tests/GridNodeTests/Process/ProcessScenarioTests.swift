import Foundation
import GridCore
import Testing

extension LiveNodes {
    /// The issue's scenarios on real `gossipgrid node` processes: started, killed with
    /// SIGKILL and restarted like an operator would, observed only over HTTP. Every
    /// scenario with a handshake also runs a continuous writer and checks its answers.
    @Suite("gossipgrid node processes")
    struct ProcessScenarioTests {
        static let partitions = 16
        /// Long enough that a handshake is still open after a process was killed or started.
        static let slowMotion = 60_000

        /// One partition key per partition.
        static let keys = keysByPartition(partitions)

        /// Every node answers and agrees: `size` joined, every partition led, open and
        /// unlocked, no handshakes, and the same leader everywhere. (A dead node's record keeps
        /// the locks it last had; only live ones count.)
        static func settled(_ nodes: [NodeProcess], size: Int) async -> Bool {
            var leaders: Set<[String]> = []
            for node in nodes {
                guard let status = await node.statusIfUp(),
                    status.nodes.filter({ $0.state == "joined" }).count == size,
                    status.handshakes.isEmpty,
                    status.nodes.allSatisfy({ $0.state == "disconnected" || $0.lockedPartitions.isEmpty }),
                    status.partitions.allSatisfy({ $0.leader != nil && $0.phase == "open" && !$0.locked })
                else { return false }
                leaders.insert(status.partitions.map { $0.leader ?? "" })
            }
            return leaders.count == 1
        }

        /// Starts a cluster of three and waits for it to settle.
        static func three(_ cluster: ProcessCluster, named: Bool = false) async throws -> [NodeProcess] {
            let first = try await cluster.start(named: named, partitions: partitions)
            var nodes = [first]
            for _ in 1..<3 { nodes.append(try await cluster.start(seed: first, named: named, partitions: partitions)) }
            let formed = await eventually(timeout: .seconds(90), interval: .milliseconds(100)) {
                await settled(nodes, size: 3)
            }
            await Self.expect(formed, "three nodes never settled", nodes)
            try #require(formed)
            return nodes
        }

        /// Fails the test unless `held`, with every node's view in the message.
        static func expect(_ held: Bool, _ what: String, _ nodes: [NodeProcess]) async {
            if !held { Issue.record("\(what):\n\(await views(nodes))") }
        }

        /// Each node's view in a line, for a failed expectation's message.
        static func views(_ nodes: [NodeProcess]) async -> String {
            var lines: [String] = []
            for node in nodes {
                guard let status = await node.statusIfUp() else {
                    lines.append("\(node.id): no answer")
                    continue
                }
                let members = status.nodes.map {
                    "\($0.id.prefix(6))/\($0.slot)/\($0.state)/locks\($0.lockedPartitions)"
                }
                let unopened = status.partitions.filter { $0.phase != "open" }.map { "p\($0.id):\($0.phase)" }
                lines.append(
                    "\(node.id.prefix(6)) sees \(members.joined(separator: " ")); "
                        + "handshakes \(status.handshakes.count); not open \(unopened)")
            }
            return lines.joined(separator: "\n")
        }

        static func write(_ key: String, _ value: String, via node: NodeProcess) async throws -> HTTPReply {
            try await HTTPTestClient.post(
                "\(node.baseURL)/items", #"{"partition_key":"\#(key)","range_key":"r","message":"\#(value)"}"#)
        }

        /// Writes through `node` until the answer is not a refusal (503: definitely not applied).
        static func writeWhenOpen(_ key: String, _ value: String, via node: NodeProcess) async throws -> HTTPReply {
            var reply: HTTPReply?
            _ = await eventually(timeout: .seconds(60), interval: .milliseconds(100)) {
                reply = try? await write(key, value, via: node)
                return reply != nil && reply?.status != 503
            }
            return try #require(reply)
        }

        /// How many partitions `node` opened without a dead leader's acknowledgment.
        static func forcedUnlocks(on node: NodeProcess) async throws -> Double {
            let metrics = try await HTTPTestClient.get("\(node.baseURL)/metrics")
            return MetricsText.value("gossipgrid_forced_unlocks_total", in: metrics.body)
        }

        static func resize(_ size: Int, via node: NodeProcess) async throws -> HTTPReply {
            try await HTTPTestClient.post(
                "\(node.baseURL)/cluster/resize", #"{"size":\#(size)}"#, headers: ProcessCluster.tokenHeader)
        }

        /// Grows three nodes to four in slow motion and returns the newcomer with the first
        /// handshake it started, as `observer` sees it.
        static func growInSlowMotion(
            _ cluster: ProcessCluster, _ nodes: [NodeProcess], named: Bool = false,
            where accept: (ClusterStatus.Handshake) -> Bool = { _ in true }
        ) async throws -> (newcomer: NodeProcess, handshake: ClusterStatus.Handshake) {
            for node in nodes { try await node.setAcknowledgmentDelay(slowMotion) }
            let resized = try await resize(4, via: nodes[0])
            #expect(resized.status == 200, "\(resized.body)")
            let newcomer = try await cluster.start(
                seed: nodes[0], named: named, partitions: partitions, acknowledgmentDelay: slowMotion)
            var handshake: ClusterStatus.Handshake?
            let locking = await eventually(timeout: .seconds(60), interval: .milliseconds(50)) {
                handshake = await nodes[0].statusIfUp()?.handshakes.first {
                    $0.newLeader == newcomer.id && accept($0)
                }
                return handshake != nil
            }
            await Self.expect(locking, "the newcomer never started a handshake", nodes + [newcomer])
            return (newcomer, try #require(handshake))
        }

        // 1.
        @Test func threeProcessesFormAClusterServeEverywhereAndAgreeOnLeaders() async throws {
            try await withProcessCluster("form") { cluster in
                let nodes = try await Self.three(cluster)
                for (partition, key) in Self.keys {
                    let writer = nodes[partition % 3]
                    let written = try await Self.write(key, "value \(partition)", via: writer)
                    #expect(written.status == 200, "\(written.body)")
                    #expect(written.json["partition"] as? Int == partition)
                    for field in ["epoch", "lsn", "node"] { #expect(written.json[field] != nil) }
                    let reader = nodes[(partition + 1) % 3]
                    let read = try await HTTPTestClient.get("\(reader.baseURL)/items/\(key)/r")
                    #expect(read.status == 200)
                    #expect(
                        (read.json["items"] as? [[String: Any]])?.first?["message"] as? String == "value \(partition)")
                    #expect(read.json["node"] != nil && read.json["epoch"] != nil)
                }
                let statuses = try await nodes.asyncMap { try await $0.status() }
                #expect(Set(statuses.map { $0.partitions.map(\.leader) }).count == 1)
                #expect(Set(statuses.map(\.node.id)) == Set(nodes.map(\.id)))
            }
        }

        // 2 and 6.
        @Test func aResizeLocksWhatTheNewcomerWinsRefusesWritesAndSecondResizesThenOpens() async throws {
            try await withProcessCluster("resize") { cluster in
                let nodes = try await Self.three(cluster)
                for (partition, key) in Self.keys {
                    let written = try await Self.write(key, "before \(partition)", via: nodes[partition % 3])
                    #expect(written.status == 200, "\(written.body)")
                }
                let writer = ContinuousWriter(through: nodes)
                writer.start()
                let (newcomer, handshake) = try await Self.growInSlowMotion(cluster, nodes)
                let key = try #require(Self.keys[handshake.partition])

                let refused = try await Self.write(key, "during", via: nodes[1])
                #expect(refused.status == 503, "\(refused.body)")
                #expect(refused.json["code"] as? String == "partition_locked")
                #expect(refused.json["partition"] as? Int == handshake.partition)
                #expect(refused.json["retry_after_ms"] as? Int != nil)
                #expect(refused.headers.first(name: "Retry-After") != nil)
                let read = try await HTTPTestClient.get("\(nodes[2].baseURL)/items/\(key)/r")
                #expect(read.status == 200, "\(read.body)")
                let items = read.json["items"] as? [[String: Any]]
                #expect(items?.first?["message"] as? String == "before \(handshake.partition)", "\(read.body)")
                let second = try await Self.resize(5, via: nodes[0])
                #expect(second.status == 409)
                #expect(second.json["code"] as? String == "handshake_in_progress")
                #expect(second.json["error"] as? String == "Cannot resize: partition leadership handshake in progress")

                let everyone = nodes + [newcomer]
                writer.write(through: everyone)
                for node in everyone { try await node.setAcknowledgmentDelay(0) }
                let opened = await eventually(timeout: .seconds(90), interval: .milliseconds(100)) {
                    await Self.settled(everyone, size: 4)
                }
                await Self.expect(opened, "the grown cluster never settled", everyone)
                let after = try await Self.writeWhenOpen(key, "after", via: nodes[1])
                #expect(after.status == 200, "\(after.body)")
                #expect(after.json["node"] as? String == newcomer.id)
                await writer.stopAndVerify(readers: everyone)
            }
        }

        // 3 and 6.
        @Test func theOldLeaderKilledMidHandshakeIsForcedOutAndTheNewLeaderServes() async throws {
            try await withProcessCluster("old-leader") { cluster in
                let nodes = try await Self.three(cluster)
                let writer = ContinuousWriter(through: nodes)
                writer.start()
                let (newcomer, handshake) = try await Self.growInSlowMotion(cluster, nodes) {
                    $0.previousLeader != nil
                }
                let victim = try #require(nodes.first { $0.id == handshake.previousLeader })
                let survivors = nodes.filter { $0.id != victim.id } + [newcomer]
                writer.write(through: survivors)
                cluster.kill(victim)
                for node in survivors { try await node.setAcknowledgmentDelay(0) }

                let key = try #require(Self.keys[handshake.partition])
                let served = await eventually(timeout: .seconds(90), interval: .milliseconds(100)) {
                    guard let status = await newcomer.statusIfUp() else { return false }
                    let partition = status.partitions[handshake.partition]
                    return partition.leader == newcomer.id && partition.phase == "open"
                        && status.nodes.first { $0.id == victim.id }?.state == "disconnected"
                }
                await Self.expect(served, "the newcomer never opened partition \(handshake.partition)", survivors)
                // It opened without the dead leader's acknowledgment: a forced unlock.
                #expect(try await Self.forcedUnlocks(on: newcomer) >= 1)
                let written = try await Self.writeWhenOpen(key, "after the kill", via: survivors[0])
                #expect(written.status == 200, "\(written.body)")
                #expect(written.json["node"] as? String == newcomer.id)
                #expect(UInt64(written.json["epoch"] as? Int ?? 0) >= handshake.epoch)
                await writer.stopAndVerify(readers: survivors)
            }
        }

        // 4 and 6.
        @Test func theNewLeaderKilledMidHandshakeLeavesThePartitionToASurvivor() async throws {
            try await withProcessCluster("new-leader") { cluster in
                let nodes = try await Self.three(cluster)
                let writer = ContinuousWriter(through: nodes)
                writer.start()
                let (newcomer, handshake) = try await Self.growInSlowMotion(cluster, nodes)
                cluster.kill(newcomer)
                for node in nodes { try await node.setAcknowledgmentDelay(0) }

                // The old leader regains the partition, or a third node takes it over with a
                // fresh handshake; either way a survivor leads it, open, and nothing stays locked.
                let survivorIDs = Set(nodes.map(\.id))
                let recovered = await eventually(timeout: .seconds(90), interval: .milliseconds(100)) {
                    var leaders: Set<String> = []
                    for node in nodes {
                        guard let status = await node.statusIfUp(), status.handshakes.isEmpty,
                            status.nodes.filter({ survivorIDs.contains($0.id) }).allSatisfy({
                                $0.state == "joined" && $0.lockedPartitions.isEmpty
                            })
                        else { return false }
                        let partition = status.partitions[handshake.partition]
                        guard let leader = partition.leader, partition.phase == "open" else { return false }
                        leaders.insert(leader)
                    }
                    return leaders.count == 1 && survivorIDs.isSuperset(of: leaders)
                }
                await Self.expect(recovered, "no survivor took partition \(handshake.partition) over", nodes)
                let key = try #require(Self.keys[handshake.partition])
                let written = try await Self.writeWhenOpen(key, "after", via: nodes[0])
                #expect(written.status == 200, "\(written.body)")
                #expect(survivorIDs.contains(written.json["node"] as? String ?? ""))
                await writer.stopAndVerify(readers: nodes)
            }
        }

        // 5 and 6.
        @Test func aNamedNodeRestartedMidHandshakeResumesIt() async throws {
            try await withProcessCluster("named") { cluster in
                let nodes = try await Self.three(cluster, named: true)
                let writer = ContinuousWriter(through: nodes)
                writer.start()
                let (newcomer, handshake) = try await Self.growInSlowMotion(cluster, nodes, named: true)
                cluster.kill(newcomer)
                let restarted = try await cluster.restart(
                    newcomer, seed: nodes[0], acknowledgmentDelay: Self.slowMotion)
                #expect(restarted.id == newcomer.id, "a named node keeps its identity")
                // Its first answer already has the slot it persisted (a new node would have none
                // until it took one): it comes back as the same member, to finish its handshakes.
                let first = try await restarted.status()
                let own = try #require(first.nodes.first { $0.id == restarted.id })
                #expect(own.slot == 3, "\(own)")

                // Its persisted epochs and locks bring it back to the same handshake, above the epoch it had.
                var resumed: ClusterStatus.Handshake?
                let locking = await eventually(timeout: .seconds(90), interval: .milliseconds(50)) {
                    resumed = await nodes[0].statusIfUp()?.handshakes.first {
                        $0.newLeader == restarted.id && $0.partition == handshake.partition
                    }
                    return resumed != nil
                }
                await Self.expect(locking, "the restarted node never resumed", nodes + [restarted])
                #expect((resumed?.epoch ?? 0) >= handshake.epoch)

                let everyone = nodes + [restarted]
                writer.write(through: everyone)
                for node in everyone { try await node.setAcknowledgmentDelay(0) }
                let opened = await eventually(timeout: .seconds(90), interval: .milliseconds(100)) {
                    await Self.settled(everyone, size: 4)
                }
                await Self.expect(opened, "the cluster never settled after the restart", everyone)
                await writer.stopAndVerify(readers: everyone)
            }
        }

        // 5.
        @Test func anEphemeralNodeRestartedMidHandshakeResumesNothing() async throws {
            try await withProcessCluster("ephemeral") { cluster in
                let nodes = try await Self.three(cluster)
                let (newcomer, handshake) = try await Self.growInSlowMotion(cluster, nodes)
                cluster.kill(newcomer)
                let restarted = try await cluster.restart(newcomer, seed: nodes[0])
                let first = try await restarted.status()
                #expect(restarted.id != newcomer.id, "an ephemeral node starts with a new identity")
                // It may already have joined and locked what its slot wins, but only in fresh
                // handshakes above the killed one's epoch; and while the others still hold
                // acknowledgments back, it can have opened nothing.
                let own = try #require(first.nodes.first { $0.id == restarted.id })
                #expect(own.leading.isEmpty)
                for move in first.handshakes
                where move.newLeader == restarted.id && move.partition == handshake.partition {
                    #expect(move.epoch > handshake.epoch, "\(move)")
                }

                for node in nodes { try await node.setAcknowledgmentDelay(0) }
                let everyone = nodes + [restarted]
                let opened = await eventually(timeout: .seconds(90), interval: .milliseconds(100)) {
                    await Self.settled(everyone, size: 4)
                }
                await Self.expect(opened, "the cluster never settled after the restart", everyone)
            }
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
