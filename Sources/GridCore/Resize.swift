public enum Resize {
    /// Validates a resize against this node's view: refused while any live node shows a
    /// non-empty `locked_partitions` or leadership has yet to move where the placement puts
    /// it, or when the caller's expected config version is stale. Otherwise the next config.
    public static func validate(
        size: Int, expectedVersion: UInt64?, config: ClusterConfig, view: some Sequence<SimpleNode>,
        leadershipHasSettled: Bool
    ) -> Result<ClusterConfig, ClientFailure> {
        if size < 1 || size > Epoch.maximumSlots {
            return .failure(.invalid(reason: "size must be between 1 and \(Epoch.maximumSlots)"))
        }
        if size < config.replicationFactor {
            return .failure(
                .invalid(reason: "size \(size) is below the replication factor \(config.replicationFactor)"))
        }
        if let expectedVersion, expectedVersion != config.version {
            return .failure(
                .resizeRejected(
                    code: "version_conflict",
                    reason: "config version is \(config.version), not \(expectedVersion); another resize won"))
        }
        if !leadershipHasSettled || view.contains(where: { $0.isLive && !$0.lockedPartitions.isEmpty }) {
            return .failure(
                .resizeRejected(code: "handshake_in_progress", reason: ClientFailure.handshakeInProgressMessage))
        }
        var next = config
        next.previousSize = config.size
        next.size = size
        next.version += 1
        return .success(next)
    }
}
