import GridCore

/// A successful write (`POST /items`, `DELETE /items/...`).
struct WriteReceiptBody: Codable, Hashable, Sendable {
    var partition: Int
    var epoch: UInt64
    var lsn: UInt64
    var node: String

    init(_ receipt: WriteReceipt) {
        partition = receipt.partition
        epoch = receipt.epoch.rawValue
        lsn = receipt.lsn
        node = receipt.node.description
    }
}

/// A read (`GET /items/...`): which node and epoch served it, and the items.
struct ReadResultBody: Codable, Hashable, Sendable {
    var partition: Int
    var node: String
    var epoch: UInt64
    var items: [ItemBody]

    init(_ result: ReadResult) {
        partition = result.partition
        node = result.node.description
        epoch = result.epoch.rawValue
        items = result.items.map(ItemBody.init)
    }
}

struct ItemBody: Codable, Hashable, Sendable {
    var partitionKey: String
    var rangeKey: String?
    var message: String
    var epoch: UInt64
    var lsn: UInt64
    /// The full hybrid logical clock, `wall.counter`.
    var hlc: String

    init(_ item: Item) {
        partitionKey = item.key.partitionKey
        rangeKey = item.key.rangeKey
        message = item.value
        epoch = item.epoch.rawValue
        lsn = item.lsn
        hlc = item.hlc.description
    }

    enum CodingKeys: String, CodingKey {
        case message, epoch, lsn, hlc
        case partitionKey = "partition_key"
        case rangeKey = "range_key"
    }

    /// `range_key` is written as null when absent, so every item has the same fields.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(partitionKey, forKey: .partitionKey)
        try container.encode(rangeKey, forKey: .rangeKey)
        try container.encode(message, forKey: .message)
        try container.encode(epoch, forKey: .epoch)
        try container.encode(lsn, forKey: .lsn)
        try container.encode(hlc, forKey: .hlc)
    }
}

/// `POST /admin/shutdown`.
struct ShutdownAccepted: Codable, Hashable, Sendable {
    var status = "stopping"
    var mode: String
    var node: String
}

/// `POST /admin/ack-delay`.
struct AcknowledgmentDelaySet: Codable, Hashable, Sendable {
    var ackDelayMilliseconds: Int64
    var node: String

    enum CodingKeys: String, CodingKey {
        case node
        case ackDelayMilliseconds = "ack_delay_ms"
    }
}

extension ClusterStatus.Cluster {
    /// The config as `POST /cluster/resize` answers it: the same fields as the status's.
    init(_ config: ClusterConfig) {
        self.init(
            name: config.name, size: config.size, partitions: config.partitionCount,
            replication: config.replicationFactor, configVersion: config.version)
    }
}
