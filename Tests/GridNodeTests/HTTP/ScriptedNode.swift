import GridCore
import Synchronization

@testable import GridNode

/// A stand-in node for the HTTP tests: answers each request as told and records what it
/// was asked to do.
final class ScriptedNode: NodeAPI {
    struct Log {
        var requests: [ClientRequest] = []
        var stops: [StopMode] = []
        var delays: [Int64] = []
    }

    static let leader = NodeID(0x00aa_bbcc_ddee_ff00)
    let log = Mutex(Log())
    private let answer: @Sendable (ClientRequest) -> ClientResponse
    private let stream: AsyncStream<NodeEvent>
    let feed: AsyncStream<NodeEvent>.Continuation

    init(answer: @escaping @Sendable (ClientRequest) -> ClientResponse) {
        self.answer = answer
        (stream, feed) = AsyncStream.makeStream(of: NodeEvent.self)
    }

    func submit(_ request: ClientRequest) async -> ClientResponse {
        log.withLock { $0.requests.append(request) }
        return answer(request)
    }

    func status() async -> ClusterStatus { .unstarted }

    func httpAddress(of node: NodeID) async -> String? { node == Self.leader ? "10.0.0.7:8080" : nil }

    func setAcknowledgmentDelay(_ milliseconds: Int64) async { log.withLock { $0.delays.append(milliseconds) } }

    func stop(mode: StopMode) async { log.withLock { $0.stops.append(mode) } }

    func events() -> AsyncStream<NodeEvent> { stream }

    func metricsExposition() -> String { "# TYPE gossipgrid_test counter\ngossipgrid_test 1\n" }
}
