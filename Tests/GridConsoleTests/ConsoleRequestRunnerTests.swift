import GridConsole
import GridCore
import Testing

@Suite("Requests and demo load")
struct ConsoleRequestRunnerTests {
    @Test("a refused resize comes back from the source with its message, ready for the reducer")
    func refusedResize() async {
        let source = FakeClusterSource(snapshot: Fixtures.handshakeSnapshot())
        await source.setResizeResult(.rejected(ClientFailure.handshakeInProgressMessage))
        let result = await ConsoleRequestRunner.perform(.resize(to: 4), on: source)
        #expect(result == .rejected(ClientFailure.handshakeInProgressMessage))
        #expect(await source.requests == ["resize 4"])

        var state = Fixtures.state()
        _ = ConsoleReducer.reduce(&state, .requestFinished(.resize(to: 4), result))
        #expect(state.flash?.text == "Cannot resize: partition leadership handshake in progress")
    }

    @Test("every request reaches the matching source call")
    func requests() async {
        let source = FakeClusterSource(snapshot: .empty)
        _ = await ConsoleRequestRunner.perform(.kill(node: Fixtures.n1), on: source)
        _ = await ConsoleRequestRunner.perform(.addNode, on: source)
        _ = await ConsoleRequestRunner.perform(.restart(node: Fixtures.n1), on: source)
        _ = await ConsoleRequestRunner.perform(.setAcknowledgmentDelay(milliseconds: 900), on: source)
        #expect(await source.requests == ["kill \(Fixtures.n1)", "add", "restart \(Fixtures.n1)", "slowmo 900"])
    }

    @Test("a remote source is never asked to add or restart nodes")
    func remoteMembership() async {
        let source = FakeClusterSource(snapshot: .empty, embedded: false)
        let result = await ConsoleRequestRunner.perform(.addNode, on: source)
        #expect(!result.succeeded)
        #expect(await source.requests.isEmpty)
    }

    @Test("rounds walk every partition, in slices when there are many")
    func rounds() {
        var load = DemoLoad(maximumWritesPerRound: 6)
        #expect(load.nextRound(partitionCount: 4) == [0, 1, 2, 3])
        #expect(load.nextRound(partitionCount: 4) == [0, 1, 2, 3])
        var big = DemoLoad(maximumWritesPerRound: 4)
        #expect(big.nextRound(partitionCount: 10) == [0, 1, 2, 3])
        #expect(big.nextRound(partitionCount: 10) == [4, 5, 6, 7])
        #expect(big.nextRound(partitionCount: 10) == [8, 9, 0, 1])
        #expect(big.round == 3)
        #expect(big.nextRound(partitionCount: 0).isEmpty)
    }

    @Test("a round writes one key per partition and reports where each write landed")
    func writeRound() async {
        let source = FakeClusterSource(snapshot: .empty)
        await source.setLockedPartitions([3])
        let outcomes = await DemoLoad.write([1, 2, 3, 4, 5], round: 1, concurrency: 2, to: source)
        #expect(outcomes.count == 5)
        #expect(Set(outcomes.compactMap(\.partition)) == [1, 2, 3, 4, 5])
        #expect(outcomes.filter { $0.result == .rejected }.map(\.partition) == [3])
        #expect(Set(await source.requests) == Set((1...5).map { "write key-\($0)" }))
    }
}
