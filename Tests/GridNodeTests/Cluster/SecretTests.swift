import GridCore
import Testing

@testable import GridNode

extension LiveNodes {
    /// A cluster with a secret forms as usual and shuts out a node with another secret.
    @Suite("Cluster secret")
    struct SecretTests {
        @Test func aNodeWithTheWrongSecretIsShutOutAndCounted() async throws {
            var template = LiveNodes.ClusterTests.options("sealed")
            template.secret = "right"
            template.slots = 2
            template.replication = 2
            try await withCluster(template, nodes: 2) { _, hosts in
                #expect(await eventually { await LiveNodes.ClusterTests.settled(hosts, size: 2) })

                var intruder = template
                intruder.secret = "wrong"
                intruder.seeds = [hosts[0].gossipAddress]
                let outsider = try await NodeHost.start(options: intruder)
                #expect(
                    await eventually {
                        MetricsText.value(
                            "gossipgrid_dropped_packets_total", #"reason="forged""#, in: hosts[0].metricsExposition())
                            > 0
                    })
                #expect(await hosts[0].status().nodes.map(\.id).contains(outsider.id.description) == false)
                #expect(await outsider.status().nodes.count == 1)
                let reply = try await LiveNodes.ClusterTests.write("k", "r", "v", via: hosts[1])
                #expect(reply.status == 200)
                await outsider.stop(mode: .crash)
            }
        }
    }
}
