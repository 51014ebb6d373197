/// How a node stops.
public enum StopMode: String, Hashable, Sendable, CaseIterable {
    /// Answer what is in flight, flush, then close: what SIGTERM and SIGINT do.
    case graceful
    /// As if the process died: sockets close at once and nothing more is persisted.
    case crash
}
