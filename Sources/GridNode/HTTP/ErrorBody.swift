/// The JSON of every error response.
struct ErrorBody: Codable, Hashable, Sendable {
    var code: String
    var error: String
    var partition: Int?
    var retryAfterMilliseconds: Int?
    var leader: String?
    var leaderHTTP: String?
    var node: String?

    enum CodingKeys: String, CodingKey {
        case code, error, partition, leader, node
        case retryAfterMilliseconds = "retry_after_ms"
        case leaderHTTP = "leader_http"
    }
}
