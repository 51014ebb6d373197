import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import GridNode

/// Inputs the HTTP fuzz target (scripts/fuzz-http.sh) found, sent byte for byte over a real
/// socket to the real server, then the client's side closed, as the fuzzer does. Each input
/// is kept in Fuzz/HTTPRequests/regressions, which also seeds the fuzzer.
@Suite("HTTP fuzz regressions", .timeLimit(.minutes(1)))
struct HTTPRegressionTests {
    static let regressions = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/HTTPRequests/regressions")

    /// A chunked `POST /items` whose second chunk-size line is not hex. Reading the body threw
    /// NIO's parse error, which no route caught, so JSONErrorMiddleware answered 500
    /// `internal`: a malformed request must be a 400.
    @Test func aChunkedBodyThatBreaksItsFramingIs400() async throws {
        let input = try Data(contentsOf: Self.regressions.appendingPathComponent("chunked-body-bad-chunk-size.http"))
        try await HTTPAPITests.withServer { url, node in
            let output = try await RawHTTPClient.exchange(Array(input), url: url)
            let reply = try #require(RawHTTPClient.firstResponse(output))
            #expect(reply.status == 400)
            #expect(reply.json["code"] as? String == "malformed_json")
            #expect(reply.json["error"] as? String != nil)
            #expect(node.log.withLock { $0.requests.isEmpty })
        }
    }

    /// The same request cut off in the middle of a Content-Length body.
    @Test func aBodyCutShortIs400() async throws {
        let input = "POST /items HTTP/1.1\r\nHost: node\r\nContent-Length: 40\r\n\r\n{\"partition_key\":\"k\""
        try await HTTPAPITests.withServer { url, _ in
            let output = try await RawHTTPClient.exchange(Array(input.utf8), url: url)
            let reply = try #require(RawHTTPClient.firstResponse(output))
            #expect(reply.status == 400)
            #expect(reply.json["code"] as? String == "malformed_json")
        }
    }
}

/// Writes raw bytes to the server, closes its own side and reads all the server answers.
enum RawHTTPClient {
    static func exchange(_ bytes: [UInt8], url: String) async throws -> [UInt8] {
        let port = try #require(url.split(separator: ":").last.flatMap { Int($0) })
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: bytes))
            outbound.finish()
            var received: [UInt8] = []
            for try await buffer in inbound { received += buffer.readableBytesView }
            return received
        }
    }

    /// The first response's status and body (framed by Content-Length).
    static func firstResponse(_ output: [UInt8]) -> HTTPReply? {
        let text = String(decoding: output, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<headEnd.lowerBound].components(separatedBy: "\r\n")
        let statusFields = lines[0].split(separator: " ")
        guard statusFields.count >= 2, let status = Int(statusFields[1]) else { return nil }
        let length =
            lines.dropFirst()
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        let body = text[headEnd.upperBound...].utf8.prefix(length)
        return HTTPReply(status: status, headers: [:], body: String(decoding: body, as: UTF8.self))
    }
}
