import AsyncHTTPClient
import Foundation
import GridCore
import GridNode
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A node's HTTP address as an operator types it: `HOST:PORT`, `[V6]:PORT`, or a full
/// `http://HOST:PORT` URL.
public struct GridEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// `http://HOST:PORT`, with no trailing slash.
    public let baseURL: String
    /// `HOST:PORT`, as nodes advertise it in `nodes[].http`.
    public let address: String

    public init?(_ text: String) {
        var text = text.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("/") { text.removeLast() }
        guard !text.isEmpty else { return nil }
        let url: String
        if let scheme = text.range(of: "://") {
            guard ["http", "https"].contains(text[..<scheme.lowerBound].lowercased()) else { return nil }
            url = text
        } else {
            url = "http://" + text
        }
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty,
            let port = components.port, (1...65_535).contains(port), components.path.isEmpty,
            components.query == nil
        else { return nil }
        baseURL = url
        // Some URL parsers keep an IPv6 literal's brackets in the host, some drop them.
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        address = (bare.contains(":") ? "[\(bare)]" : bare) + ":\(port)"
    }

    /// Parses `HOST:PORT[,HOST:PORT...]`; the error names the first bad entry.
    public static func list(_ text: String) -> Result<[GridEndpoint], GridHTTPError> {
        let entries = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !entries.isEmpty else { return .failure(.invalidAddress(text)) }
        var endpoints: [GridEndpoint] = []
        for entry in entries {
            guard let endpoint = GridEndpoint(entry) else { return .failure(.invalidAddress(entry)) }
            if !endpoints.contains(endpoint) { endpoints.append(endpoint) }
        }
        return .success(endpoints)
    }

    public var description: String { address }
}

/// Why a request to a node did not give the answer asked for. `description` is one line
/// for a person; an error the node answered with carries the node's own message verbatim.
public enum GridHTTPError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidAddress(String)
    /// The node answered with a JSON error (`{"code", "error", ...}`).
    case api(status: Int, code: String, message: String, partition: Int?)
    /// The node answered with an error status and a body that is not a JSON error.
    case http(status: Int, body: String)
    /// No answer: connection refused, reset, or no route.
    case unreachable(address: String, reason: String)
    case timedOut(address: String)
    /// An answer that could not be read (not the JSON expected).
    case malformedResponse(address: String, reason: String)

    public var description: String {
        switch self {
        case .invalidAddress(let text): "'\(text)' is not HOST:PORT"
        case .api(_, _, let message, _): message
        case .http(let status, let body):
            body.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(body.prefix(200))"
        case .unreachable(let address, let reason): "cannot reach \(address): \(reason)"
        case .timedOut(let address): "\(address) did not answer in time"
        case .malformedResponse(let address, let reason): "unexpected answer from \(address): \(reason)"
        }
    }

    /// The HTTP status, when the node answered.
    public var status: Int? {
        switch self {
        case .api(let status, _, _, _), .http(let status, _): status
        default: nil
        }
    }

    /// The stable `code` of a JSON error.
    public var code: String? {
        if case .api(_, let code, _, _) = self { return code }
        return nil
    }

    /// True when the node answered at all (as opposed to a transport failure).
    public var isAnswer: Bool { status != nil }
}

/// A successful write (`POST /items`, `DELETE /items/...`).
public struct GridWriteReceipt: Codable, Hashable, Sendable {
    public var partition: Int
    public var epoch: UInt64
    public var lsn: UInt64
    public var node: String
}

/// One stored item as a read returns it.
public struct GridItem: Codable, Hashable, Sendable {
    public var partitionKey: String
    public var rangeKey: String?
    public var message: String
    public var epoch: UInt64
    public var lsn: UInt64
    public var hlc: String

    enum CodingKeys: String, CodingKey {
        case message, epoch, lsn, hlc
        case partitionKey = "partition_key"
        case rangeKey = "range_key"
    }
}

/// A read (`GET /items/...`): which node and epoch served it, and the items.
public struct GridReadResult: Codable, Hashable, Sendable {
    public var partition: Int
    public var node: String
    public var epoch: UInt64
    public var items: [GridItem]
}

