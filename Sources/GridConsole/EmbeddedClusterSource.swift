import Foundation
import GridCore
import GridNode
import Logging
import Synchronization

/// Why an embedded cluster could not start.
public struct EmbeddedClusterError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Nodes in this process: an ephemeral cluster on 127.0.0.1 with real sockets, a generated
/// cluster secret, and logs that go to a file and the event pane, never to the terminal.
public final class EmbeddedClusterSource: ClusterSource {
    public struct Configuration: Sendable {
        public var nodes: Int
        public var partitions: Int
        public var replication: Int
        /// Milliseconds every lock acknowledgment is held back (slow motion); 0 is off.
        public var acknowledgmentDelay: Int
        /// Generated (`console-xxxxxx`) when nil.
        public var clusterName: String?
        /// Where node logs are appended; nil keeps them only in the event pane.
        public var logPath: String?
        /// Timing and policy every node starts with (the acknowledgment delay above wins).
        public var settings: NodeSettings

        public init(
            nodes: Int = 3, partitions: Int = 64, replication: Int = 3, acknowledgmentDelay: Int = 0,
            clusterName: String? = nil, logPath: String? = EmbeddedClusterSource.defaultLogPath,
            settings: NodeSettings = NodeSettings()
        ) {
            self.nodes = nodes
            self.partitions = partitions
            self.replication = replication
            self.acknowledgmentDelay = acknowledgmentDelay
            self.clusterName = clusterName
            self.logPath = logPath
            self.settings = settings
        }

        /// Why these values cannot make a cluster, or nil.
        public var problem: String? {
            if nodes < 1 { return "the cluster needs at least 1 node" }
            if nodes > Epoch.maximumSlots { return "at most \(Epoch.maximumSlots) nodes" }
            if replication < 1 { return "replication must be at least 1" }
            if replication > nodes {
                return "replication (\(replication)) cannot exceed the number of nodes (\(nodes))"
            }
            if acknowledgmentDelay < 0 || acknowledgmentDelay > 600_000 {
                return "the acknowledgment delay must be 0 to 600000 ms"
            }
            return nil
        }
    }

    /// `gossipgrid-console.log` in the temporary directory.
    public static var defaultLogPath: String {
        FileManager.default.temporaryDirectory.appendingPathComponent("gossipgrid-console.log").path
    }

    public let kind = ClusterSourceKind.embedded
    public var supportsMembershipChanges: Bool { true }
    /// The nodes themselves, for callers that need more than the console does.
    public let cluster: LocalCluster
    public let clusterName: String
    public let partitionCount: Int
    /// The log file actually written, nil when none could be opened.
    public var logPath: String? { sink.path }

    private let hub: ClusterEventHub
    private let sink: EmbeddedLogSink
    private let keys = PartitionKeyTable()
    private let state = Mutex(State())

    private struct State {
        var forwarders: [Task<Void, Never>] = []
        var watchers: [Task<Void, Never>] = []
        /// Members that stopped on their own after a shrink removed their slot.
        var departed: Set<NodeID> = []
        /// Partition leaders and running nodes as of the last snapshot, for the demo load.
        var leaders: [PartitionID: String] = [:]
        var running: [NodeHost] = []
        var stopped = false
    }

    private init(cluster: LocalCluster, name: String, partitions: Int, hub: ClusterEventHub, sink: EmbeddedLogSink) {
        self.cluster = cluster
        self.clusterName = name
        self.partitionCount = partitions
        self.hub = hub
        self.sink = sink
    }

