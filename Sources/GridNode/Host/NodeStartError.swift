/// Why a node did not start.
public enum NodeStartError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidOptions(String)
    /// The data directory belongs to another cluster.
    case wrongCluster(stored: String, requested: String)
    case storage(StoreError)
    case httpNotStarted

    public var description: String {
        switch self {
        case .invalidOptions(let problem): problem
        case .wrongCluster(let stored, let requested):
            "the data directory belongs to cluster \"\(stored)\", not \"\(requested)\""
        case .storage(let error): error.description
        case .httpNotStarted: "the HTTP server stopped before it started listening"
        }
    }
}
