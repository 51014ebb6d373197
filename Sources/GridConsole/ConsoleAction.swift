/// Everything that can change the console: keys, time, and answers from the cluster.
public enum ConsoleAction: Hashable, Sendable {
    case key(Key)
    /// Console time moved on (monotonic milliseconds since start).
    case tick(now: Int64)
    case snapshotArrived(ClusterSnapshot)
    case eventsArrived([ClusterEvent])
    case requestFinished(ConsoleRequest, ConsoleActionResult)
    case writesFinished([WriteOutcome])
    case terminalResized(width: Int, height: Int)
    case themeLoaded(String)
    /// A theme could not be loaded; the text names the file and line.
    case themeFailed(String)
}

/// Something only the app can do, which the reducer asks for.
public enum ConsoleCommand: Hashable, Sendable {
    /// Ask the cluster source; the answer comes back as `requestFinished`.
    case perform(ConsoleRequest)
    /// Take a snapshot now rather than at the next refresh.
    case refresh
    /// Load a theme by name; the answer comes back as `themeLoaded` or `themeFailed`.
    case loadTheme(String)
    /// Clear the terminal and draw everything again.
    case redraw
    case quit
}

/// An operator's request to the cluster source.
public enum ConsoleRequest: Hashable, Sendable, CustomStringConvertible {
    case resize(to: Int)
    case kill(node: String)
    case addNode
    case restart(node: String)
    case setAcknowledgmentDelay(milliseconds: Int)

    public var description: String {
        switch self {
        case .resize(let size): "resize to \(size)"
        case .kill(let node): "kill \(TextFormatting.shortID(node))"
        case .addNode: "add a node"
        case .restart(let node): "restart \(TextFormatting.shortID(node))"
        case .setAcknowledgmentDelay(let milliseconds):
            milliseconds == 0 ? "slow motion off" : "slow motion \(milliseconds)ms"
        }
    }
}