    /// Starts the nodes one after the other (the first bootstraps, the others join it) and
    /// returns once all are listening; they finish joining in the background.
    public static func start(
        _ configuration: Configuration = .init()
    ) async throws(EmbeddedClusterError) -> EmbeddedClusterSource {
        if let problem = configuration.problem { throw EmbeddedClusterError(message: problem) }
        var generator = SystemRandomNumberGenerator()
        let suffix = Self.hex(UInt64.random(in: 0...0xff_ffff, using: &generator), digits: 6)
        let name = configuration.clusterName ?? "console-\(suffix)"
        var template = NodeOptions(cluster: name)
        template.slots = configuration.nodes
        template.partitions = configuration.partitions
        template.replication = configuration.replication
        template.settings = configuration.settings
        template.settings.acknowledgmentDelay = Int64(configuration.acknowledgmentDelay)
        template.secret = (0..<4).map { _ in Self.hex(generator.next(), digits: 16) }.joined()
        template.exitWhenReleased = true
        if let problem = template.problem { throw EmbeddedClusterError(message: problem) }

        let hub = ClusterEventHub()
        let sink = EmbeddedLogSink(path: configuration.logPath, hub: hub)
        let logger = Logger(label: "gossipgrid.embedded") { label in EmbeddedLogHandler(label: label, sink: sink) }
        let cluster = LocalCluster(template: template, logger: logger)
        let source = EmbeddedClusterSource(
            cluster: cluster, name: name, partitions: configuration.partitions, hub: hub, sink: sink)
        sink.note(
            "embedded cluster \(name): \(configuration.nodes) nodes, \(configuration.partitions) partitions, "
                + "replication \(configuration.replication), peer packets signed with a generated secret"
                + (sink.path.map { "; node logs in \($0)" } ?? ""))
        do {
            // One after the other, each once the one before has joined: joiners racing
            // for slots only slow formation down.
            for index in 0..<configuration.nodes {
                _ = try await source.addAndFollow(waitForJoin: index < configuration.nodes - 1)
            }
        } catch {
            await source.stop()
            throw EmbeddedClusterError(message: "cannot start the embedded cluster: \(error)")
        }
        return source
    }

    /// Stops every node (as a crash: the cluster is ephemeral, so nothing is lost that a
    /// graceful stop would keep) and ends the event streams.
    public func stop() async {
        let tasks = state.withLock { state in
            state.stopped = true
            defer {
                state.forwarders = []
                state.watchers = []
                state.running = []
            }
            return state.forwarders + state.watchers
        }
        for task in tasks { task.cancel() }
        await cluster.shutdown(mode: .crash)
        sink.note("embedded cluster \(clusterName) stopped")
        hub.finish()
        sink.close()
    }

    // MARK: Reading

