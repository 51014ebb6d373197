import Foundation
import GridCore
import Testing

extension LiveNodes {
    /// What an operator does to running `gossipgrid node` processes beyond the handshake
    /// scenarios: bring back a node whose peers compacted what it missed, run a cluster
    /// with a secret and leader-only acknowledgment, delete items, stop a node with SIGTERM.
    @Suite("gossipgrid node operations")
    struct ProcessOperationsTests {
        typealias Scenarios = ProcessScenarioTests

        static func settle(_ nodes: [NodeProcess], size: Int) async throws {
            let settled = await eventually(timeout: .seconds(90), interval: .milliseconds(100)) {
                await Scenarios.settled(nodes, size: size)
            }
            await Scenarios.expect(settled, "the cluster never settled", nodes)
            try #require(settled)
        }

        static func metric(_ name: String, _ labels: String, on node: NodeProcess) async throws -> Double {
            let metrics = try await HTTPTestClient.get("\(node.baseURL)/metrics")
            return MetricsText.value(name, labels, in: metrics.body)
        }

        /// Writes until acknowledged, as a client would: a 503 was not applied and a 504 may
        /// have been, so writing the same value again is safe either way. After a node has
        /// gone, its partitions answer 504 until the others call it disconnected.
        static func writeUntilAcknowledged(
            _ key: String, _ value: String, via node: NodeProcess
        ) async throws
            -> HTTPReply
        {
            var reply: HTTPReply?
            _ = await eventually(timeout: .seconds(60), interval: .milliseconds(100)) {
                reply = try? await Scenarios.write(key, value, via: node)
                return reply?.status == 200
            }
            return try #require(reply)
        }

        static func read(_ key: String, via node: NodeProcess) async throws -> HTTPReply {
            try await HTTPTestClient.get("\(node.baseURL)/items/\(key)")
        }

        static func messages(_ reply: HTTPReply) -> [String] {
            (reply.json["items"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        }

        @Test func aNamedNodeBackAfterItsPeersCompactedCatchesUpBySnapshotAndServesEverything() async throws {
            try await withProcessCluster("snapshot") { cluster in
                let partitions = 4
                let flags = ["--log-retention", "3"]
                let first = try await cluster.start(named: true, partitions: partitions, arguments: flags)
                var nodes = [first]
                for _ in 1..<3 {
                    nodes.append(
                        try await cluster.start(seed: first, named: true, partitions: partitions, arguments: flags))
                }
                try await Self.settle(nodes, size: 3)
                let absent = nodes[2]
                cluster.kill(absent)
                let survivors = Array(nodes[0..<2])

                // Ten writes a partition: each log compacts to its last three entries, far
                // behind where the absent node's log ends.
                var written: [String: String] = [:]
                for index in 0..<(partitions * 10) {
                    let key = "key-\(index)"
                    let reply = try await Self.writeUntilAcknowledged(key, "value \(index)", via: survivors[index % 2])
                    #expect(reply.status == 200, "\(reply.body)")
                    if reply.status == 200 { written[key] = "value \(index)" }
                }

                let restarted = try await cluster.restart(absent, seed: first, partitions: partitions)
                let everyone = survivors + [restarted]
                try await Self.settle(everyone, size: 3)
                let installed = try await Self.metric(
                    "gossipgrid_events_total", #"kind="snapshotInstalled""#, on: restarted)
                #expect(installed >= 1, "the restarted node caught up without a snapshot")

                // It leads its slot's partitions again and serves them from what it installed.
                let status = try await restarted.status()
                let led = Set(status.partitions.filter { $0.leader == restarted.id }.map(\.id))
                #expect(!led.isEmpty)
                var served = 0
                for (key, value) in written {
                    let reply = try await Self.read(key, via: restarted)
                    #expect(reply.status == 200, "\(reply.body)")
                    #expect(Self.messages(reply) == [value], "\(key): \(reply.body)")
                    if reply.json["node"] as? String == restarted.id { served += 1 }
                }
                #expect(served > 0, "no read was served by the restarted node itself")
            }
        }

        @Test func aClusterWithASecretAndLeaderAcknowledgmentWritesDeletesAndStopsOnSIGTERM() async throws {
            try await withProcessCluster("secret") { cluster in
                let flags = ["--secret", "s3cret", "--ack", "leader"]
                let first = try await cluster.start(arguments: flags)
                var nodes = [first]
                for _ in 1..<3 { nodes.append(try await cluster.start(seed: first, arguments: flags)) }
                try await Self.settle(nodes, size: 3)

                // Writes answer at once on the leader; deletes remove one item or a whole key.
                for (partition, key) in Scenarios.keys.prefix(4) {
                    let reply = try await Scenarios.write(key, "v\(partition)", via: nodes[partition % 3])
                    #expect(reply.status == 200, "\(reply.body)")
                }
                let (_, key) = try #require(Scenarios.keys.first)
                let other = try await HTTPTestClient.post(
                    "\(nodes[1].baseURL)/items", #"{"partition_key":"\#(key)","range_key":"s","message":"kept"}"#)
                #expect(other.status == 200, "\(other.body)")
                let deleted = try await HTTPTestClient.send(.DELETE, "\(nodes[2].baseURL)/items/\(key)/r")
                #expect(deleted.status == 200, "\(deleted.body)")
                #expect(deleted.json["lsn"] != nil && deleted.json["epoch"] != nil, "\(deleted.body)")
                #expect(Self.messages(try await Self.read(key, via: nodes[0])) == ["kept"])
                let all = try await HTTPTestClient.send(.DELETE, "\(nodes[0].baseURL)/items/\(key)")
                #expect(all.status == 200, "\(all.body)")
                #expect(Self.messages(try await Self.read(key, via: nodes[1])).isEmpty)

                // A node with the wrong secret is not let in, and its packets are counted.
                let intruder = try await cluster.start(
                    seed: first, arguments: ["--secret", "wrong", "--ack", "leader"])
                let counted = await eventually(timeout: .seconds(30), interval: .milliseconds(100)) {
                    (try? await Self.metric("gossipgrid_dropped_packets_total", #"reason="forged""#, on: first)) ?? 0
                        > 0
                }
                #expect(counted, "the seed never counted the intruder's forged packets")
                let members = try await first.status().nodes.map(\.id)
                #expect(!members.contains(intruder.id))
                cluster.kill(intruder)

                // SIGTERM stops a node cleanly; the other two still serve its partitions.
                let exit = await cluster.terminate(nodes[2], timeout: .seconds(60))
                #expect(exit == 0, "SIGTERM ended the node with \(String(describing: exit))")
                for (partition, key) in Scenarios.keys.dropFirst().prefix(3) {
                    let reply = try await Self.writeUntilAcknowledged(key, "after \(partition)", via: nodes[0])
                    #expect(reply.status == 200, "\(reply.body)")
                    #expect(Self.messages(try await Self.read(key, via: nodes[1])) == ["after \(partition)"])
                }
            }
        }
    }
}
