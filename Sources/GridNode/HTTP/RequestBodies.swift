import Foundation
import Hummingbird

// The request bodies of the HTTP API, shared by the server and the console's client so the
// two cannot drift apart.

/// `POST /items`.
public struct WriteItemBody: Codable, Sendable {
    public var partitionKey: String
    public var rangeKey: String?
    public var message: String

    public init(partitionKey: String, rangeKey: String?, message: String) {
        self.partitionKey = partitionKey
        self.rangeKey = rangeKey
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case message
        case partitionKey = "partition_key"
        case rangeKey = "range_key"
    }
}

/// `POST /cluster/resize`; `expected_version` makes it a compare-and-set.
public struct ResizeBody: Codable, Sendable {
    public var size: Int
    public var expectedVersion: UInt64?

    public init(size: Int, expectedVersion: UInt64?) {
        self.size = size
        self.expectedVersion = expectedVersion
    }

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
