import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// The HTTP listener, run directly on HummingbirdCore's server so that the node can stop
/// it on its own schedule (gracefully, or at once for a crash) and can learn the port it
/// bound when asked for port 0.
final class HTTPServer: Sendable {
    let port: Int
    private let server: Server<HTTP1Channel>
    private let task: Task<Void, Never>

    private init(port: Int, server: Server<HTTP1Channel>, task: Task<Void, Never>) {
        self.port = port
        self.server = server
        self.task = task
    }

    static func start(
        host: String, port: Int, router: Router<BasicRequestContext>, group: any EventLoopGroup, logger: Logger
    ) async throws -> HTTPServer {
        let (started, starting) = AsyncStream.makeStream(of: Result<Int, any Error>.self)
        let server = Server(
            childChannelSetup: channel(responder: router.buildResponder(), logger: logger),
            configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                starting.yield(.success(channel.localAddress?.port ?? port))
                starting.finish()
            },
            eventLoopGroup: group, logger: logger)
        let task = Task {
            do {
                try await server.run()
            } catch {
                starting.yield(.failure(error))
            }
            starting.finish()
        }
        var results = started.makeAsyncIterator()
        switch await results.next() {
        case .success(let bound): return HTTPServer(port: bound, server: server, task: task)
        case .failure(let error): throw error
        case nil: throw NodeStartError.httpNotStarted
        }
    }

    /// What each accepted connection runs: NIO's HTTP/1 parser and Hummingbird's HTTP/1
    /// handler in front of `responder`. A responder that throws answers the API's 500, never
    /// a bare one. The HTTP fuzz target drives this same channel without a socket.
    static func channel(responder: some HTTPResponder<BasicRequestContext>, logger: Logger) -> HTTP1Channel {
        HTTP1Channel(
            responder: { request, writer, channel in
                let context = BasicRequestContext(source: .init(channel: channel, logger: logger))
                let response: Response
                do {
                    response = try await responder.respond(to: request, context: context)
                } catch {
                    response = APIError.internalError.response()
                }
                try await writer.write(response: response.head, body: response.body)
            },
            configuration: .init(idleTimeout: .seconds(120)))
    }

    /// Graceful: stop accepting, let requests in flight finish. Otherwise cut everything.
    func stop(graceful: Bool) async {
        if graceful {
            try? await server.shutdownGracefully()
        } else {
            task.cancel()
        }
        await task.value
    }
}