/// `POST /admin/shutdown` accepted.
public struct GridShutdownReply: Codable, Hashable, Sendable {
    public var status: String
    public var mode: String
    public var node: String
}

/// The raw answer of one request.
public struct GridHTTPReply: Sendable {
    public var status: Int
    public var body: Data

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// The small HTTP client the console and the command line share: one request per call,
/// bearer token when set, JSON errors decoded.
public struct GridHTTPClient: Sendable {
    public var token: String?
    /// The longest any one request may take, connection included.
    public var timeout: Duration
    private let client: HTTPClient
    private let ownsClient: Bool

    /// Bodies above this are refused rather than buffered.
    static let maximumBodyBytes = 32 << 20

    /// A client of its own, tuned for talking to nodes: a refused connection fails at once
    /// instead of being retried until the timeout (so a dead node shows as dead), and no
    /// redirects. Call `shutdown()` when done with it.
    public init(token: String? = nil, timeout: Duration = .seconds(5)) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: Self.timeAmount(min(timeout, .seconds(3))), read: nil)
        self.token = token
        self.timeout = timeout
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.ownsClient = true
    }

    /// Over a client the caller owns and shuts down, `HTTPClient.shared` for example.
    public init(token: String? = nil, timeout: Duration = .seconds(5), client: HTTPClient) {
        self.token = token
        self.timeout = timeout
        self.client = client
        self.ownsClient = false
    }

    /// Shuts the client down if this value made it; requests after this fail.
    public func shutdown() async {
        guard ownsClient else { return }
        try? await client.shutdown()
    }

    /// Runs `body` with a client of its own, shut down however `body` ends.
    public static func with<Value: Sendable>(
        token: String? = nil, timeout: Duration = .seconds(5), _ body: (GridHTTPClient) async throws -> Value
    ) async throws -> Value {
        let client = GridHTTPClient(token: token, timeout: timeout)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    // MARK: The API

    /// `GET /cluster/status`.
    public func status(of endpoint: GridEndpoint) async throws(GridHTTPError) -> ClusterStatus {
        try decode(ClusterStatus.self, from: try await expectSuccess(.GET, endpoint, "/cluster/status"), endpoint)
    }

    /// `GET /cluster/status` as the node wrote it.
    public func rawStatus(of endpoint: GridEndpoint) async throws(GridHTTPError) -> String {
        try await expectSuccess(.GET, endpoint, "/cluster/status").text
    }

    /// `POST /cluster/resize`: the new config, or `.api(409, "handshake_in_progress", ...)`.
    public func resize(
        _ endpoint: GridEndpoint, to size: Int, expectedVersion: UInt64? = nil
    ) async throws(GridHTTPError) -> ClusterStatus.Cluster {
        let body = Self.json(ResizeBody(size: size, expectedVersion: expectedVersion))
        let reply = try await expectSuccess(.POST, endpoint, "/cluster/resize", body: body)
        return try decode(ClusterStatus.Cluster.self, from: reply, endpoint)
    }

    /// `POST /admin/shutdown`: the node stops after answering.
    public func shutdown(_ endpoint: GridEndpoint, crash: Bool) async throws(GridHTTPError) -> GridShutdownReply {
        let body = Self.json(["mode": crash ? "crash" : "graceful"])
        let reply = try await expectSuccess(.POST, endpoint, "/admin/shutdown", body: body)
        return try decode(GridShutdownReply.self, from: reply, endpoint)
    }

    /// `POST /admin/ack-delay`.
    public func setAcknowledgmentDelay(_ endpoint: GridEndpoint, milliseconds: Int) async throws(GridHTTPError) {
        _ = try await expectSuccess(.POST, endpoint, "/admin/ack-delay", body: Self.json(["ms": milliseconds]))
    }

    /// `POST /items`.
    public func write(
        _ endpoint: GridEndpoint, partitionKey: String, rangeKey: String? = nil, message: String
    ) async throws(GridHTTPError) -> GridWriteReceipt {
        try decode(
            GridWriteReceipt.self, from: try await writeReply(endpoint, partitionKey, rangeKey, message), endpoint)
    }

    /// `POST /items`, the body as the node wrote it.
    public func writeRaw(
        _ endpoint: GridEndpoint, partitionKey: String, rangeKey: String? = nil, message: String
    ) async throws(GridHTTPError) -> String {
        try await writeReply(endpoint, partitionKey, rangeKey, message).text
    }

    /// `GET /items/{pk}` or `GET /items/{pk}/{rk}`.
    public func read(
        _ endpoint: GridEndpoint, partitionKey: String, rangeKey: String? = nil
    ) async throws(GridHTTPError) -> GridReadResult {
        try decode(GridReadResult.self, from: try await readReply(endpoint, partitionKey, rangeKey), endpoint)
    }

    /// `GET /items/...`, the body as the node wrote it.
    public func readRaw(
        _ endpoint: GridEndpoint, partitionKey: String, rangeKey: String? = nil
    ) async throws(GridHTTPError) -> String {
        try await readReply(endpoint, partitionKey, rangeKey).text
    }

    /// Follows `GET /cluster/events` until the node closes it, the connection fails (the
    /// stream throws), or the consuming task is cancelled.
    public func events(of endpoint: GridEndpoint) -> AsyncThrowingStream<GridEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await self.followEvents(endpoint) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    // MARK: Requests

    private func writeReply(
        _ endpoint: GridEndpoint, _ partitionKey: String, _ rangeKey: String?, _ message: String
    ) async throws(GridHTTPError) -> GridHTTPReply {
        let body = Self.json(WriteItemBody(partitionKey: partitionKey, rangeKey: rangeKey, message: message))
        return try await expectSuccess(.POST, endpoint, "/items", body: body)
    }

    private func readReply(
        _ endpoint: GridEndpoint, _ partitionKey: String, _ rangeKey: String?
    ) async throws(GridHTTPError) -> GridHTTPReply {
        var path = "/items/" + Self.pathComponent(partitionKey)
        if let rangeKey { path += "/" + Self.pathComponent(rangeKey) }
        return try await expectSuccess(.GET, endpoint, path)
    }

    /// Sends one request; a status of 300 or more becomes the matching error.
    public func expectSuccess(
        _ method: HTTPMethod, _ endpoint: GridEndpoint, _ path: String, body: Data? = nil
    ) async throws(GridHTTPError) -> GridHTTPReply {
        let reply = try await send(method, endpoint, path, body: body)
        guard reply.status < 300 else { throw Self.error(status: reply.status, body: reply.body) }
        return reply
    }

    /// Sends one request and returns whatever the node answered; only a transport failure
    /// or the timeout throws.
    public func send(
        _ method: HTTPMethod, _ endpoint: GridEndpoint, _ path: String, body: Data? = nil
    ) async throws(GridHTTPError) -> GridHTTPReply {
        let request = makeRequest(method, endpoint, path, body: body)
        let client = self.client
        let timeout = self.timeout
        do {
            return try await Self.withTimeout(timeout) {
                let response = try await client.execute(request, timeout: Self.timeAmount(timeout))
                let bytes = try await response.body.collect(upTo: Self.maximumBodyBytes)
                return GridHTTPReply(status: Int(response.status.code), body: Data(bytes.readableBytesView))
            }
        } catch {
            throw Self.transportError(error, endpoint: endpoint)
        }
    }

    private func makeRequest(
        _ method: HTTPMethod, _ endpoint: GridEndpoint, _ path: String, body: Data?
    ) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: endpoint.baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: path == "/cluster/events" ? "text/event-stream" : "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        return request
    }

    private func followEvents(_ endpoint: GridEndpoint, _ deliver: @Sendable (GridEvent) -> Void) async throws {
        let request = makeRequest(.GET, endpoint, "/cluster/events", body: nil)
        let client = self.client
        // Only the answer's head is bounded; the stream itself stays open for as long as the node runs.
        let response: HTTPClientResponse
        do {
            response = try await Self.withTimeout(timeout) {
                try await client.execute(request, timeout: Self.timeAmount(self.timeout))
            }
        } catch {
            throw Self.transportError(error, endpoint: endpoint)
        }
        guard response.status.code < 300 else {
            let bytes = (try? await response.body.collect(upTo: 1 << 16)).map { Data($0.readableBytesView) } ?? Data()
            throw Self.error(status: Int(response.status.code), body: bytes)
        }
        var parser = ServerSentEventParser()
        do {
            for try await buffer in response.body {
                for data in parser.feed(buffer.readableBytesView) {
                    if let event = Self.gridEvent(fromJSON: data) { deliver(event) }
                }
            }
        } catch {
            throw Self.transportError(error, endpoint: endpoint)
        }
    }

    // MARK: Encoding and decoding

    /// A request body as JSON; the bodies here are plain structs that always encode.
    static func json(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    private func decode<T: Decodable>(
        _ type: T.Type, from reply: GridHTTPReply, _ endpoint: GridEndpoint
    ) throws(GridHTTPError) -> T {
        do {
            return try JSONDecoder().decode(type, from: reply.body)
        } catch {
            throw .malformedResponse(address: endpoint.address, reason: "not the JSON expected (\(error))")
        }
    }

    /// The error for a non-success answer: the node's JSON error when it sent one.
    public static func error(status: Int, body: Data) -> GridHTTPError {
        struct ErrorBody: Decodable {
            var code: String
            var error: String
            var partition: Int?
        }
        if let decoded = try? JSONDecoder().decode(ErrorBody.self, from: body) {
            return .api(status: status, code: decoded.code, message: decoded.error, partition: decoded.partition)
        }
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return .http(status: status, body: text)
    }

    /// One server-sent event's JSON (`{"kind", "node", "partition"?, ...}`) as a GridEvent;
    /// nil for a kind or node id this build does not know.
    static func gridEvent(fromJSON data: Data) -> GridEvent? {
        struct EventBody: Decodable {
            var kind: String
            var node: String
            var partition: Int?
            var epoch: UInt64?
            var peer: String?
            var detail: String?
        }
        guard let body = try? JSONDecoder().decode(EventBody.self, from: data),
            let kind = GridEvent.Kind(rawValue: body.kind), let node = NodeID(hex: body.node)
        else { return nil }
        return GridEvent(
            kind, node: node, partition: body.partition, epoch: body.epoch.map { Epoch(rawValue: $0) },
            peer: body.peer.flatMap { NodeID(hex: $0) }, detail: body.detail ?? "")
    }

    /// Unreserved characters only, so any key (one with `/` or `%` in it included) survives.
    static func pathComponent(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    // MARK: Transport

    private struct TimeoutError: Error {}

    private static func withTimeout<T: Sendable>(
        _ duration: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: duration)
                throw TimeoutError()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw TimeoutError() }
            return first
        }
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    static func transportError(_ error: any Error, endpoint: GridEndpoint) -> GridHTTPError {
        if let error = error as? GridHTTPError { return error }
        if error is TimeoutError || error is CancellationError { return .timedOut(address: endpoint.address) }
        return .unreachable(address: endpoint.address, reason: reason(error))
    }

    /// A short lowercase reason for a transport error: "connection refused", not a dump.
    static func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .connectTimeout { return "timed out" }
            return error.shortDescription.lowercased()
        }
        if let error = error as? NIOConnectionError {
            if let dns = error.dnsAError ?? error.dnsAAAAError { return "cannot resolve the host (\(dns))" }
            if let first = error.connectionErrors.first { return reason(first.error) }
            return "cannot connect"
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        return String(describing: error)
    }
}

/// Splits a `text/event-stream` body into the data of each event (the `data:` lines of
/// one event joined by newlines). Comments and other fields are skipped.
struct ServerSentEventParser {
    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false

    mutating func feed(_ bytes: some Sequence<UInt8>) -> [Data] {
        var events: [Data] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                if let event = finishLine() { events.append(event) }
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
            }
        }
        return events
    }

    private mutating func finishLine() -> Data? {
        if line.isEmpty {
            defer {
                data.removeAll(keepingCapacity: true)
                hasData = false
            }
            return hasData ? Data(data) : nil
        }
        let prefix = Array("data:".utf8)
        guard line.starts(with: prefix) else { return nil }
        var value = line.dropFirst(prefix.count)
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        if hasData { data.append(UInt8(ascii: "\n")) }
        data.append(contentsOf: value)
        hasData = true
        return nil
    }
}
