import GridCore

/// The client, the nemesis that injects faults, and the end of a run.
extension Simulation {
    mutating func issueClientRequest() {
        let candidates = runningIndices
        guard let index = candidates.randomElement(using: &random) else { return }
        if random.chance(0.1) {
            let partitionKey = "k\(Int.random(in: 0...max(0, writesIssued), using: &random))"
            submit(.read(partitionKey: partitionKey, rangeKey: nil), id: takeRequestID(), at: index)
        } else {
            writesIssued += 1
            write(ItemKey(partitionKey: "k\(writesIssued)"), value: "v\(writesIssued)", at: index)
        }
    }

    /// A client write of `value` to node `index`, recorded in the history.
    @discardableResult
    mutating func write(_ key: ItemKey, value: String, at index: Int) -> UInt64 {
        let requestID = takeRequestID()
        history.begin(requestID, key: key, value: value, node: nodes[index].id)
        submit(.write(key: key, mutation: .put(value)), id: requestID, at: index)
        return requestID
    }

    mutating func submit(_ request: ClientRequest, id requestID: UInt64, at index: Int) {
        guard !nodes[index].isPaused else {
            // A request to a stopped process waits in its socket; model it as unanswered.
            history.abandon(requestsAt: nodes[index].id)
            return
        }
        step(index) { core, now, wall, _ in core.submit(request, id: requestID, now: now, wall: wall) }
    }

    mutating func takeRequestID() -> UInt64 {
        defer { nextRequestID += 1 }
        return nextRequestID
    }

    mutating func injectFault() {
        let fault = options.faults.sorted { $0.rawValue < $1.rawValue }.randomElement(using: &random)!
        let settings = options.settings
        switch fault {
        case .delay:
            network.extraDelay = Int64.random(in: 20...400, using: &random)
            network.duplicationProbability = 0.05
            note("fault delay up to \(network.extraDelay) ms")
            queue.schedule(.heal(.delay), at: time + Int64.random(in: 1_000...4_000, using: &random))
        case .loss:
            network.lossProbability = Double.random(in: 0.05...0.3, using: &random)
            note("fault loss \(Int(network.lossProbability * 100))%")
            queue.schedule(.heal(.loss), at: time + Int64.random(in: 1_000...4_000, using: &random))
        case .partition:
            let members = runningIndices.shuffled(using: &random)
            guard members.count >= 2 else { return }
            if random.chance(0.3) {
                network.blocked.insert([members[0], members[1]])
                note("fault one-way cut n\(members[0]) -> n\(members[1])")
            } else {
                let cut = Int.random(in: 1..<members.count, using: &random)
                let (left, right) = (members[..<cut], members[cut...])
                for a in left { for b in right { network.blocked.formUnion([[a, b], [b, a]]) } }
                note("fault partition \(left.sorted()) | \(right.sorted())")
            }
            queue.schedule(.heal(.partition), at: time + Int64.random(in: 1_000...6_000, using: &random))
        case .pause:
            guard let index = activeIndices.randomElement(using: &random) else { return }
            let duration = Int64.random(in: 500...(settings.failureTimeout * 5 / 2), using: &random)
            nodes[index].pausedUntil = time + duration
            note("fault pause n\(index) for \(duration) ms")
            queue.schedule(.resume(node: index, generation: nodes[index].generation), at: time + duration)
        case .crash:
            // Without restarts, keep a majority alive so the run can still settle.
            let crashed = nodes.filter { !$0.hasCore && !$0.removed }.count
            guard options.faults.contains(.restart) || crashed + 1 < (runningIndices.count + crashed + 1) / 2 + 1,
                let index = runningIndices.randomElement(using: &random)
            else { return }
            crash(index)
            if options.faults.contains(.restart) {
                queue.schedule(.restart(node: index), at: time + Int64.random(in: 500...5_000, using: &random))
            }
        case .restart:
            guard let index = runningIndices.randomElement(using: &random) else { return }
            crash(index)
            queue.schedule(.restart(node: index), at: time + Int64.random(in: 50...500, using: &random))
        case .resize:
            let size = runningIndices.compactMap { nodes[$0].core?.config.size }.max() ?? options.nodes
            let lower = max(options.replication, options.nodes - 1)
            let target =
                size <= lower ? size + 1 : (size >= options.nodes + 2 ? size - 1 : size + (random.chance(0.5) ? 1 : -1))
            guard let index = activeIndices.randomElement(using: &random) else { return }
            note("fault resize to \(target) via n\(index)")
            requestResize(to: target, at: index)
        }
    }

    /// Asks node `index` to resize the cluster; the answer starts nodes for new slots.
    mutating func requestResize(to size: Int, at index: Int) {
        let requestID = takeRequestID()
        resizeRequests.insert(requestID)
        step(index) { core, now, wall, _ in
            core.submit(.resize(size: size, expectedVersion: nil), id: requestID, now: now, wall: wall)
        }
    }

    mutating func crash(_ index: Int) {
        note("fault crash n\(index)")
        history.abandon(requestsAt: nodes[index].id)
        nodes[index].stop()
        nodes[index].generation += 1
        nodes[index].pausedUntil = nil
        nodes[index].heldWhilePaused = []
    }

    mutating func restart(_ index: Int) {
        let config = nodes[index].metadata?.config ?? currentConfig
        let seed = runningIndices.first { $0 != index }.map { nodes[$0].address }
        note("restart n\(index)")
        boot(index, config: config, seeds: seed.map { [$0] } ?? [], at: time)
    }

    var currentConfig: ClusterConfig {
        runningIndices.compactMap { nodes[$0].core?.config }.max { $0.version < $1.version }
            ?? initialConfig
    }

