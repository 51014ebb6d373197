import Foundation
import Hummingbird

/// `POST /items`.
struct WriteItemBody: Decodable {
    var partitionKey: String
    var rangeKey: String?
    var message: String

    enum CodingKeys: String, CodingKey {
        case message
        case partitionKey = "partition_key"
        case rangeKey = "range_key"
    }
}

/// `POST /cluster/resize`; `expected_version` makes it a compare-and-set.
struct ResizeBody: Decodable {
    var size: Int
    var expectedVersion: UInt64?

    enum CodingKeys: String, CodingKey {
        case size
        case expectedVersion = "expected_version"
    }
}

/// `POST /admin/shutdown`; graceful when the mode is left out.
struct ShutdownBody: Decodable {
    var mode: String?
}

/// `POST /admin/ack-delay`.
struct AcknowledgmentDelayBody: Decodable {
    var ms: Int64
}
