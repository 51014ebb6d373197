import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A small HTTP client over real sockets for the API tests.
struct HTTPReply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: String

    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(body.utf8))
    }
}

enum HTTPTestClient {
    static func send(
        _ method: HTTPMethod, _ url: String, body: String? = nil, headers: [(String, String)] = []
    ) async throws -> HTTPReply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return HTTPReply(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }

    static func get(_ url: String, headers: [(String, String)] = []) async throws -> HTTPReply {
        try await send(.GET, url, headers: headers)
    }

    static func post(_ url: String, _ body: String, headers: [(String, String)] = []) async throws -> HTTPReply {
        try await send(.POST, url, body: body, headers: headers)
    }
}
