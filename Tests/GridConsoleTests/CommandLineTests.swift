import Foundation
import GridConsole
import GridCore
import Testing

extension LiveClusterTests {
    /// The client commands of the real executable against an embedded cluster in this process.
    @Suite("Client commands")
    struct CommandLineTests {
        @Test("status, put, get, a refused resize and kill, each with one clear line on failure")
        func clientCommands() async throws {
            let gossipgrid = try #require(Live.executable, "build the gossipgrid product first")
            try await Live.withCluster { source in
                #expect(await eventually { Live.isSettled(await source.snapshot(), size: 3) })
                let first = try #require(await source.snapshot().statuses.values.first { $0.node.slot == 0 })
                let address = try #require(first.nodes.first { $0.id == first.node.id }?.http)

                let table = try await Live.run(gossipgrid, ["status", "--attach", address])
                #expect(table.status == 0, "\(table.standardError)")
                #expect(table.standardOutput.contains("cluster \(source.clusterName)"))
                #expect(table.standardOutput.contains("handshakes: none, all partitions open"))
                #expect(
                    table.standardOutput.components(separatedBy: "  UP  ").count - 1 == 3, "\(table.standardOutput)")

                let raw = try await Live.run(gossipgrid, ["status", "--attach", address, "--json"])
                let status = try JSONDecoder().decode(ClusterStatus.self, from: Data(raw.standardOutput.utf8))
                #expect(status.node.id == first.node.id)
                let all = try await Live.run(gossipgrid, ["status", "--attach", address, "--json", "--all"])
                let document = try JSONSerialization.jsonObject(with: Data(all.standardOutput.utf8)) as? [String: Any]
                #expect((document?["statuses"] as? [Any])?.count == 3)

                let put = try await Live.run(
                    gossipgrid, ["put", "user/1", "hello world", "--range", "profile", "--attach", address])
                #expect(put.status == 0, "\(put.standardError)")
                #expect(put.standardOutput.hasPrefix("partition="), "\(put.standardOutput)")
                let get = try await Live.run(gossipgrid, ["get", "user/1", "--range", "profile", "--attach", address])
                #expect(get.status == 0, "\(get.standardError)")
                #expect(get.standardOutput == "user/1/profile\thello world\n")
                let missing = try await Live.run(
                    gossipgrid, ["get", "user/1", "--range", "nothing", "--attach", address])
                #expect(missing.status == 1)
                #expect(missing.standardError == "gossipgrid: no item with key user/1/nothing\n")

                #expect(await source.setAcknowledgmentDelay(milliseconds: 4_000).succeeded)
                let grow = try await Live.run(gossipgrid, ["resize", "4", "--attach", address])
                #expect(grow.status == 0, "\(grow.standardError)")
                #expect(grow.standardOutput.hasPrefix("resized \(source.clusterName) to 4 slots"))
                #expect(await source.addNode().succeeded)
                #expect(await eventually { Live.everyViewSeesALock(await source.snapshot()) })
                let refused = try await Live.run(gossipgrid, ["resize", "5", "--attach", address])
                #expect(refused.status == 1)
                #expect(
                    refused.standardError == "gossipgrid: Cannot resize: partition leadership handshake in progress\n")
                #expect(refused.standardOutput.isEmpty)
                #expect(await source.setAcknowledgmentDelay(milliseconds: 0).succeeded)

                let killed = try await Live.run(gossipgrid, ["kill", "--crash", "--attach", address])
                #expect(killed.status == 0, "\(killed.standardError)")
                #expect(killed.standardOutput == "node \(first.node.id) at \(address) is stopping (crash)\n")
                #expect(await eventually { await source.snapshot().statuses[first.node.id] == nil })

                let unreachable = try await Live.run(gossipgrid, ["status", "--attach", address])
                #expect(unreachable.status == 1)
                // Refused or timed out, depending on how far the dying listener got: one line either way.
                #expect(unreachable.standardError.hasPrefix("gossipgrid: cannot reach \(address): "))
                #expect(unreachable.standardError.filter { $0 == "\n" }.count == 1)
                let usage = try await Live.run(gossipgrid, ["resize", "4", "--attach", "nowhere"])
                #expect(usage.status != 0)
                #expect(usage.standardError.contains("--attach must be HOST:PORT"))
            }
        }

        @Test("the console without a terminal prints its cluster's table once and exits")
        func consoleWithoutATerminal() async throws {
            let gossipgrid = try #require(Live.executable, "build the gossipgrid product first")
            let printed = try await Live.run(gossipgrid, ["console", "--nodes", "3", "--partitions", "16"])
            #expect(printed.status == 0, "\(printed.standardError)")
            let lines = printed.standardOutput.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasSuffix("size 3  partitions 16  replication 3  config v1  embedded") == true)
            #expect(lines.contains("handshakes: none, all partitions open"), "\(printed.standardOutput)")
            #expect(lines.filter { $0.contains("  UP  ") }.count == 3, "\(printed.standardOutput)")
            #expect(!printed.standardOutput.contains("\u{1B}["), "no terminal control sequences")
        }
    }
}
