/// Where a node keeps its state.
public enum NodeStorage: Sendable {
    /// Nothing survives: a fresh identity, no metadata, no logs (`--ephemeral`).
    case ephemeral
    /// A SQLite database in this directory, opened and closed by the node (`--data-dir`).
    case directory(String)
    /// A store the caller owns and keeps across restarts: an embedded node that can be
    /// crashed and restarted with the same identity and data, all in memory.
    case store(any Store)
}
