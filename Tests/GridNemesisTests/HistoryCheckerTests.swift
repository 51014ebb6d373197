import GridNemesis
import Testing

/// The checker on hand-made histories: each promise broken once, and a clean history.
@Suite struct HistoryCheckerTests {
    static func write(
        _ key: String, _ outcome: ClientOperation.Outcome, invoked: Int64 = 0, completed: Int64 = 1
    ) -> ClientOperation {
        ClientOperation(
            key: key, value: "v-\(key)", contacted: 0, invoked: invoked, completed: completed, outcome: outcome)
    }

    @Test func aCleanHistoryPasses() {
        let history = [
            Self.write("a", .acknowledged(partition: 1, epoch: 1025, node: "n1"), invoked: 0, completed: 5),
            Self.write("b", .acknowledged(partition: 1, epoch: 2049, node: "n2"), invoked: 10, completed: 15),
            Self.write("c", .refused), Self.write("d", .indeterminate),
        ]
        let verdict = HistoryChecker.verdict(
            of: history, finalValues: ["a": "v-a", "b": "v-b", "c": String?.none], stuckPartitions: [])
        #expect(verdict.passed)
        #expect(verdict.acknowledged == 2)
        #expect(verdict.availability == 0.5)
    }

    @Test func eachBrokenPromiseIsFound() {
        let history = [
            // Two nodes acknowledged partition 1 at one epoch.
            Self.write("a", .acknowledged(partition: 1, epoch: 1025, node: "n1")),
            Self.write("b", .acknowledged(partition: 1, epoch: 1025, node: "n2")),
            // Epoch 3073 was acknowledged (completed at 20) before this write at 2049 was sent (at 30).
            Self.write("c", .acknowledged(partition: 2, epoch: 3073, node: "n3"), invoked: 10, completed: 20),
            Self.write("d", .acknowledged(partition: 2, epoch: 2049, node: "n1"), invoked: 30, completed: 40),
            // Overlapping in time is not stale: the new epoch may not have opened yet.
            Self.write("e", .acknowledged(partition: 2, epoch: 2049, node: "n1"), invoked: 15, completed: 25),
            Self.write("lost", .acknowledged(partition: 3, epoch: 1025, node: "n1")),
            Self.write("phantom", .refused),
        ]
        let finalValues: [String: String?] = [
            "a": "v-a", "b": "v-b", "c": "v-c", "d": "v-d", "e": "v-e", "lost": String?.none, "phantom": "v-phantom",
        ]
        let verdict = HistoryChecker.verdict(of: history, finalValues: finalValues, stuckPartitions: [4, 2])
        #expect(verdict.sharedEpochs == ["p1@e1025 by n1, n2"])
        #expect(verdict.staleLeaderWrites == ["d at e2049 after e3073 (p2)"])
        #expect(verdict.splitBrains == 2)
        #expect(verdict.lostWrites.count == 1 && verdict.lostWrites[0].hasPrefix("lost "))
        #expect(verdict.phantomWrites == ["phantom"])
        #expect(verdict.stuckPartitions == [2, 4])
        #expect(!verdict.passed)
    }

    @Test func aWriteAcknowledgedWithAnotherValueIsLost() {
        let history = [Self.write("a", .acknowledged(partition: 0, epoch: 1, node: "n1"))]
        let verdict = HistoryChecker.verdict(of: history, finalValues: ["a": "something else"], stuckPartitions: [])
        #expect(verdict.lostWrites.count == 1)
    }

    @Test func faultListsParse() {
        #expect(NemesisFault.parseList("all") == Set(NemesisFault.allCases))
        #expect(NemesisFault.parseList("kill,slow-acks") == [.kill, .slowAcknowledgments])
        #expect(NemesisFault.parseList("kill,nonsense") == nil)
    }
}
