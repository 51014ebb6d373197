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
