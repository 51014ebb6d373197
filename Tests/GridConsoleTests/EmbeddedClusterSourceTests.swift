import Foundation
import GridConsole
import GridCore
import Testing

extension LiveClusterTests {
    /// The console's embedded cluster, driven through the same `ClusterSource` calls the
    /// screen makes.
    @Suite("Embedded cluster source")
    struct EmbeddedClusterSourceTests {
        @Test(
            "three nodes join; a resize to 4 locks partitions and refuses a second resize; killing an old leader mid-handshake still opens its partition"
        )
        func resizeThroughAHandshake() async throws {
            try await Live.withCluster { source in
                let recorder = EventRecorder(source)
                defer { recorder.cancel() }
                #expect(source.kind == .embedded)
                #expect(source.supportsMembershipChanges)
                #expect(await eventually { Live.isSettled(await source.snapshot(), size: 3) })
                let formed = await source.snapshot()
                #expect(Set(formed.statuses.values.map(\.node.slot)) == [0, 1, 2])
                #expect(formed.unreachable.isEmpty)

                // Slow motion keeps every handshake open for seconds: wide enough to be refused.
                #expect(await source.setAcknowledgmentDelay(milliseconds: 4_000).succeeded)
                let grown = await source.resize(to: 4)
                #expect(grown.succeeded, "\(grown)")
                #expect(grown.message.contains("started 1 node"), "\(grown)")

                var during = ClusterSnapshot.empty
                let sawLock = await eventually {
                    during = await source.snapshot()
                    return during.statuses.count == 4 && !during.handshakes.isEmpty
                        && Live.everyViewSeesALock(during)
                }
                #expect(sawLock, "no handshake seen; last snapshot: \(StatusTable.render(during))")
                let newcomer = try #require(during.statuses.values.first { $0.node.slot == 3 }?.node.id)
                #expect(during.mergedPartitions.contains { $0.locked })
                // Every move to the newcomer names the node it comes from, so the old leader can be
                // killed. (A plain loop: a closure here over the captured `during` crashes Swift
                // 6.3.1's SIL passes.)
                let moves = during.handshakes
                var unnamed = 0
                for move in moves where move.newLeader == newcomer {
                    if move.previousLeader == nil || move.previousLeader == move.newLeader { unnamed += 1 }
                }
                #expect(unnamed == 0, "\(moves)")

                let refused = await source.resize(to: 5)
                #expect(refused == .rejected(ClientFailure.handshakeInProgressMessage))

                // Kill the old leader in the middle of its handshake: the partition still opens
                // under the new leader, once the others call the old one disconnected.
                let first = try #require(during.handshakes.first)
                let moving = during.handshakes.first(where: { $0.newLeader == newcomer }) ?? first
                let oldLeader = try #require(moving.previousLeader)
                let killed = await source.kill(node: oldLeader)
                #expect(killed.succeeded, "\(killed)")
                #expect(await source.setAcknowledgmentDelay(milliseconds: 0).succeeded)
                var after = ClusterSnapshot.empty
                let settled = await eventually {
                    after = await source.snapshot()
                    return Live.isOpen(after, without: oldLeader, partition: moving.partition, ledBy: moving.newLeader)
                }
                #expect(settled, "p\(moving.partition) did not open under its new leader: \(StatusTable.render(after))")
                #expect(after.primary?.partitions.contains { $0.leader == newcomer } == true)
                #expect(await eventually { recorder.kinds.isSuperset(of: [.locked, .acknowledged, .opened]) })

                // Writes go through the leader once the partition is open. A refusal (503) was
                // definitely not applied, so a client retries it: partition 0 may still be moving
                // away from the killed node.
                let key = source.partitionKey(for: 0)
                #expect(PartitionHash.partition(forKey: key, partitionCount: source.partitionCount) == 0)
                var write = WriteOutcome(.rejected, partition: 0, node: nil)
                let accepted = await eventually {
                    write = await source.write(partitionKey: key, value: "after the move")
                    return write.result == .accepted
                }
                #expect(accepted, "\(write)")
                #expect(write.partition == 0)
                #expect(write.node == (await source.snapshot()).primary?.partitions[0].leader)
            }
        }

        @Test("growing starts a node; shrinking stops the removed one once it leads nothing")
        func growAndShrink() async throws {
            try await Live.withCluster { source in
                #expect(await eventually { Live.isSettled(await source.snapshot(), size: 3) })
                let grown = await source.resize(to: 4)
                #expect(grown.message.contains("started 1 node"), "\(grown)")
                var seen = ClusterSnapshot.empty
                #expect(
                    await eventually {
                        seen = await source.snapshot()
                        return Live.isSettled(seen, size: 4)
                    }, "never settled at 4: \(StatusTable.render(seen))")
                let removed = try #require(seen.statuses.values.first { $0.node.slot == 3 }?.node.id)

                let shrunk = await source.resize(to: 3)
                #expect(shrunk.succeeded, "\(shrunk)")
                #expect(shrunk.message.contains("leave once they lead nothing"), "\(shrunk)")
                let left = await eventually {
                    seen = await source.snapshot()
                    return Live.isSettled(seen, size: 3) && seen.statuses[removed] == nil
                        && !seen.unreachable.contains(removed)
                }
                #expect(left, "the removed node did not leave: \(StatusTable.render(seen))")
                #expect(seen.primary?.partitions.allSatisfy { $0.leader != removed } == true)
            }
        }

        @Test("a killed node is reported unreachable and disconnected, and restarts with its id")
        func killAndRestart() async throws {
            try await Live.withCluster { source in
                #expect(await eventually { Live.isSettled(await source.snapshot(), size: 3) })
                let victim = try #require(await source.snapshot().statuses.values.first { $0.node.slot == 2 }?.node.id)

                let killed = await source.kill(node: victim)
                #expect(killed.succeeded, "\(killed)")
                var down = ClusterSnapshot.empty
                let seenDown = await eventually {
                    down = await source.snapshot()
                    return down.unreachable == [victim] && down.statuses.count == 2
                        && down.statuses.values.allSatisfy { status in
                            status.nodes.first { $0.id == victim }?.state == "disconnected"
                        }
                }
                #expect(seenDown, "victim not seen down: \(StatusTable.render(down))")
                #expect(down.mergedNodes.first { $0.record.id == victim }?.reachable == false)
                #expect(!(await source.kill(node: victim)).succeeded)
                #expect(!(await source.restart(node: "0123456789abcdef")).succeeded)

                let restarted = await source.restart(node: victim)
                #expect(restarted.succeeded, "\(restarted)")
                var back = ClusterSnapshot.empty
                let settled = await eventually {
                    back = await source.snapshot()
                    return Live.isSettled(back, size: 3)
                }
                #expect(settled, "did not settle after the restart: \(StatusTable.render(back))")
                #expect(back.statuses[victim] != nil)
                #expect(back.unreachable.isEmpty)
                #expect(!(await source.restart(node: victim)).succeeded)
            }
        }
    }
}
