import GridCore

/// One partition key per partition, so a test can write and read every partition.
func keysByPartition(_ partitionCount: Int) -> [PartitionID: String] {
    let keys = PartitionHash.keysCoveringEveryPartition(partitionCount: partitionCount, prefix: "key-")
    return Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($0.offset, $0.element) })
}
