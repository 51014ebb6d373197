import Foundation
import Hummingbird

/// An error the API answers with: a status, a stable `code`, a message for people, and
/// whatever else the client needs to act (the partition, when to retry, where the leader is).
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var partition: Int?
    var retryAfterMilliseconds: Int?
    var leader: String?
    var leaderHTTP: String?
    var node: String?

    init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    var body: ErrorBody {
        ErrorBody(
            code: code, error: message, partition: partition, retryAfterMilliseconds: retryAfterMilliseconds,
            leader: leader, leaderHTTP: leaderHTTP, node: node)
    }

    func response() -> Response {
        var response = JSONResponse.make(body, status: status)
        if let retryAfterMilliseconds {
            // Retry-After counts whole seconds; round up so a client never retries early.
            response.headers[.retryAfter] = String(max(1, (retryAfterMilliseconds + 999) / 1_000))
        }
        return response
    }

    static func malformed(_ message: String) -> APIError { APIError(.badRequest, code: "malformed_json", message) }
    static func invalid(_ message: String) -> APIError { APIError(.badRequest, code: "invalid_request", message) }
    static func tooLarge(_ code: String, _ message: String) -> APIError {
        APIError(.contentTooLarge, code: code, message)
    }
    static let unauthorized = APIError(.unauthorized, code: "unauthorized", "a valid bearer token is required")
    static let notFound = APIError(.notFound, code: "not_found", "no such route")
    static let internalError = APIError(.internalServerError, code: "internal", "the node failed to answer")
}
