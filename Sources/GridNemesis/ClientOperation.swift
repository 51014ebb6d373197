/// One write the nemesis client made, as the client saw it. Every write has its own key,
/// so its value can be looked for after the run without any doubt about what overwrote it.
public struct ClientOperation: Hashable, Sendable {
    public enum Outcome: Hashable, Sendable {
        /// 200, with what the node said about it.
        case acknowledged(partition: Int, epoch: UInt64, node: String)
        /// 503, or a connection refused: definitely not applied.
        case refused
        /// A timeout, a 504 or a dropped connection: applied or not, nobody knows.
        case indeterminate
    }

    public var key: String
    public var value: String
    /// The node the client sent it to.
    public var contacted: Int
    /// Milliseconds since the run started, on the client's monotonic clock.
    public var invoked: Int64
    public var completed: Int64
    public var outcome: Outcome

    public init(key: String, value: String, contacted: Int, invoked: Int64, completed: Int64, outcome: Outcome) {
        self.key = key
        self.value = value
        self.contacted = contacted
        self.invoked = invoked
        self.completed = completed
        self.outcome = outcome
    }
}
