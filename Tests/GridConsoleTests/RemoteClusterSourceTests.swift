import Foundation
import GridConsole
import GridCore
import Testing

extension LiveClusterTests {
    /// The remote source over real HTTP, attached to an embedded cluster's nodes.
    @Suite("Remote cluster source")
    struct RemoteClusterSourceTests {
        @Test("discovers every member from one address, follows a handshake, refuses a resize in it, kills")
        func attachFollowAndAct() async throws {
            try await Live.withCluster { embedded in
                #expect(await eventually { Live.isSettled(await embedded.snapshot(), size: 3) })
                let first = try #require(await embedded.snapshot().statuses.values.first { $0.node.slot == 0 })
                let address = try #require(first.nodes.first { $0.id == first.node.id }?.http)
                let endpoint = try #require(GridEndpoint(address))

                // A dead address first: the next one that answers is used.
                let remote = try await RemoteClusterSource.connect(
                    to: [try #require(GridEndpoint("127.0.0.1:1")), endpoint])
                let recorder = EventRecorder(remote)
                do {
                    defer { recorder.cancel() }
                    #expect(!remote.supportsMembershipChanges)
                    var seen = ClusterSnapshot.empty
                    let discovered = await eventually {
                        seen = await remote.snapshot()
                        return Live.isSettled(seen, size: 3)
                    }
                    #expect(discovered, "remote view: \(StatusTable.render(seen))")
                    // The dead address stays listed, by address since it never answered.
                    #expect(seen.unreachable == ["127.0.0.1:1"])

                    let write = await remote.write(partitionKey: remote.partitionKey(for: 5), value: "over http")
                    #expect(write.result == .accepted, "\(write)")
                    #expect(write.partition == 5)

                    #expect(
                        await remote.setAcknowledgmentDelay(milliseconds: 4_000)
                            == .done(
                                "Slow motion: every acknowledgment waits 4000 ms on 3 nodes"))
                    let grown = await remote.resize(to: 4)
                    #expect(grown.succeeded, "\(grown)")
                    #expect(!(await remote.addNode()).succeeded)
                    // The remote source cannot start nodes; the embedded cluster fills the slot.
                    #expect(await embedded.addNode().succeeded)

                    let sawLock = await eventually {
                        seen = await remote.snapshot()
                        return seen.statuses.count == 4 && !seen.handshakes.isEmpty && Live.everyViewSeesALock(seen)
                    }
                    #expect(sawLock, "remote view: \(StatusTable.render(seen))")
                    #expect(await remote.resize(to: 5) == .rejected(ClientFailure.handshakeInProgressMessage))
                    #expect(await eventually { recorder.kinds.contains(.locked) })

                    #expect(await remote.setAcknowledgmentDelay(milliseconds: 0).succeeded)
                    let settled = await eventually {
                        seen = await remote.snapshot()
                        return Live.isSettled(seen, size: 4)
                    }
                    #expect(settled, "remote view: \(StatusTable.render(seen))")

                    let victim = try #require(seen.statuses.values.first { $0.node.slot == 1 }?.node.id)
                    let killed = await remote.kill(node: victim)
                    #expect(killed.succeeded, "\(killed)")
                    #expect(
                        await eventually {
                            let local = await embedded.snapshot()
                            let view = await remote.snapshot()
                            return local.statuses[victim] == nil && view.unreachable.contains(victim)
                                && view.statuses[victim] == nil
                        })
                }
                await remote.stop()
            }
        }

        @Test("a probe reports every member; nothing answering is one clear error")
        func probeAndErrors() async throws {
            try await Live.withCluster { embedded in
                #expect(await eventually { Live.isSettled(await embedded.snapshot(), size: 3) })
                let status = try #require(await embedded.snapshot().statuses.values.first)
                let address = try #require(status.nodes.first { $0.id == status.node.id }?.http)
                let endpoint = try #require(GridEndpoint(address))
                let closed = try #require(GridEndpoint("127.0.0.1:1"))
                try await GridHTTPClient.with { client in
                    let snapshot = try await RemoteClusterSource.probe([closed, endpoint], client: client)
                    #expect(snapshot.statuses.count == 3)
                    do {
                        _ = try await client.status(of: closed)
                        Issue.record("a closed port answered")
                    } catch {
                        #expect(
                            error as? GridHTTPError
                                == .unreachable(address: "127.0.0.1:1", reason: "connection refused"))
                    }
                }
                await #expect(throws: GridHTTPError.self) {
                    _ = try await RemoteClusterSource.connect(to: [closed])
                }
            }
        }
    }
}

@Suite("HTTP client pieces")
struct GridHTTPClientTests {
    @Test("addresses parse from HOST:PORT, [V6]:PORT and URLs; junk does not")
    func endpoints() throws {
        #expect(GridEndpoint("127.0.0.1:8001")?.baseURL == "http://127.0.0.1:8001")
        #expect(GridEndpoint("http://localhost:8001/")?.address == "localhost:8001")
        #expect(GridEndpoint("[::1]:9000")?.address == "[::1]:9000")
        #expect(GridEndpoint("localhost") == nil)
        #expect(GridEndpoint("ftp://x:1") == nil)
        #expect(GridEndpoint("x:99999") == nil)
        let list = try GridEndpoint.list("a:1, b:2,a:1").get()
        #expect(list.map(\.address) == ["a:1", "b:2"])
        #expect(throws: GridHTTPError.invalidAddress("nope")) { try GridEndpoint.list("a:1,nope").get() }
    }

    @Test("an error answer keeps the node's message verbatim")
    func errors() {
        let body = Data(
            #"{"code":"handshake_in_progress","error":"Cannot resize: partition leadership handshake in progress"}"#
                .utf8)
        let error = GridHTTPClient.error(status: 409, body: body)
        #expect(error.description == ClientFailure.handshakeInProgressMessage)
        #expect(error.code == "handshake_in_progress")
        #expect(error.status == 409)
        #expect(
            GridHTTPClient.error(status: 502, body: Data("bad gateway".utf8)).description == "HTTP 502: bad gateway")
    }
}
