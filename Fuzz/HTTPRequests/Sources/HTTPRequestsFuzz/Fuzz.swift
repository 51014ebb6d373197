// libFuzzer entry point for the node's HTTP request handling. Each input is the raw bytes a
// client sends on one connection (one request or several, well formed or not). They go
// through what a real connection runs, only without a socket: an embedded channel with
// HTTPServer's own HTTP1Channel (NIO's HTTP/1 parser, Hummingbird's HTTP/1 handler) and the
// real router, routes and middleware, in front of an in-memory node. Built and run by
// scripts/fuzz-http.sh; the checks below trap on any answer the API must never give.
import Dispatch
import Foundation
import GridCore
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOEmbedded
import Synchronization

@testable import GridNode

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let finished = DispatchSemaphore(value: 0)
    Task {
        await Harness.shared.exchange(input)
        finished.signal()
    }
    finished.wait()
    return 0
}

/// What the node's responder saw of one request, and what it answered.
struct Exchange: Sendable {
    var method: HTTPRequest.Method
    var path: String
    var authorization: String?
    /// What the request asked of the node.
    var calls: [MemoryNode.Call] = []
    /// nil when an error came out of the router: JSONErrorMiddleware should have caught it.
    var status: HTTPResponse.Status?
}

final class ExchangeLog: Sendable {
    let exchanges = Mutex<[Exchange]>([])
}

/// The router's responder, noting each request and its answer before the answer is written.
struct RecordingResponder<Inner: HTTPResponder<BasicRequestContext>>: HTTPResponder {
    let inner: Inner
    let node: MemoryNode
    let log: ExchangeLog

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let before = node.calls.count
        var exchange = Exchange(
            method: request.method, path: request.uri.path, authorization: request.headers[.authorization])
        do {
            let response = try await inner.respond(to: request, context: context)
            exchange.status = response.status
            exchange.calls = Array(node.calls.dropFirst(before))
            log.exchanges.withLock { $0.append(exchange) }
            return response
        } catch {
            exchange.calls = Array(node.calls.dropFirst(before))
            log.exchanges.withLock { $0.append(exchange) }
            throw error
        }
    }
}

final class Harness: Sendable {
    static let shared = Harness()
    static let token = "fuzz-t0ken"

    let node = MemoryNode()
    let limits = RequestLimits()
    let logger = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
    let responder: RecordingResponder<RouterResponder<BasicRequestContext>>
    let http1: HTTP1Channel

    private init() {
        let router = APIRouter.make(api: node, token: Self.token, limits: limits, node: MemoryNode.id.description)
        responder = RecordingResponder(inner: router.buildResponder(), node: node, log: ExchangeLog())
        http1 = HTTPServer.channel(responder: responder, logger: logger)
    }

