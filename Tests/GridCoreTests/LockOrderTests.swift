import Testing

@testable import GridCore

/// Which of two locks on one partition a node acknowledges: it must not depend on the
/// order a view's records are visited in.
@Suite struct LockOrderTests {
    @Test func theHigherEpochWinsAndTheLowerLeaderBreaksATie() {
        let low = NodeID(5)
        let high = NodeID(9)
        let epoch = Epoch(rawValue: 2049)
        let byLow = LockEntry(epoch: epoch, leader: low)
        let byHigh = LockEntry(epoch: epoch, leader: high)
        #expect(NodeCore.isNewer(byLow, than: nil))
        #expect(NodeCore.isNewer(byLow, than: byHigh))
        #expect(!NodeCore.isNewer(byHigh, than: byLow))
        #expect(!NodeCore.isNewer(byLow, than: byLow))
        #expect(NodeCore.isNewer(LockEntry(epoch: Epoch(rawValue: 3073), leader: high), than: byLow))
    }
}
