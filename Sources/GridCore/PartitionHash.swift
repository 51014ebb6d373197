/// Portable 64-bit hashing for placement. Swift's `Hasher` is seeded per process, so two
/// nodes would disagree; these functions give the same answer everywhere, forever.
public enum PartitionHash {
    /// FNV-1a over the bytes, then a SplitMix64 finalizer so nearby keys spread evenly.
    public static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
        return mix(value)
    }

    public static func hash(_ string: String) -> UInt64 { hash(string.utf8) }

    /// SplitMix64's finalizer: a bijection that scatters every input bit over the output.
    public static func mix(_ input: UInt64) -> UInt64 {
        var z = input &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The partition a partition key belongs to.
    public static func partition(forKey key: String, partitionCount: Int) -> PartitionID {
        Int(hash(key) % UInt64(max(1, partitionCount)))
    }

    /// One key per partition, indexed by partition: the first of `prefix0`, `prefix1`, ...
    /// that lands in it. For load and checks that must touch every partition.
    public static func keysCoveringEveryPartition(partitionCount: Int, prefix: String) -> [String] {
        var keys = [String?](repeating: nil, count: max(0, partitionCount))
        var missing = keys.count
        var candidate = 0
        while missing > 0 {
            let key = "\(prefix)\(candidate)"
            let partition = partition(forKey: key, partitionCount: partitionCount)
            if keys[partition] == nil {
                keys[partition] = key
                missing -= 1
            }
            candidate += 1
        }
        return keys.map { $0! }
    }

    /// The rendezvous weight of `slot` for `partition`.
    public static func weight(partition: PartitionID, slot: Slot) -> UInt64 {
        mix(mix(UInt64(partition) &+ 0x5851_f42d_4c95_7f2d) ^ UInt64(slot))
    }
}
