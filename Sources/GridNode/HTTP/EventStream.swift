import Foundation
import GridCore
import Hummingbird

/// `GET /cluster/events`: the node's events as server-sent events, one JSON object each.
enum EventStream {
    static func response(_ events: AsyncStream<NodeEvent>) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                // A comment first, so the client sees the stream open before any event.
                try await writer.write(ByteBuffer(string: ": gossipgrid events\n\n"))
                for await event in events {
                    try await writer.write(ByteBuffer(string: frame(event)))
                }
                try await writer.finish(nil)
            })
    }

    static func frame(_ event: NodeEvent) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(EventBody(event))) ?? Data("{}".utf8)
        return
            "id: \(event.sequence)\nevent: \(event.event.kind.rawValue)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
    }
}

/// One event as JSON.
public struct EventBody: Codable, Hashable, Sendable {
    public var sequence: UInt64
    public var kind: String
    public var node: String
    public var partition: Int?
    public var epoch: UInt64?
    public var peer: String?
    public var detail: String
    /// Wall-clock milliseconds since 1970.
    public var timeMilliseconds: UInt64
    /// The event as one line for people.
    public var text: String

    public init(_ event: NodeEvent) {
        sequence = event.sequence
        kind = event.event.kind.rawValue
        node = event.event.node.description
        partition = event.event.partition
        epoch = event.event.epoch?.rawValue
        peer = event.event.peer?.description
        detail = event.event.detail
        timeMilliseconds = event.wallMilliseconds
        text = event.event.description
    }

    enum CodingKeys: String, CodingKey {
        case sequence, kind, node, partition, epoch, peer, detail, text
        case timeMilliseconds = "time_ms"
    }
}
