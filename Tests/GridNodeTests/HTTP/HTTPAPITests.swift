import Foundation
import GridCore
import Logging
import NIOCore
import NIOPosix
import Testing

@testable import GridNode

/// The API's status codes and error shapes, over a real socket, against a scripted node.
@Suite("HTTP API")
struct HTTPAPITests {
    static let token = "t0ken"
    static let auth = [("Authorization", "Bearer \(token)")]

    /// Runs `body` against a server on a free port answering with `answer`.
    static func withServer(
        answer: @escaping @Sendable (ClientRequest) -> ClientResponse = { _ in .failed(.invalid(reason: "unused")) },
        _ body: (String, ScriptedNode) async throws -> Void
    ) async throws {
        let node = ScriptedNode(answer: answer)
        let router = APIRouter.make(api: node, token: token, limits: RequestLimits(), node: "0000000000000001")
        let server = try await HTTPServer.start(
            host: "127.0.0.1", port: 0, router: router, group: MultiThreadedEventLoopGroup.singleton,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        do {
            try await body("http://127.0.0.1:\(server.port)", node)
        } catch {
            await server.stop(graceful: false)
            throw error
        }
        await server.stop(graceful: true)
    }

    @Test func aWriteAnswersItsReceipt() async throws {
        let receipt = WriteReceipt(partition: 12, epoch: Epoch(rawValue: 2 << 10 | 1), lsn: 7, node: NodeID(0xbeef))
        try await Self.withServer(answer: { _ in .written(receipt) }) { url, node in
            let reply = try await HTTPTestClient.post(
                "\(url)/items", #"{"partition_key":"user","range_key":"42","message":"hello"}"#)
            #expect(reply.status == 200)
            #expect(try reply.decode(WriteReceiptBody.self) == WriteReceiptBody(receipt))
            #expect(reply.json["node"] as? String == "000000000000beef")
            let request = node.log.withLock { $0.requests.first }
            #expect(request == .write(key: ItemKey(partitionKey: "user", rangeKey: "42"), mutation: .put("hello")))
        }
    }

    @Test func malformedAndInvalidBodiesAre400() async throws {
        try await Self.withServer { url, node in
            let malformed = try await HTTPTestClient.post("\(url)/items", "{not json")
            #expect(malformed.status == 400)
            #expect(malformed.json["code"] as? String == "malformed_json")
            let missing = try await HTTPTestClient.post("\(url)/items", #"{"partition_key":"a"}"#)
            #expect(missing.status == 400)
            #expect(missing.json["code"] as? String == "invalid_request")
            let wrongType = try await HTTPTestClient.post("\(url)/items", #"{"partition_key":1,"message":"m"}"#)
            #expect(wrongType.status == 400)
            let emptyKey = try await HTTPTestClient.post("\(url)/items", #"{"partition_key":"","message":"m"}"#)
            #expect(emptyKey.status == 400)
            #expect(emptyKey.json["error"] as? String != nil)
            #expect(node.log.withLock { $0.requests.isEmpty })
        }
    }

    @Test func oversizedKeysValuesAndBodiesAre413() async throws {
        try await Self.withServer { url, _ in
            let key = String(repeating: "k", count: 1_025)
            let longKey = try await HTTPTestClient.post("\(url)/items", #"{"partition_key":"\#(key)","message":"m"}"#)
            #expect(longKey.status == 413)
            #expect(longKey.json["code"] as? String == "key_too_large")
            let value = String(repeating: "v", count: 64 * 1_024 + 1)
            let longValue = try await HTTPTestClient.post(
                "\(url)/items", #"{"partition_key":"k","message":"\#(value)"}"#)
            #expect(longValue.status == 413)
            #expect(longValue.json["code"] as? String == "value_too_large")
            let huge = String(repeating: "x", count: 128 * 1_024 + 1)
            let longBody = try await HTTPTestClient.post("\(url)/items", #"{"partition_key":"k","message":"\#(huge)"}"#)
            #expect(longBody.status == 413)
            #expect(longBody.json["code"] as? String == "body_too_large")
        }
    }

    @Test func unknownRoutesAndMissingItemsAre404WithJSON() async throws {
        let empty = ReadResult(partition: 3, node: NodeID(1), epoch: Epoch(rawValue: 1 << 10), items: [])
        try await Self.withServer(answer: { _ in .read(empty) }) { url, node in
            let route = try await HTTPTestClient.get("\(url)/no/such/route")
            #expect(route.status == 404)
            #expect(route.json["code"] as? String == "not_found")
            let item = try await HTTPTestClient.get("\(url)/items/a%2Fb/c%20d")
            #expect(item.status == 404)
            #expect(item.json["code"] as? String == "item_not_found")
            #expect(item.json["partition"] as? Int == 3)
            #expect(node.log.withLock { $0.requests } == [.read(partitionKey: "a/b", rangeKey: "c d")])
            let all = try await HTTPTestClient.get("\(url)/items/a%2Fb")
            #expect(all.status == 200)
            #expect((all.json["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func readsListItemsWithWhereTheyWereWritten() async throws {
        let item = Item(
            key: ItemKey(partitionKey: "p"), value: "v", epoch: Epoch(rawValue: 1 << 10), lsn: 4,
            hlc: HybridTimestamp(wallMilliseconds: 1_700_000_000_000, counter: 3))
        let result = ReadResult(partition: 1, node: NodeID(2), epoch: Epoch(rawValue: 1 << 10), items: [item])
        try await Self.withServer(answer: { _ in .read(result) }) { url, _ in
            let reply = try await HTTPTestClient.get("\(url)/items/p")
            #expect(reply.status == 200)
            let items = try #require(reply.json["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items[0]["range_key"] is NSNull)
            #expect(items[0]["message"] as? String == "v")
            #expect(items[0]["hlc"] as? String == "1700000000000.3")
            #expect(reply.json["node"] as? String == "0000000000000002")
        }
    }

    @Test func aLockedPartitionIs503WithRetryAfter() async throws {
        try await Self.withServer(answer: { _ in .failed(.locked(partition: 5, retryAfterMilliseconds: 1_500)) }) {
            url, _ in
            let reply = try await HTTPTestClient.send(.DELETE, "\(url)/items/a/b")
            #expect(reply.status == 503)
            #expect(reply.headers.first(name: "Retry-After") == "2")
            #expect(reply.json["code"] as? String == "partition_locked")
            #expect(reply.json["partition"] as? Int == 5)
            #expect(reply.json["retry_after_ms"] as? Int == 1_500)
            #expect(reply.json["error"] as? String != nil)
        }
    }

    @Test func unavailableNamesTheLeaderAndIndeterminateIs504() async throws {
        let unavailable = ClientResponse.failed(
            .unavailable(partition: 2, reason: "leadership is moving", leader: ScriptedNode.leader))
        try await Self.withServer(answer: { _ in unavailable }) { url, _ in
            let reply = try await HTTPTestClient.post("\(url)/items", #"{"partition_key":"k","message":"m"}"#)
            #expect(reply.status == 503)
            #expect(reply.json["code"] as? String == "unavailable")
            #expect(reply.json["leader"] as? String == ScriptedNode.leader.description)
            #expect(reply.json["leader_http"] as? String == "10.0.0.7:8080")
        }
        let indeterminate = ClientResponse.failed(.indeterminate(partition: 2, reason: "replicas did not answer"))
        try await Self.withServer(answer: { _ in indeterminate }) { url, _ in
            let reply = try await HTTPTestClient.post("\(url)/items", #"{"partition_key":"k","message":"m"}"#)
            #expect(reply.status == 504)
            #expect(reply.json["code"] as? String == "write_indeterminate")
        }
    }

    @Test func adminRoutesNeedTheToken() async throws {
        try await Self.withServer { url, node in
            let none = try await HTTPTestClient.post("\(url)/cluster/resize", #"{"size":4}"#)
            #expect(none.status == 401)
            #expect(none.json["code"] as? String == "unauthorized")
            let wrong = try await HTTPTestClient.post(
                "\(url)/admin/shutdown", #"{"mode":"crash"}"#, headers: [("Authorization", "Bearer nope")])
            #expect(wrong.status == 401)
            let delay = try await HTTPTestClient.post("\(url)/admin/ack-delay", #"{"ms":2500}"#, headers: Self.auth)
            #expect(delay.status == 200)
            #expect(delay.json["ack_delay_ms"] as? Int == 2_500)
            let negative = try await HTTPTestClient.post("\(url)/admin/ack-delay", #"{"ms":-1}"#, headers: Self.auth)
            #expect(negative.status == 400)
            #expect(node.log.withLock { $0.delays } == [2_500])
            #expect(node.log.withLock { $0.stops.isEmpty && $0.requests.isEmpty })
        }
    }

    @Test func shutdownAnswersFirstThenStops() async throws {
        try await Self.withServer { url, node in
            let bad = try await HTTPTestClient.post("\(url)/admin/shutdown", #"{"mode":"later"}"#, headers: Self.auth)
            #expect(bad.status == 400)
            let reply = try await HTTPTestClient.post("\(url)/admin/shutdown", #"{"mode":"crash"}"#, headers: Self.auth)
            #expect(reply.status == 202)
            #expect(reply.json["mode"] as? String == "crash")
            #expect(await eventually { node.log.withLock { $0.stops } == [.crash] })
        }
    }

    @Test func resizeConflictsAre409WithTheSeedsMessage() async throws {
        let rejected = ClientResponse.failed(
            .resizeRejected(code: "handshake_in_progress", reason: ClientFailure.handshakeInProgressMessage))
        try await Self.withServer(answer: { _ in rejected }) { url, node in
            let reply = try await HTTPTestClient.post("\(url)/cluster/resize", #"{"size":4}"#, headers: Self.auth)
            #expect(reply.status == 409)
            #expect(reply.json["code"] as? String == "handshake_in_progress")
            #expect(reply.json["error"] as? String == "Cannot resize: partition leadership handshake in progress")
            #expect(node.log.withLock { $0.requests } == [.resize(size: 4, expectedVersion: nil)])
        }
        let invalid = ClientResponse.failed(.invalid(reason: "size 1 is below the replication factor 3"))
        try await Self.withServer(answer: { _ in invalid }) { url, _ in
            let reply = try await HTTPTestClient.post("\(url)/cluster/resize", #"{"size":1}"#, headers: Self.auth)
            #expect(reply.status == 400)
        }
        let resized = ClientResponse.resized(
            ClusterConfig(name: "c", size: 4, partitionCount: 64, replicationFactor: 3, version: 2))
        try await Self.withServer(answer: { _ in resized }) { url, _ in
            let reply = try await HTTPTestClient.post(
                "\(url)/cluster/resize", #"{"size":4,"expected_version":1}"#, headers: Self.auth)
            #expect(reply.status == 200)
            #expect(reply.json["config_version"] as? Int == 2)
            #expect(reply.json["size"] as? Int == 4)
        }
    }

    @Test func metricsAndEventsStream() async throws {
        try await Self.withServer { url, node in
            let metrics = try await HTTPTestClient.get("\(url)/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)
            #expect(metrics.body.contains("gossipgrid_test 1"))
            let event = GridEvent(.locked, node: NodeID(3), partition: 9, epoch: Epoch(rawValue: 1 << 10 | 2))
            node.feed.yield(NodeEvent(event: event, wallMilliseconds: 1_700_000_000_000, sequence: 1))
            node.feed.finish()
            let stream = try await HTTPTestClient.get("\(url)/cluster/events")
            #expect(stream.status == 200)
            #expect(stream.headers.first(name: "Content-Type") == "text/event-stream")
            #expect(stream.body.contains("event: locked\n"))
            #expect(stream.body.contains(#""partition":9"#))
        }
    }
}
