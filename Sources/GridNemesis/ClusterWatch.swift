import GridCore

/// What the nodes of a run say about the cluster, read over HTTP like any client would.
struct ClusterWatch: Sendable {
    let fleet: NodeFleet
    let client: NemesisClient
    let partitions: Int
    let log: @Sendable (String) -> Void
    let clock = ContinuousClock()

    /// Waits until every running node agrees the cluster is settled: all of its slots held
    /// by joined nodes, no handshake, no lock, every partition open under one leader.
    /// Returns the partitions that were still locked, unled or disputed when time ran out.
    func settle(within milliseconds: Int64) async -> [Int] {
        let deadline = clock.now + .milliseconds(milliseconds)
        var unsettled: Set<Int> = []
        repeat {
            let statuses = await statuses()
            unsettled = statuses.isEmpty ? Set(0..<partitions) : Self.unsettledPartitions(statuses)
            let membersJoined = statuses.allSatisfy {
                $0.nodes.filter { $0.state == "joined" }.count == $0.cluster.size
            }
            if !statuses.isEmpty, unsettled.isEmpty, membersJoined,
                Set(statuses.map(\.cluster.configVersion)).count == 1
            {
                return []
            }
            try? await Task.sleep(for: .milliseconds(200))
        } while clock.now < deadline
        for status in await statuses() { log("  unsettled: \(Self.view(status))") }
        return unsettled.sorted()
    }

    /// One node's view in a line, for a run that did not settle.
    static func view(_ status: ClusterStatus) -> String {
        let members = status.nodes.map { "\($0.id.prefix(6))/s\($0.slot)/\($0.state)/locks\($0.lockedPartitions)" }
        let unopened = status.partitions.filter { $0.phase != "open" || $0.leader == nil }.map {
            "p\($0.id):\($0.phase)"
        }
        return "\(status.node.id.prefix(6)) size \(status.cluster.size) v\(status.cluster.configVersion) sees "
            + "\(members.joined(separator: " ")); handshakes \(status.handshakes.map(\.partition)); not open \(unopened)"
    }

    func statuses() async -> [ClusterStatus] {
        var statuses: [ClusterStatus] = []
        for host in await fleet.responsive {
            guard let http = await fleet.httpAddress(of: host), let status = await client.status(of: http) else {
                continue
            }
            statuses.append(status)
        }
        return statuses
    }

    /// Partitions some view shows locked, unled, not open or in a handshake, or that two
    /// views give to different leaders.
    static func unsettledPartitions(_ statuses: [ClusterStatus]) -> Set<Int> {
        var unsettled: Set<Int> = []
        var leaders: [Int: Set<String?>] = [:]
        for status in statuses {
            for partition in status.partitions {
                leaders[partition.id, default: []].insert(partition.leader)
                if partition.leader == nil || partition.locked || partition.phase != "open" {
                    unsettled.insert(partition.id)
                }
            }
            for node in status.nodes where node.state != "disconnected" { unsettled.formUnion(node.lockedPartitions) }
            unsettled.formUnion(status.handshakes.map(\.partition))
        }
        unsettled.formUnion(leaders.filter { $0.value.count > 1 }.keys)
        return unsettled
    }
}
