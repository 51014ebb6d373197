import Foundation
import GridCore
import Testing

@testable import GridNode

extension LiveNodes {
    /// A resize slowed down with an acknowledgment delay, watched through the HTTP API: the
    /// partitions a new node wins are locked, writes to them are refused with 503 while reads
    /// still answer, a second resize is refused with 409, and then everything opens again.
    @Suite("Handshake over HTTP")
    struct HandshakeTests {
        static let token = [("Authorization", "Bearer admin")]

        @Test func aGrowingClusterLocksRefusesWritesAndOpensAgain() async throws {
            var template = LiveNodes.ClusterTests.options("growing")
            template.partitions = 16
            try await withCluster(template, nodes: 3) { cluster, hosts in
                #expect(await eventually { await LiveNodes.ClusterTests.settled(hosts, size: 3) })
                let keys = keysByPartition(16)
                for (partition, key) in keys {
                    let reply = try await LiveNodes.ClusterTests.write(key, "r", "before \(partition)", via: hosts[0])
                    #expect(reply.status == 200)
                }

                await cluster.setAcknowledgmentDelay(4_000)
                let resize = try await HTTPTestClient.post(
                    "http://\(hosts[0].httpAddress)/cluster/resize", #"{"size":4}"#, headers: Self.token)
                #expect(resize.status == 200, "\(resize.body)")
                #expect(resize.json["size"] as? Int == 4)
                let newcomer = try await cluster.addNode()

                // The newcomer's handshakes, as the first node sees them.
                var locked: ClusterStatus.Handshake?
                #expect(
                    await eventually {
                        locked = await hosts[0].status().handshakes.first { $0.newLeader == newcomer.id.description }
                        return locked != nil
                    })
                let partition = try #require(locked?.partition)
                let key = try #require(keys[partition])

                let refused = try await HTTPTestClient.post(
                    "http://\(hosts[1].httpAddress)/items",
                    #"{"partition_key":"\#(key)","range_key":"r","message":"during"}"#)
                #expect(refused.status == 503, "\(refused.body)")
                #expect(refused.json["code"] as? String == "partition_locked")
                #expect(refused.json["partition"] as? Int == partition)
                #expect(refused.headers.first(name: "Retry-After") != nil)
                let read = try await HTTPTestClient.get("http://\(hosts[2].httpAddress)/items/\(key)/r")
                #expect(read.status == 200, "\(read.body)")
                #expect((read.json["items"] as? [[String: Any]])?.first?["message"] as? String == "before \(partition)")
                let second = try await HTTPTestClient.post(
                    "http://\(hosts[0].httpAddress)/cluster/resize", #"{"size":5}"#, headers: Self.token)
                #expect(second.status == 409)
                #expect(second.json["code"] as? String == "handshake_in_progress")
                #expect(second.json["error"] as? String == ClientFailure.handshakeInProgressMessage)

                await cluster.setAcknowledgmentDelay(0)
                let everyone = hosts + [newcomer]
                #expect(await eventually { await LiveNodes.ClusterTests.settled(everyone, size: 4) })
                for host in everyone {
                    #expect(await host.status().nodes.allSatisfy { $0.lockedPartitions.isEmpty })
                }
                let after = try await LiveNodes.ClusterTests.write(key, "r", "after", via: hosts[1])
                #expect(after.status == 200, "\(after.body)")
                #expect(after.json["node"] as? String == newcomer.id.description)
                #expect(UInt64(after.json["epoch"] as? Int ?? 0) >= locked?.epoch ?? .max)
                let metrics = newcomer.metricsExposition()
                #expect(MetricsText.value("gossipgrid_locks_total", in: metrics) >= 1)
                #expect(MetricsText.value("gossipgrid_handshake_duration_seconds_count", in: metrics) >= 1)
            }
        }
    }
}
