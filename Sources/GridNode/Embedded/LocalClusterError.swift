import GridCore

/// Why a `LocalCluster` call could not act.
public enum LocalClusterError: Error, Hashable, Sendable {
    case unknownNode(NodeID)
}
