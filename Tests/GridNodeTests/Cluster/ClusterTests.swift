import Foundation
import GridCore
import Testing

@testable import GridNode

extension LiveNodes {
    /// Real nodes in this process on 127.0.0.1, talking over real UDP, TCP and HTTP.
    /// Serialized: two clusters at once on a loaded 2-core machine would only test the scheduler.
    @Suite("In-process cluster")
    struct ClusterTests {
        static func options(_ name: String) -> NodeOptions {
            var options = NodeOptions(cluster: name)
            options.partitions = 32
            options.token = "admin"
            return options
        }

        /// Every node agrees: all joined, every partition led and open, nothing locked, and
        /// the same leader for every partition.
        static func settled(_ hosts: [NodeHost], size: Int) async -> Bool {
            var leaders: [[String?]] = []
            for host in hosts {
                let status = await host.status()
                guard status.nodes.count >= size,
                    status.nodes.filter({ $0.state == "joined" }).count == size,
                    status.handshakes.isEmpty,
                    status.partitions.allSatisfy({ $0.leader != nil && $0.phase == "open" && !$0.locked }),
                    status.node.leaseValid
                else { return false }
                leaders.append(status.partitions.map(\.leader))
            }
            return Set(leaders.map { $0.map { $0 ?? "" } }).count == 1
        }

        /// Writes through `host`, retrying only refusals (503: definitely not applied).
        static func write(_ key: String, _ range: String, _ value: String, via host: NodeHost) async throws -> HTTPReply
        {
            var reply: HTTPReply?
            _ = try await eventually(timeout: .seconds(20), interval: .milliseconds(100)) {
                reply = try await HTTPTestClient.post(
                    "http://\(host.httpAddress)/items",
                    #"{"partition_key":"\#(key)","range_key":"\#(range)","message":"\#(value)"}"#)
                return reply?.status != 503
            }
            return try #require(reply)
        }

        @Test func threeNodesFormTakeWritesEverywhereAndAgreeOnLeaders() async throws {
            try await withCluster(Self.options("trio"), nodes: 3) { _, hosts in
                #expect(Set(hosts.map(\.id)).count == 3)
                #expect(await eventually { await Self.settled(hosts, size: 3) })

                var written: [(key: String, range: String, value: String, receipt: [String: Any])] = []
                for index in 0..<24 {
                    let host = hosts[index % hosts.count]
                    let key = "user-\(index)"
                    let reply = try await Self.write(key, "r\(index)", "value \(index)", via: host)
                    #expect(reply.status == 200, "write \(index) via \(host.id.short): \(reply.body)")
                    written.append((key, "r\(index)", "value \(index)", reply.json))
                }

                let status = await hosts[0].status()
                for item in written {
                    // The node that acknowledged leads the partition in everyone's view, unless
                    // leadership has moved since (a loaded machine can make a node look dead).
                    let partition = try #require(item.receipt["partition"] as? Int)
                    if UInt64(item.receipt["epoch"] as? Int ?? 0) == status.partitions[partition].epoch {
                        #expect(item.receipt["node"] as? String == status.partitions[partition].leader)
                    }
                    for host in hosts {
                        let reply = try await HTTPTestClient.get(
                            "http://\(host.httpAddress)/items/\(item.key)/\(item.range)")
                        #expect(reply.status == 200, "read \(item.key) via \(host.id.short): \(reply.body)")
                        let items = reply.json["items"] as? [[String: Any]] ?? []
                        #expect(items.first?["message"] as? String == item.value)
                        #expect(items.first?["lsn"] as? Int == item.receipt["lsn"] as? Int)
                    }
                }
                #expect(await Self.settled(hosts, size: 3))

                let topology = try await HTTPTestClient.get("http://\(hosts[1].httpAddress)/cluster/topology")
                #expect(topology.status == 200)
                #expect(try topology.decode(Topology.self).partitions.map(\.leader) == status.partitions.map(\.leader))
                let metrics = try await HTTPTestClient.get("http://\(hosts[0].httpAddress)/metrics")
                #expect(
                    MetricsText.value("gossipgrid_bytes_received_total", #"transport="gossip""#, in: metrics.body) > 0)
                #expect(MetricsText.value("gossipgrid_bytes_sent_total", #"transport="stream""#, in: metrics.body) > 0)
            }
        }

        @Test func aCrashedNodeRestartsWithItsIdentityAndData() async throws {
            try await withCluster(Self.options("phoenix"), nodes: 3) { cluster, hosts in
                #expect(await eventually { await Self.settled(hosts, size: 3) })
                for index in 0..<12 {
                    let reply = try await Self.write("k\(index)", "r", "v\(index)", via: hosts[0])
                    #expect(reply.status == 200)
                }

                let victim = hosts[2]
                let incarnation = await victim.status().nodes.first { $0.id == victim.id.description }?.incarnation ?? 0
                await cluster.kill(victim.id)
                #expect(await victim.waitUntilStopped() == .crash)
                #expect(
                    await eventually {
                        await hosts[0].status().nodes.first { $0.id == victim.id.description }?.state == "disconnected"
                    })

                let restarted = try await cluster.restart(victim.id)
                #expect(restarted.id == victim.id)
                let survivors = [hosts[0], hosts[1], restarted]
                #expect(await eventually { await Self.settled(survivors, size: 3) })
                let record = await hosts[0].status().nodes.first { $0.id == victim.id.description }
                #expect((record?.incarnation ?? 0) > incarnation)
                for index in 0..<12 {
                    let reply = try await HTTPTestClient.get("http://\(restarted.httpAddress)/items/k\(index)/r")
                    #expect(reply.status == 200)
                    #expect((reply.json["items"] as? [[String: Any]])?.first?["message"] as? String == "v\(index)")
                }
            }
        }

        @Test func gracefulShutdownOverHTTPStopsTheNode() async throws {
            try await withCluster(Self.options("solo"), nodes: 1) { _, hosts in
                let host = hosts[0]
                let refused = try await HTTPTestClient.post("http://\(host.httpAddress)/admin/shutdown", "{}")
                #expect(refused.status == 401)
                let reply = try await HTTPTestClient.post(
                    "http://\(host.httpAddress)/admin/shutdown", #"{"mode":"graceful"}"#,
                    headers: [("Authorization", "Bearer admin")])
                #expect(reply.status == 202)
                #expect(await host.waitUntilStopped() == .graceful)
                #expect(
                    await host.submit(.read(partitionKey: "a", rangeKey: nil))
                        != .read(
                            ReadResult(partition: 0, node: host.id, epoch: .zero, items: [])))
            }
        }
    }
}
