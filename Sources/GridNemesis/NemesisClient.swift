import AsyncHTTPClient
import Foundation
import GridCore
import NIOCore
import NIOHTTP1

/// The nemesis's HTTP client: what an application would send, and nothing the nodes do
/// not offer every client.
struct NemesisClient: Sendable {
    let token: String

    private struct Receipt: Decodable {
        var partition: Int
        var epoch: UInt64
        var node: String
    }

    private struct ReadResult: Decodable {
        struct Item: Decodable { var message: String }
        var items: [Item]
    }

    /// Writes `value` under its own key and says what the client learned.
    func write(key: String, value: String, to http: String) async -> ClientOperation.Outcome {
        let body = try? JSONSerialization.data(withJSONObject: ["partition_key": key, "message": value])
        guard let (status, data) = try? await send(.POST, "http://\(http)/items", body: body, timeout: .seconds(6))
        else { return .indeterminate }
        switch status {
        case 200:
            guard let receipt = try? JSONDecoder().decode(Receipt.self, from: data) else { return .indeterminate }
            return .acknowledged(partition: receipt.partition, epoch: receipt.epoch, node: receipt.node)
        case 503: return .refused
        default: return .indeterminate
        }
    }

    /// The value stored under `key` (nil when there is none), or nil when the node did not answer.
    func read(key: String, from http: String) async -> String?? {
        guard let (status, data) = try? await send(.GET, "http://\(http)/items/\(key)", timeout: .seconds(3)) else {
            return nil
        }
        switch status {
        case 200: return .some((try? JSONDecoder().decode(ReadResult.self, from: data))?.items.first?.message)
        case 404: return .some(nil)
        default: return nil
        }
    }

    func status(of http: String) async -> ClusterStatus? {
        guard let (status, data) = try? await send(.GET, "http://\(http)/cluster/status", timeout: .seconds(2)),
            status == 200
        else { return nil }
        return try? JSONDecoder().decode(ClusterStatus.self, from: data)
    }

    /// The HTTP status of a resize, or nil when the node did not answer.
    func resize(to size: Int, via http: String) async -> Int? {
        let body = try? JSONSerialization.data(withJSONObject: ["size": size])
        return try? await send(.POST, "http://\(http)/cluster/resize", body: body, timeout: .seconds(5)).status
    }

    func setAcknowledgmentDelay(_ milliseconds: Int, via http: String) async {
        let body = try? JSONSerialization.data(withJSONObject: ["ms": milliseconds])
        _ = try? await send(.POST, "http://\(http)/admin/ack-delay", body: body, timeout: .seconds(2))
    }

    private func send(
        _ method: HTTPMethod, _ url: String, body: Data? = nil, timeout: TimeAmount
    ) async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 4 << 20)
        return (Int(response.status.code), Data(bytes.readableBytesView))
    }
}
