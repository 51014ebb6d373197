/// A node state as a short code that reads without colour, and the role that colours it.
public struct NodeStateCode: Hashable, Sendable {
    public var code: String
    public var role: ColorRole

    /// `joined` → `UP`, `joining` → `JOIN`, `syncing` → `SYNC`, `leaving` → `LEAV`,
    /// `disconnected` → `DOWN`. A node the console cannot reach although its peers still
    /// vouch for it gets a `?` (`UP?`): believed, not confirmed.
    public init(state: String, reachable: Bool) {
        switch state {
        case "joined": (code, role) = ("UP", .ok)
        case "joining": (code, role) = ("JOIN", .warn)
        case "syncing": (code, role) = ("SYNC", .warn)
        case "leaving": (code, role) = ("LEAV", .warn)
        case "disconnected": (code, role) = ("DOWN", .error)
        default: (code, role) = (String(state.uppercased().prefix(4)), .warn)
        }
        if !reachable && state != "disconnected" {
            code += "?"
            role = .dim
        }
    }
}