    /// Sends `input` on a fresh connection, closes the client's side (as a client that has
    /// sent everything does; the server allows half-closure), and checks all it answered.
    func exchange(_ input: [UInt8]) async {
        node.reset()
        responder.log.exchanges.withLock { $0 = [] }
        let channel = NIOAsyncTestingChannel()
        let value: HTTP1Channel.Value
        do {
            value = try await channel.eventLoop.flatSubmit { self.http1.setup(channel: channel, logger: self.logger) }
                .get()
        } catch {
            fatalError("the HTTP/1 pipeline could not be set up: \(error)")
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.http1.handle(value: value, logger: self.logger) }
            // NIO's parser errors come out of writeInbound too; Hummingbird answers them.
            _ = try? await channel.writeInbound(ByteBuffer(bytes: input))
            channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
            await group.waitForAll()
        }
        var output: [UInt8] = []
        while let part = try? await channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(let buffer) = part else { fatalError("the server wrote a file region") }
            output += buffer.readableBytesView
        }
        let exchanges = responder.log.exchanges.withLock { $0 }
        do {
            try check(output, exchanges)
        } catch {
            fatalError(
                """
                \(error)
                requests: \(exchanges.map { "\($0.method) \($0.path.debugDescription) -> \($0.status.map { "\($0.code)" } ?? "threw")" })
                output: \(String(decoding: output, as: UTF8.self).debugDescription)
                """)
        }
    }

    private func check(_ output: [UInt8], _ exchanges: [Exchange]) throws {
        var reader = WireReader(output)
        for (number, exchange) in exchanges.enumerated() {
            guard let response = try reader.next(headRequest: exchange.method == .head) else {
                throw Failure("request \(number) got no response")
            }
            try check(response, exchange)
        }
        // After the requests the router answered, at most Hummingbird's own answer to bytes
        // NIO's parser rejected: a bare 400 that closes the connection.
        if let rejected = try reader.next(headRequest: false) {
            guard rejected.status == 400, rejected.body.isEmpty, rejected.header("connection") == "close" else {
                throw Failure("a response no request asked for: \(rejected.status)")
            }
        }
        guard reader.atEnd else { throw Failure("bytes after the last response") }
    }

    private func check(_ response: WireResponse, _ exchange: Exchange) throws {
        guard let status = exchange.status else { throw Failure("an error got past JSONErrorMiddleware") }
        guard response.status == status.code else {
            throw Failure("the router answered \(status.code), the wire says \(response.status)")
        }
        for call in exchange.calls {
            guard case .submit(let request) = call else { continue }
            try checkReachesNode(request)
        }
        switch response.status {
        case 200..<300:
            try checkSuccess(response, exchange)
        case 400..<500:
            guard exchange.method != .head else { return }
            guard response.header("content-type")?.hasPrefix("application/json") == true,
                let body = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                body["code"] is String, body["error"] is String
            else {
                throw Failure(
                    "a \(response.status) whose body is not the JSON error shape: \(String(decoding: response.body, as: UTF8.self))"
                )
            }
        default:
            // The in-memory node answers everything at once and never fails: a 5xx can only
            // come from the request itself, and a bad request is the client's error.
            throw Failure("status \(response.status) for \(exchange.method) \(exchange.path)")
        }
    }

    /// Whatever reaches the node must be something the wire codec can carry.
    private func checkReachesNode(_ request: ClientRequest) throws {
        func valid(_ key: String?, optional: Bool) -> Bool {
            guard let key else { return optional }
            return !key.isEmpty && key.utf8.count <= limits.keyBytes
        }
        switch request {
        case .write(let key, let mutation):
            guard valid(key.partitionKey, optional: false), valid(key.rangeKey, optional: true) else {
                throw Failure("an invalid key reached the node: \(key)")
            }
            if case .put(let value) = mutation, value.utf8.count > limits.valueBytes {
                throw Failure("a value over the limit reached the node")
            }
        case .read(let partitionKey, let rangeKey):
            guard valid(partitionKey, optional: false), valid(rangeKey, optional: true) else {
                throw Failure("an invalid read reached the node: \(partitionKey) \(rangeKey ?? "-")")
            }
        case .resize(let size, _):
            guard size >= 1 else { throw Failure("resize to \(size) reached the node") }
        }
    }

    /// A 2xx only for a request that is a valid use of a route, and which the node really
    /// carried out: the route's method and path, the token on admin routes, and the
    /// matching request in the node's log.
    private func checkSuccess(_ response: WireResponse, _ exchange: Exchange) throws {
        let parts = exchange.path.split(separator: "/").map(String.init)
        let method = exchange.method
        let reads = method == .get || method == .head
        let authorized = exchange.authorization == "Bearer \(Self.token)"
        let submits = exchange.calls.compactMap { call -> ClientRequest? in
            if case .submit(let request) = call { request } else { nil }
        }
        let expected: HTTPResponse.Status
        switch parts {
        case ["cluster", "status"] where reads, ["cluster", "topology"] where reads,
            ["cluster", "events"] where reads, ["metrics"] where reads:
            guard submits.isEmpty else { throw Failure("a read of \(exchange.path) submitted \(submits)") }
            expected = .ok
        case ["items"] where method == .post:
            guard submits.count == 1, case .write(_, .put) = submits[0] else {
                throw Failure("a 2xx write that asked the node \(submits)")
            }
            expected = .ok
        case ["cluster", "resize"] where method == .post && authorized:
            guard submits.count == 1, case .resize = submits[0] else {
                throw Failure("a 2xx resize that asked the node \(submits)")
            }
            expected = .ok
        case ["admin", "ack-delay"] where method == .post && authorized:
            guard exchange.calls.count == 1, case .acknowledgmentDelay(let ms) = exchange.calls[0],
                (0...600_000).contains(ms)
            else { throw Failure("a 2xx ack-delay that asked the node \(exchange.calls)") }
            expected = .ok
        case ["admin", "shutdown"] where method == .post && authorized:
            expected = .accepted
        case _ where parts.first == "items" && (parts.count == 2 || parts.count == 3) && (reads || method == .delete):
            let rangeKey = parts.count == 3 ? parts[2].removingPercentEncoding : nil
            guard let partitionKey = parts[1].removingPercentEncoding, parts.count == 2 || rangeKey != nil
            else { throw Failure("\(response.status) for \(method) \(exchange.path), whose keys do not decode") }
            let asked: ClientRequest =
                reads
                ? .read(partitionKey: partitionKey, rangeKey: rangeKey)
                : .write(
                    key: ItemKey(partitionKey: partitionKey, rangeKey: rangeKey),
                    mutation: parts.count == 3 ? .delete : .deleteAll)
            guard submits == [asked] else { throw Failure("\(method) \(exchange.path) asked the node \(submits)") }
            expected = .ok
        default:
            throw Failure("\(response.status) for \(method) \(exchange.path), which is no valid use of a route")
        }
        guard response.status == expected.code else {
            throw Failure("\(response.status) for \(method) \(exchange.path), expected \(expected.code)")
        }
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