    mutating func resized(_ response: ClientResponse) {
        if case .resized(let config) = response {
            note("resized to \(config.size) (version \(config.version))")
        } else {
            note("resize answered \(response)")
        }
        staffNewSlots()
    }

    /// Like an operator, starts a process for every slot a grow added, whatever the
    /// resize request's own answer said (it may have been lost).
    mutating func staffNewSlots() {
        let config = currentConfig
        let members = nodes.filter { node in
            !node.removed && (node.core.map { $0.me.slot < config.size } ?? true)
        }.count
        guard members < config.size, let seed = runningIndices.first.map({ nodes[$0].address }) else { return }
        for _ in members..<config.size {
            let index = spawn(config: config, seed: seed, at: time)
            note("n\(index) starts for a new slot")
        }
    }

    mutating func endFaults() {
        faultsActive = false
        faultsEndedAt = time
        network = NetworkConditions()
        note("faults stop")
        for index in nodes.indices where !nodes[index].removed {
            if !nodes[index].hasCore {
                restart(index)
            } else if nodes[index].isPaused {
                queue.schedule(.resume(node: index, generation: nodes[index].generation), at: time)
            }
        }
        queue.schedule(.settleCheck, at: time + 500)
    }

    /// Nil while the cluster is still settling; true once every view agrees and every
    /// partition is open under that leader; false when the settle bound ran out.
    mutating func convergence() -> Bool? {
        if isSettled { return true }
        return time - faultsEndedAt! > options.settleMilliseconds ? false : nil
    }

    /// Every view agrees on the config and the leaders, every slot's node is joined, no
    /// handshake is running, and every partition is open under the leader all views expect.
    var isSettled: Bool {
        let cores = runningIndices.compactMap { nodes[$0].core }
        let members = cores.filter { $0.me.slot >= 0 && $0.me.slot < $0.config.size }
        return !members.isEmpty && Set(cores.map(\.config.version)).count == 1
            && members.allSatisfy { $0.me.state == .joined } && cores.allSatisfy(\.isQuiet)
            && members.count == members.first!.config.size
            && Set(members.map(leaderMap)).count == 1
            && leaderMap(members.first!).allSatisfy { $0 != nil }
            && openLeaders(of: cores).count == members.first!.config.partitionCount
    }

    /// A view's leader map by node id.
    func leaderMap(_ core: NodeCore) -> [NodeID?] {
        let holders = Dictionary(
            core.records.values.filter { $0.isLive && $0.slot >= 0 }.map { ($0.slot, $0.id) }, uniquingKeysWith: min)
        return core.placement.leaders.map { $0.flatMap { holders[$0] } }
    }

    /// The node that has each partition open, where that node is also the leader every view expects.
    func openLeaders(of cores: [NodeCore]) -> [PartitionID: NodeCore] {
        guard let reference = cores.first(where: { $0.me.state == .joined }) else { return [:] }
        let map = leaderMap(reference)
        var leaders: [PartitionID: NodeCore] = [:]
        for partition in 0..<reference.config.partitionCount {
            guard let leaderID = map[partition], let leader = cores.first(where: { $0.id == leaderID }),
                leader.me.leading[partition] != nil
            else { continue }
            leaders[partition] = leader
        }
        return leaders
    }

    mutating func finish(converged: Bool) {
        finished = true
        let cores = runningIndices.compactMap { nodes[$0].core }
        if converged {
            result.convergenceMilliseconds = time - (faultsEndedAt ?? time)
            let leaders = openLeaders(of: cores)
            let lost = history.lostWrites(leaders: leaders, placement: cores[0].placement)
            result.lostAcknowledgedWrites = lost.count
            if let first = lost.first, case .acknowledged(let receipt) = first.outcome, result.failure == nil {
                let leader = leaders[receipt.partition]
                let held = leader?.logs[receipt.partition]?.entry(at: receipt.lsn)
                let copies = nodes.indices.filter { index in
                    nodes[index].logs[receipt.partition]?.items(
                        partitionKey: first.key.partitionKey, rangeKey: first.key.rangeKey
                    ).contains { $0.value == first.value } == true
                }
                result.failure =
                    "acknowledged write \(first.key) = \(first.value) (partition \(receipt.partition), epoch \(receipt.epoch), "
                    + "lsn \(receipt.lsn), by n\(indexByID[receipt.node] ?? -1)) is missing from leader "
                    + "n\(leader.flatMap { indexByID[$0.id] } ?? -1), which holds "
                    + "\(held.map { "\($0.key) at epoch \($0.epoch)" } ?? "nothing") there; durable copies on "
                    + "\(copies.map { "n\($0)" })"
            }
        } else {
            let partitions = currentConfig.partitionCount
            let open = openLeaders(of: cores).count
            let locked = Set(cores.flatMap { $0.records.values.filter(\.isLive).flatMap(\.lockedPartitions.keys) })
            result.stuckLocks = max(1, max(partitions - open, locked.count))
            for core in cores {
                let locks = core.me.lockedPartitions.sorted { $0.key < $1.key }.map { partition, lock in
                    "p\(partition)@e\(lock.epoch)/n\(indexByID[lock.leader] ?? -1)"
                }
                note(
                    "n\(indexByID[core.id]!) \(core.me.state) slot \(core.me.slot) locks [\(locks.joined(separator: " "))] "
                        + "leads \(core.me.leading.keys.sorted()) config v\(core.config.version)/\(core.config.size)")
            }
            if result.failure == nil {
                result.failure =
                    "not settled \(options.settleMilliseconds) ms after faults stopped: "
                    + "\(partitions - open) partitions without an open leader, locked: \(locked.sorted().prefix(12))"
            }
        }
        result.acknowledgedWrites = history.acknowledged.count
        result.refusedWrites = history.count { $0 == .refused }
        result.unknownWrites = history.count { $0 == .unknown }
    }
}
