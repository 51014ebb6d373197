import GridCore

/// What `/` matches, case-insensitively: nodes by id prefix, slot, or state (`up`,
/// `joined`, `down`, ...); partitions by `p7` or `7`, by leader id prefix or slot, by
/// phase (`locked`, `acknowledging`, `open`). Typing a node's id therefore also shows the
/// partitions it leads.
public struct ConsoleFilter: Hashable, Sendable {
    public var text: String

    public init(_ text: String) { self.text = text.lowercased() }

    public var isActive: Bool { !text.isEmpty }

    public func matches(_ node: MergedNode) -> Bool {
        guard isActive else { return true }
        let record = node.record
        return record.id.lowercased().hasPrefix(text) || String(record.slot) == text
            || record.state.lowercased().hasPrefix(text)
            || NodeStateCode(state: record.state, reachable: node.reachable).code.lowercased().hasPrefix(text)
    }

    public func matches(_ partition: ClusterStatus.Partition) -> Bool {
        guard isActive else { return true }
        if text == "p\(partition.id)" || text == String(partition.id) { return true }
        if let leader = partition.leader, leader.lowercased().hasPrefix(text) { return true }
        if let slot = partition.leaderSlot, String(slot) == text { return true }
        if partition.phase.lowercased().hasPrefix(text) { return true }
        return partition.locked && "locked".hasPrefix(text)
    }

    /// Indices into `view.nodes` of the rows to show.
    public func visibleNodes(in view: ClusterView) -> [Int] {
        view.nodes.indices.filter { matches(view.nodes[$0]) }
    }

    /// One flag per partition, or nil when every partition matches.
    public func partitionMatches(in view: ClusterView) -> [Bool]? {
        guard isActive else { return nil }
        return view.partitions.map { matches($0) }
    }
}
