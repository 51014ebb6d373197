import GridCore
import Testing

@testable import GridNode

extension LiveNodes {
    /// A named node (`--data-dir`) comes back from its SQLite database with its identity,
    /// its incarnation moved on, and its data.
    @Suite("Named node")
    struct NamedNodeTests {
        @Test func aNamedNodeRestartsFromItsDataDirectory() async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            var options = LiveNodes.ClusterTests.options("named")
            options.slots = 1
            options.replication = 1
            options.partitions = 8
            options.storage = .directory(directory.path)

            let first = try await NodeHost.start(options: options)
            #expect(await eventually { await LiveNodes.ClusterTests.settled([first], size: 1) })
            for index in 0..<10 {
                let reply = try await LiveNodes.ClusterTests.write("user-\(index)", "r", "v\(index)", via: first)
                #expect(reply.status == 200)
            }
            let before = try #require(await first.status().nodes.first)
            await first.stop(mode: .graceful)

            let second = try await NodeHost.start(options: options)
            #expect(second.id == first.id)
            #expect(await eventually { await LiveNodes.ClusterTests.settled([second], size: 1) })
            let after = try #require(await second.status().nodes.first)
            #expect(after.incarnation > before.incarnation)
            #expect(await second.status().node.items == 10)
            for index in 0..<10 {
                let reply = try await HTTPTestClient.get("http://\(second.httpAddress)/items/user-\(index)/r")
                #expect((reply.json["items"] as? [[String: Any]])?.first?["message"] as? String == "v\(index)")
            }
            await second.stop(mode: .graceful)
        }

        @Test func aDataDirectoryOfAnotherClusterIsRefused() async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            var options = LiveNodes.ClusterTests.options("owner")
            options.slots = 1
            options.replication = 1
            options.storage = .directory(directory.path)
            let owner = try await NodeHost.start(options: options)
            #expect(await eventually { await LiveNodes.ClusterTests.settled([owner], size: 1) })
            await owner.stop(mode: .graceful)
            options.cluster = "thief"
            await #expect(throws: NodeStartError.wrongCluster(stored: "owner", requested: "thief")) {
                _ = try await NodeHost.start(options: options)
            }
        }
    }
}
