import GridCore
import Testing

@Suite struct PlacementTests {
    @Test func keysMapToTheSamePartitionEverywhere() {
        // Fixed vectors: a change here would split a running cluster in two.
        #expect(PartitionHash.hash("") == PartitionHash.mix(0xcbf2_9ce4_8422_2325))
        #expect(
            PartitionHash.partition(forKey: "user:42", partitionCount: 64) == Int(PartitionHash.hash("user:42") % 64))
        let first = (0..<100).map { PartitionHash.partition(forKey: "key-\($0)", partitionCount: 64) }
        let second = (0..<100).map { PartitionHash.partition(forKey: "key-\($0)", partitionCount: 64) }
        #expect(first == second)
        #expect(Set(first).count > 40)
    }

    @Test func oneKeyCoversEachPartition() {
        let keys = PartitionHash.keysCoveringEveryPartition(partitionCount: 64, prefix: "demo-")
        #expect(keys.count == 64)
        for (partition, key) in keys.enumerated() {
            #expect(key.hasPrefix("demo-"))
            #expect(PartitionHash.partition(forKey: key, partitionCount: 64) == partition)
        }
        #expect(PartitionHash.keysCoveringEveryPartition(partitionCount: 0, prefix: "k").isEmpty)
    }

    @Test func sameViewGivesTheSameMap() {
        let config = ClusterConfig(name: "c", size: 7, partitionCount: 256, replicationFactor: 3)
        let a = Placement(config: config, eligibleSlots: [0, 1, 2, 4, 5, 6])
        let b = Placement(config: config, eligibleSlots: [6, 5, 4, 2, 1, 0])
        #expect(a.leaders == b.leaders && a.owners == b.owners)
    }

    @Test func leadersAreOwnersAndOwnersAreDistinct() {
        let config = ClusterConfig(name: "c", size: 9, partitionCount: 128, replicationFactor: 3)
        let placement = Placement(config: config, eligibleSlots: Set(0..<9))
        for partition in 0..<128 {
            let owners = placement.owners(of: partition)
            #expect(owners.count == 3 && Set(owners).count == 3)
            #expect(placement.leader(of: partition).map(owners.contains) == true)
        }
    }

    /// Below eight partitions per slot, ±25% is narrower than one partition either way,
    /// which no placement that keeps leaders among owners can promise.
    @Test(arguments: [64, 256, 1024])
    func leadershipStaysWithinAQuarterOfTheMean(partitions: Int) {
        for size in 2...16 where partitions / size >= 8 {
            let config = ClusterConfig(name: "c", size: size, partitionCount: partitions, replicationFactor: 3)
            let placement = Placement(config: config, eligibleSlots: Set(0..<size))
            let mean = Double(partitions) / Double(size)
            for slot in 0..<size {
                let led = Double(placement.partitions(ledBy: slot).count)
                #expect(abs(led - mean) <= mean * 0.25, "size \(size) slot \(slot) leads \(led) of mean \(mean)")
            }
        }
    }

    @Test(arguments: [64, 256, 1024])
    func growingMovesAboutOneShareOfLeadership(partitions: Int) {
        for size in 2...12 {
            let before = Placement(
                config: ClusterConfig(name: "c", size: size, partitionCount: partitions, replicationFactor: 3),
                eligibleSlots: Set(0..<size))
            let after = Placement(
                config: ClusterConfig(name: "c", size: size + 1, partitionCount: partitions, replicationFactor: 3),
                eligibleSlots: Set(0...size))
            let moved = (0..<partitions).filter { before.leader(of: $0) != after.leader(of: $0) }.count
            let share = Double(partitions) / Double(size + 1)
            // About one share moves (the slots the newcomer wins, plus a short cascade of the
            // load bound), never most of the map.
            #expect(Double(moved) <= share * 3, "size \(size)→\(size + 1) moved \(moved), one share is \(share)")
            #expect(moved < partitions / 2)
        }
    }

    @Test func noEligibleOwnerMeansNoLeader() {
        let config = ClusterConfig(name: "c", size: 3, partitionCount: 8, replicationFactor: 1)
        let placement = Placement(config: config, eligibleSlots: [0])
        for partition in 0..<8 {
            let owner = placement.owners(of: partition)[0]
            #expect(placement.leader(of: partition) == (owner == 0 ? 0 : nil))
        }
    }
}
