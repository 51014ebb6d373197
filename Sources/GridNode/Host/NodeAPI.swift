import GridCore

/// What the HTTP API needs from a node. `NodeHost` is the real one; tests of the HTTP
/// layer can supply their own.
public protocol NodeAPI: Sendable {
    /// The answer NodeCore gives, however long replication or forwarding takes.
    func submit(_ request: ClientRequest) async -> ClientResponse
    func status() async -> ClusterStatus
    /// The HTTP address a node advertises, if this node's view has it.
    func httpAddress(of node: NodeID) async -> String?
    func setAcknowledgmentDelay(_ milliseconds: Int64) async
    func stop(mode: StopMode) async
    func events() -> AsyncStream<NodeEvent>
    /// The Prometheus text exposition of the node's metrics.
    func metricsExposition() -> String
}
