import GridCore
import Synchronization

@testable import GridNode

/// The node behind the fuzzed API: items in a dictionary, every answer at once, and a log of
/// what it was asked, so the checks can tell which request reached the node with what.
final class MemoryNode: NodeAPI {
    enum Call: Hashable, Sendable {
        case submit(ClientRequest)
        case status
        case acknowledgmentDelay(Int64)
    }

    private struct State {
        var items: [ItemKey: Item] = [:]
        var config = ClusterConfig(name: "fuzz", size: 3, partitionCount: 16, replicationFactor: 3)
        var lsn: UInt64 = 0
        var calls: [Call] = []
    }

    static let id = NodeID(0xf0)
    static let epoch = Epoch(rawValue: 1 << 10)
    private let state = Mutex(State())

    /// Forgets everything, so that one input's outcome never depends on the inputs before it.
    func reset() { state.withLock { $0 = State() } }

    var calls: [Call] { state.withLock { $0.calls } }

    func submit(_ request: ClientRequest) async -> ClientResponse {
        state.withLock { state in
            state.calls.append(.submit(request))
            switch request {
            case .write(let key, let mutation):
                state.lsn += 1
                switch mutation {
                case .put(let value):
                    state.items[key] = Item(
                        key: key, value: value, epoch: Self.epoch, lsn: state.lsn,
                        hlc: HybridTimestamp(wallMilliseconds: 1_800_000_000_000, counter: UInt32(state.lsn % 1_000)))
                case .delete:
                    state.items[key] = nil
                case .deleteAll:
                    state.items = state.items.filter { $0.key.partitionKey != key.partitionKey }
                }
                return .written(
                    WriteReceipt(
                        partition: partition(key.partitionKey, state.config), epoch: Self.epoch, lsn: state.lsn,
                        node: Self.id))
            case .read(let partitionKey, let rangeKey):
                let items = state.items.values
                    .filter { $0.key.partitionKey == partitionKey && (rangeKey == nil || $0.key.rangeKey == rangeKey) }
                    .sorted { $0.key < $1.key }
                return .read(
                    ReadResult(
                        partition: partition(partitionKey, state.config), node: Self.id, epoch: Self.epoch,
                        items: items))
            case .resize(let size, let expectedVersion):
                guard size >= 1 else { return .failed(.invalid(reason: "size must be at least 1")) }
                if let expectedVersion, expectedVersion != state.config.version {
                    return .failed(
                        .resizeRejected(
                            code: "config_version_mismatch", reason: "the config is at \(state.config.version)"))
                }
                state.config.previousSize = state.config.size
                state.config.size = size
                state.config.version += 1
                return .resized(state.config)
            }
        }
    }

    private func partition(_ key: String, _ config: ClusterConfig) -> PartitionID {
        PartitionHash.partition(forKey: key, partitionCount: config.partitionCount)
    }

    func status() async -> ClusterStatus {
        state.withLock { state in
            state.calls.append(.status)
            return ClusterStatus(
                cluster: ClusterStatus.Cluster(state.config),
                node: .init(id: Self.id.description, slot: 0, items: state.items.count, fencing: "", leaseValid: true),
                nodes: [], partitions: [], handshakes: [])
        }
    }

    func httpAddress(of node: NodeID) async -> String? { nil }

    func setAcknowledgmentDelay(_ milliseconds: Int64) async {
        state.withLock { $0.calls.append(.acknowledgmentDelay(milliseconds)) }
    }

    /// Not logged: `POST /admin/shutdown` stops the node from a task of its own once the answer
    /// is written, which may run while the next input is already being handled.
    func stop(mode: StopMode) async {}

    func events() -> AsyncStream<NodeEvent> { AsyncStream { $0.finish() } }

    func metricsExposition() -> String { "# TYPE gossipgrid_fuzz counter\ngossipgrid_fuzz 1\n" }
}
