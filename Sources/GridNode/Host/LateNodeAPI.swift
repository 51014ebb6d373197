import GridCore
import Synchronization

/// The API of a node that is still being built: the HTTP server must be listening before
/// the node exists, because its port goes into the node's record. A request that arrives
/// in between waits for the node (a few milliseconds) rather than seeing a half-made one.
final class LateNodeAPI: NodeAPI {
    private struct State {
        var node: (any NodeAPI)?
        var failed = false
        var waiting: [CheckedContinuation<(any NodeAPI)?, Never>] = []
    }

    private let state = Mutex(State())

    func bind(_ node: any NodeAPI) {
        let waiting = state.withLock { state in
            state.node = node
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume(returning: node) }
    }

    /// The node never came up; waiting requests get a refusal.
    func fail() {
        let waiting = state.withLock { state in
            state.failed = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume(returning: nil) }
    }

    private func node() async -> (any NodeAPI)? {
        if let ready = state.withLock({ $0.failed ? nil : $0.node }) { return ready }
        return await withCheckedContinuation { continuation in
            let now = state.withLock { state -> (ready: Bool, node: (any NodeAPI)?) in
                if state.failed || state.node != nil { return (true, state.node) }
                state.waiting.append(continuation)
                return (false, nil)
            }
            if now.ready { continuation.resume(returning: now.node) }
        }
    }

    func submit(_ request: ClientRequest) async -> ClientResponse {
        guard let node = await node() else {
            return .failed(.unavailable(partition: nil, reason: "the node failed to start", leader: nil))
        }
        return await node.submit(request)
    }

    func status() async -> ClusterStatus {
        guard let node = await node() else { return .unstarted }
        return await node.status()
    }

    func httpAddress(of peer: NodeID) async -> String? { await node()?.httpAddress(of: peer) }

    func setAcknowledgmentDelay(_ milliseconds: Int64) async { await node()?.setAcknowledgmentDelay(milliseconds) }

    func stop(mode: StopMode) async { await node()?.stop(mode: mode) }

    func events() -> AsyncStream<NodeEvent> {
        guard let node = state.withLock({ $0.node }) else { return AsyncStream { $0.finish() } }
        return node.events()
    }

    func metricsExposition() -> String { state.withLock { $0.node }?.metricsExposition() ?? "" }
}

extension ClusterStatus {
    /// The view of a node that failed to start; only a request racing its failure sees it.
    static let unstarted = ClusterStatus(
        cluster: Cluster(name: "", size: 0, partitions: 0, replication: 0, configVersion: 0),
        node: Answering(id: "", slot: -1, items: 0, fencing: "", leaseValid: false), nodes: [], partitions: [],
        handshakes: [])
}
