import GridCore
import Testing

@Suite struct RoutingTests {
    @Test func writeToLockedPartitionIsRefusedAsLocked() {
        let facts = RoutingFacts(kind: .write, lockedLocally: true, leadsOpen: true, hasWriteLease: true)
        #expect(decideRouting(facts) == .locked(retryAfterMilliseconds: 500))
    }

    @Test func writeIsEffectivelyLockedWhileTheExpectedLeaderLocks() {
        let facts = RoutingFacts(kind: .write, lockedByExpectedLeader: true, expectedLeader: NodeID(2))
        #expect(facts.isEffectivelyLocked)
        #expect(decideRouting(facts) == .locked(retryAfterMilliseconds: 500))
    }

    @Test func readsIgnoreTheLock() {
        let local = RoutingFacts(kind: .read, lockedLocally: true, lockedByExpectedLeader: true, isOwner: true)
        #expect(decideRouting(local) == .local)
        let elsewhere = RoutingFacts(kind: .read, lockedLocally: true, servingLeader: NodeID(3))
        #expect(decideRouting(elsewhere) == .forward(NodeID(3)))
    }

    @Test func leaderWritesLocallyOnlyWithALease() {
        #expect(decideRouting(RoutingFacts(kind: .write, leadsOpen: true, hasWriteLease: true)) == .local)
        guard case .unavailable = decideRouting(RoutingFacts(kind: .write, leadsOpen: true, hasWriteLease: false))
        else {
            Issue.record("a leader without a lease must not write")
            return
        }
    }

    @Test func writesForwardOneHopAtMost() {
        let first = RoutingFacts(kind: .write, expectedLeader: NodeID(4))
        #expect(decideRouting(first) == .forward(NodeID(4)))
        var again = first
        again.forwarded = true
        guard case .unavailable(_, let leader) = decideRouting(again) else {
            Issue.record("a forwarded write must not be forwarded again")
            return
        }
        #expect(leader == NodeID(4))
    }
}