    public func snapshot() async -> ClusterSnapshot {
        let members = await cluster.allMembers
        let results = await withTaskGroup(of: (NodeID, NodeHost?, ClusterStatus?).self) { group in
            for member in members {
                let id = member.id
                guard let host = member.host else { continue }
                group.addTask {
                    guard await host.isRunning else { return (id, nil, nil) }
                    return (id, host, await host.status())
                }
            }
            var results: [(NodeID, NodeHost?, ClusterStatus?)] = []
            for await result in group { results.append(result) }
            return results
        }
        var statuses: [String: ClusterStatus] = [:]
        var running: [NodeHost] = []
        for (id, host, status) in results {
            if let host, let status {
                statuses[id.description] = status
                running.append(host)
            }
        }
        let departed = state.withLock { $0.departed }
        let listed = Set(statuses.values.flatMap { $0.nodes.map(\.id) })
        let unreachable = Set(
            members.map(\.id).filter { id in
                statuses[id.description] == nil && !departed.contains(id)
                    && (statuses.isEmpty || listed.contains(id.description))
            }
            .map(\.description))
        let snapshot = ClusterSnapshot(statuses: statuses, unreachable: unreachable)
        let order = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1.id, $0) })
        running.sort { (order[$0.id] ?? 0) < (order[$1.id] ?? 0) }
        let leaders = snapshot.leaders
        state.withLock { state in
            state.leaders = leaders
            state.running = running
        }
        return snapshot
    }

    public func events() -> AsyncStream<ClusterEvent> { hub.subscribe() }

    /// Waits until every running node is joined and sees every partition led and open, with
    /// no handshake running; false when `timeout` passes first.
    public func waitUntilSettled(timeout: Duration = .seconds(30)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let snapshot = await snapshot()
            if Self.isSettled(snapshot) { return true }
            guard clock.now < deadline else { return false }
            do {
                try await clock.sleep(for: .milliseconds(100))
            } catch {
                return false
            }
        }
    }

    static func isSettled(_ snapshot: ClusterSnapshot) -> Bool {
        guard !snapshot.statuses.isEmpty else { return false }
        let running = Set(snapshot.statuses.keys)
        return snapshot.statuses.values.allSatisfy { status in
            let joined = Set(status.nodes.filter { $0.state == "joined" }.map(\.id))
            return running.isSubset(of: joined) && status.handshakes.isEmpty
                && status.nodes.allSatisfy { $0.lockedPartitions.isEmpty }
                && status.partitions.allSatisfy { $0.leader != nil && $0.phase == "open" && !$0.locked }
        }
    }

    // MARK: Acting

    public func resize(to size: Int) async -> ConsoleActionResult {
        guard let (host, before) = await coordinator() else { return .failed("no node is running") }
        switch await host.submit(.resize(size: size, expectedVersion: nil)) {
        case .resized(let config):
            var parts = ["Resized to \(config.size) slots (config v\(config.version))"]
            if config.size > before.cluster.size {
                // Nodes already waiting for a slot take the new ones first.
                let waiting = before.nodes.count { $0.slot < 0 }
                let needed = max(0, config.size - before.cluster.size - waiting)
                for started in 0..<needed {
                    do {
                        _ = try await addAndFollow(waitForJoin: started < needed - 1)
                    } catch {
                        return .failed(
                            "resized to \(config.size), but started only \(started) of \(needed) nodes: \(error)")
                    }
                }
                if needed > 0 { parts.append("started \(needed) node\(needed == 1 ? "" : "s")") }
            } else if config.size < before.cluster.size {
                let removed = before.nodes.filter { $0.slot >= config.size }.compactMap { NodeID(hex: $0.id) }
                await watchDeparture(of: removed)
                if !removed.isEmpty {
                    parts.append(
                        "\(removed.map(\.short).joined(separator: ", ")) leave once they lead nothing")
                }
            }
            return .done(parts.joined(separator: "; "))
        case .failed(.resizeRejected(let code, let reason)):
            return .rejected(code == "handshake_in_progress" ? ClientFailure.handshakeInProgressMessage : reason)
        case .failed(.invalid(let reason)):
            return .rejected(reason)
        case .failed(let failure):
            return .failed(Self.describe(failure))
        case .written, .read:
            return .failed("the node answered a resize with something else")
        }
    }

    public func kill(node: String) async -> ConsoleActionResult {
        guard let id = NodeID(hex: node) else { return .failed("'\(node)' is not a node id") }
        guard let host = await cluster.host(id), await host.isRunning else {
            return .failed("node \(id.short) is not running")
        }
        await cluster.kill(id)
        return .done("Killed \(id.short) as a crash")
    }

    public func addNode() async -> ConsoleActionResult {
        let before = await coordinator()?.1
        do {
            let host = try await addAndFollow(waitForJoin: false)
            var text = "Added node \(host.id.short)"
            if let before {
                let held = Set(
                    before.nodes.filter { $0.slot >= 0 && $0.slot < before.cluster.size && $0.state != "disconnected" }
                        .map(\.slot))
                if held.count >= before.cluster.size { text += "; every slot is taken, so it waits (resize to grow)" }
            }
            return .done(text)
        } catch {
            return .failed("cannot start a node: \(error)")
        }
    }

    public func restart(node: String) async -> ConsoleActionResult {
        guard let id = NodeID(hex: node), await cluster.allMembers.contains(where: { $0.id == id }) else {
            return .failed("no node \(TextFormatting.shortID(node)) in this cluster")
        }
        if let host = await cluster.host(id), await host.isRunning {
            return .failed("node \(id.short) is running; kill it first")
        }
        do {
            let host = try await cluster.restart(id)
            state.withLock { _ = $0.departed.remove(id) }
            follow(host)
            return .done("Restarted \(id.short) with the same id at \(host.httpAddress)")
        } catch {
            return .failed("cannot restart \(id.short): \(error)")
        }
    }

    public func setAcknowledgmentDelay(milliseconds: Int) async -> ConsoleActionResult {
        guard (0...600_000).contains(milliseconds) else { return .rejected("slow motion takes 0 to 600000 ms") }
        await cluster.setAcknowledgmentDelay(Int64(milliseconds))
        return .done(
            milliseconds == 0
                ? "Slow motion off" : "Slow motion: every acknowledgment waits \(milliseconds) ms on every node")
    }

    public func write(partitionKey: String, value: String) async -> WriteOutcome {
        let partition = PartitionHash.partition(forKey: partitionKey, partitionCount: partitionCount)
        var (leaders, running) = state.withLock { ($0.leaders, $0.running) }
        if running.isEmpty { running = await cluster.running() }
        guard !running.isEmpty else {
            return WriteOutcome(.failed("no node is running"), partition: partition, node: nil)
        }
        // Straight to the leader when known; any node forwards otherwise.
        let host =
            leaders[partition].flatMap { leader in running.first { $0.id.description == leader } }
            ?? running[partition % running.count]
        let request = ClientRequest.write(key: ItemKey(partitionKey: partitionKey), mutation: .put(value))
        switch await host.submit(request) {
        case .written(let receipt):
            return WriteOutcome(.accepted, partition: receipt.partition, node: receipt.node.description)
        case .failed(.locked(let locked, _)):
            return WriteOutcome(.rejected, partition: locked, node: host.id.description)
        case .failed(.unavailable(let refused, _, let leader)):
            return WriteOutcome(
                .rejected, partition: refused ?? partition, node: leader?.description ?? host.id.description)
        case .failed(let failure):
            return WriteOutcome(.failed(Self.describe(failure)), partition: partition, node: host.id.description)
        case .read, .resized:
            return WriteOutcome(.failed("unexpected answer"), partition: partition, node: host.id.description)
        }
    }

    public func partitionKey(for partition: PartitionID) -> String {
        keys.key(for: partition, partitionCount: partitionCount)
    }

    // MARK: Helpers

    /// Starts one node and follows its events; with `waitForJoin`, returns once it has
    /// joined (or after 15 s), so the next node does not race it for a slot.
    private func addAndFollow(waitForJoin: Bool) async throws -> NodeHost {
        let host = try await cluster.addNode()
        follow(host)
        sink.note("started node \(host.id.short): gossip \(host.gossipAddress), http \(host.httpAddress)")
        if waitForJoin {
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(15)
            while clock.now < deadline, await host.isRunning {
                let me = await host.status().nodes.first { $0.id == host.id.description }
                if me?.state == "joined" { break }
                try await clock.sleep(for: .milliseconds(50))
            }
        }
        return host
    }

    private func follow(_ host: NodeHost) {
        // Subscribe before anything else can happen, so no event of the new node is missed.
        let events = host.events()
        let hub = self.hub
        let task = Task {
            for await stamped in events where stamped.event.kind != .writeRejected {
                hub.publish(.grid(stamped.event))
            }
        }
        let isStopped = state.withLock { state in
            state.forwarders.append(task)
            return state.stopped
        }
        if isStopped { task.cancel() }
    }

    /// After a shrink, nodes in removed slots stop on their own once NodeCore says they may
    /// (`mayExit`: leaving, leading nothing, nothing left to acknowledge); then they are
    /// taken off the cluster's running members and no longer reported as unreachable.
    private func watchDeparture(of ids: [NodeID]) async {
        for id in ids {
            guard let host = await cluster.host(id) else { continue }
            let cluster = self.cluster
            let sink = self.sink
            let task = Task { [weak self] in
                let mode = await host.waitUntilStopped()
                guard let self, !Task.isCancelled, !self.state.withLock({ $0.stopped }) else { return }
                // A crash here is an operator's kill, not a departure.
                guard mode == .graceful else { return }
                self.state.withLock { _ = $0.departed.insert(id) }
                await cluster.stop(id, mode: .graceful)
                sink.note("\(id.short) left the cluster: its slot was removed and it leads nothing")
            }
            let isStopped = state.withLock { state in
                state.watchers.append(task)
                return state.stopped
            }
            if isStopped { task.cancel() }
        }
    }

    /// The node to send cluster-wide requests to: the first running joined one.
    private func coordinator() async -> (NodeHost, ClusterStatus)? {
        var fallback: (NodeHost, ClusterStatus)?
        for host in await cluster.running() {
            let status = await host.status()
            if status.nodes.first(where: { $0.id == host.id.description })?.state == "joined" { return (host, status) }
            if fallback == nil { fallback = (host, status) }
        }
        return fallback
    }

    static func describe(_ failure: ClientFailure) -> String {
        switch failure {
        case .locked(let partition, _): "partition \(partition) is locked by a handshake"
        case .unavailable(_, let reason, _): reason
        case .indeterminate(_, let reason): "\(reason); the write may or may not have been applied"
        case .resizeRejected(_, let reason): reason
        case .invalid(let reason): reason
        }
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
