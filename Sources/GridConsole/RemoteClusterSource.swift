import Foundation
import GridCore
import Synchronization

/// Running nodes over HTTP: it discovers the members from the first address that answers,
/// follows their `GET /cluster/events` streams and polls every member's `GET
/// /cluster/status` (each on its own, so a slow node delays nobody else). An event makes it
/// poll at once, before the event is passed on, so the screen redrawn for it shows the
/// change; between events it polls often only while a handshake runs or a member is
/// missing, and otherwise once every `quietPollInterval`, which keeps an idle console idle.
public final class RemoteClusterSource: ClusterSource {
    public let kind: ClusterSourceKind
    public var supportsMembershipChanges: Bool { false }
    /// How often each member is asked for its status while a handshake runs or a member
    /// does not answer.
    public let pollInterval: Duration
    /// How often each member is asked when the cluster is quiet.
    public let quietPollInterval: Duration

    private let client: GridHTTPClient
    private let hub = ClusterEventHub()
    private let keys = PartitionKeyTable()
    private let state = Mutex(State())

    private struct Member {
        var endpoint: GridEndpoint
        /// The node's id once known: from its own answer, or from the record it was found in.
        var id: String?
        var status: ClusterStatus?
        var reachable = false
        var polling = false
        var failure: String?
        /// Whether this member's event stream is being followed.
        var following = false
    }

    private struct State {
        /// By address, in the order they were found.
        var members: [String: Member] = [:]
        var order: [String] = []
        var partitionCount = 0
        /// Partition leaders in the newest view polled, and its config version.
        var leaders: [PartitionID: String] = [:]
        var leadersVersion: UInt64 = 0
        var lastPoll: ContinuousClock.Instant?
        var poller: Task<Void, Never>?
        var followers: Task<Void, Never>?
        var stopped = false
    }

    private init(
        endpoints: [GridEndpoint], client: GridHTTPClient, pollInterval: Duration, quietPollInterval: Duration
    ) {
        kind = .remote(addresses: endpoints.map(\.address))
        self.client = client
        self.pollInterval = pollInterval
        self.quietPollInterval = max(pollInterval, quietPollInterval)
    }

    /// Asks each address in turn for its status; the first that answers names the other
    /// members. Throws the last failure when none answers.
    ///
    /// - Parameters:
    ///   - token: the bearer token for resize, kill and slow motion.
    ///   - requestTimeout: how long one request may take; a node slower than this counts
    ///     as unreachable until it answers again.
    public static func connect(
        to endpoints: [GridEndpoint], token: String? = nil, requestTimeout: Duration = .seconds(2),
        pollInterval: Duration = .milliseconds(150), quietPollInterval: Duration = .seconds(1)
    ) async throws(GridHTTPError) -> RemoteClusterSource {
        guard !endpoints.isEmpty else { throw GridHTTPError.invalidAddress("") }
        let client = GridHTTPClient(token: token, timeout: requestTimeout)
        let source = RemoteClusterSource(
            endpoints: endpoints, client: client, pollInterval: pollInterval, quietPollInterval: quietPollInterval)
        var lastError = GridHTTPError.invalidAddress("")
        for endpoint in endpoints {
            do {
                let status = try await client.status(of: endpoint)
                source.state.withLock { state in
                    for other in endpoints { Self.add(other, id: nil, to: &state) }
                    Self.record(status, from: endpoint, in: &state)
                }
                source.hub.note(
                    "attached to \(status.cluster.name) through \(endpoint.address) (node \(status.node.id.prefix(8)))"
                        + ", \(status.nodes.count) members known")
                source.startBackgroundWork()
                return source
            } catch {
                lastError = error
            }
        }
        await client.shutdown()
        throw lastError
    }

    /// Stops polling and following; the nodes are not touched.
    public func stop() async {
        let tasks = state.withLock { state -> [Task<Void, Never>] in
            state.stopped = true
            defer {
                state.poller = nil
                state.followers = nil
            }
            return [state.poller, state.followers].compactMap { $0 }
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        await client.shutdown()
        hub.finish()
    }

    // MARK: Reading

    public func snapshot() async -> ClusterSnapshot {
        state.withLock { state in
            var statuses: [String: ClusterStatus] = [:]
            for member in state.members.values where member.reachable {
                if let status = member.status { statuses[status.node.id] = status }
            }
            // Nodes the views still hold a slot for. One no view lists, or whose slot a shrink
            // removed, has left the cluster rather than become unreachable.
            let size = ClusterSnapshot(statuses: statuses).primary?.cluster.size ?? .max
            let listed = Set(statuses.values.flatMap { $0.nodes.filter { $0.slot < size }.map(\.id) })
            var unreachable = Set<String>()
            for member in state.members.values where !member.reachable {
                if let id = member.id {
                    if statuses[id] == nil && (statuses.isEmpty || listed.contains(id)) { unreachable.insert(id) }
                } else if member.status == nil {
                    unreachable.insert(member.endpoint.address)
                }
            }
            return ClusterSnapshot(statuses: statuses, unreachable: unreachable)
        }
    }

    public func events() -> AsyncStream<ClusterEvent> { hub.subscribe() }

    /// Waits until every member known so far has answered a poll or failed one, so a
    /// one-off snapshot shows them all; false when `timeout` passes first.
    public func waitUntilPolled(timeout: Duration = .seconds(3)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let done = state.withLock { state in
                state.members.values.allSatisfy { $0.reachable || $0.failure != nil }
            }
            if done { return true }
            guard clock.now < deadline else { return false }
            do {
                try await clock.sleep(for: .milliseconds(20))
            } catch {
                return false
            }
        }
    }

    /// One look at the cluster without following it: the first endpoint that answers,
    /// then every member it names, each asked once.
    public static func probe(
        _ endpoints: [GridEndpoint], client: GridHTTPClient
    ) async throws(GridHTTPError) -> ClusterSnapshot {
        var lastError = GridHTTPError.invalidAddress("")
        var first: ClusterStatus?
        for endpoint in endpoints {
            do {
                first = try await client.status(of: endpoint)
                break
            } catch {
                lastError = error
            }
        }
        guard let first else { throw lastError }
        let others = first.nodes.filter { $0.id != first.node.id }
        let answers = await withTaskGroup(of: (String, ClusterStatus?).self) { group in
            for node in others {
                group.addTask {
                    guard let endpoint = GridEndpoint(node.http) else { return (node.id, nil) }
                    return (node.id, try? await client.status(of: endpoint))
                }
            }
            var answers: [(String, ClusterStatus?)] = []
            for await answer in group { answers.append(answer) }
            return answers
        }
        var snapshot = ClusterSnapshot(statuses: [first.node.id: first])
        for (id, status) in answers {
            if let status { snapshot.statuses[status.node.id] = status } else { snapshot.unreachable.insert(id) }
        }
        return snapshot
    }

    // MARK: Acting

    public func resize(to size: Int) async -> ConsoleActionResult {
        guard let endpoint = preferredEndpoint() else { return .failed("no node is reachable") }
        do {
            let config = try await client.resize(endpoint, to: size)
            return .done("Resized to \(config.size) slots (config v\(config.configVersion)) via \(endpoint.address)")
        } catch {
            if error.code == "handshake_in_progress" { return .rejected(ClientFailure.handshakeInProgressMessage) }
            return Self.result(of: error)
        }
    }

    public func kill(node: String) async -> ConsoleActionResult {
        guard let endpoint = endpoint(ofNode: node) else {
            return .failed("no HTTP address known for node \(TextFormatting.shortID(node))")
        }
        do {
            let reply = try await client.shutdown(endpoint, crash: true)
            markUnreachable(endpoint.address, reason: "killed")
            return .done("Killed \(TextFormatting.shortID(reply.node)) at \(endpoint.address) as a crash")
        } catch {
            return Self.result(of: error)
        }
    }

    public func addNode() async -> ConsoleActionResult {
        .failed("adding a node needs an embedded cluster; start one with gossipgrid node --seed ...")
    }

    public func restart(node: String) async -> ConsoleActionResult {
        .failed("restarting a node needs an embedded cluster; start the process again")
    }

    public func setAcknowledgmentDelay(milliseconds: Int) async -> ConsoleActionResult {
        let endpoints = reachableEndpoints()
        guard !endpoints.isEmpty else { return .failed("no node is reachable") }
        let client = self.client
        let failures = await withTaskGroup(of: String?.self) { group in
            for endpoint in endpoints {
                group.addTask {
                    do {
                        try await client.setAcknowledgmentDelay(endpoint, milliseconds: milliseconds)
                        return nil
                    } catch {
                        return "\(endpoint.address): \(error)"
                    }
                }
            }
            var failures: [String] = []
            for await failure in group { if let failure { failures.append(failure) } }
            return failures.sorted()
        }
        let done = endpoints.count - failures.count
        guard failures.isEmpty else {
            return .failed(
                "slow motion set on \(done) of \(endpoints.count) nodes; \(failures.joined(separator: "; "))")
        }
        return .done(
            milliseconds == 0
                ? "Slow motion off on \(done) nodes"
                : "Slow motion: every acknowledgment waits \(milliseconds) ms on \(done) nodes")
    }

    public func write(partitionKey: String, value: String) async -> WriteOutcome {
        let (endpoint, partition) = state.withLock { state -> (GridEndpoint?, PartitionID?) in
            let partition =
                state.partitionCount > 0
                ? PartitionHash.partition(forKey: partitionKey, partitionCount: state.partitionCount) : nil
            return (Self.writeEndpoint(partition: partition, in: state), partition)
        }
        guard let endpoint else {
            return WriteOutcome(.failed("no node is reachable"), partition: partition, node: nil)
        }
        do {
            let receipt = try await client.write(endpoint, partitionKey: partitionKey, message: value)
            return WriteOutcome(.accepted, partition: receipt.partition, node: receipt.node)
        } catch {
            let node = nodeID(at: endpoint.address)
            if case .api(503, _, _, let refused) = error {
                return WriteOutcome(.rejected, partition: refused ?? partition, node: node)
            }
            return WriteOutcome(.failed(error.description), partition: partition, node: node)
        }
    }

    public func partitionKey(for partition: PartitionID) -> String {
        keys.key(for: partition, partitionCount: state.withLock { $0.partitionCount })
    }

    // MARK: Polling

    private func startBackgroundWork() {
        // Both run until `stop()` cancels them.
        let poller = Task { await self.pollForever() }
        let followers = Task { await self.followForever() }
        state.withLock { state in
            state.poller = poller
            state.followers = followers
        }
    }

    /// Every `pollInterval` while the cluster is busy, every `quietPollInterval` otherwise.
    /// A round runs beside the loop, so a slow member delays nobody else's next poll.
    private func pollForever() async {
        let clock = ContinuousClock()
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let quietSince = state.withLock { state -> ContinuousClock.Instant? in
                    let busy = state.members.values.contains { member in
                        !member.reachable || member.status.map { !$0.handshakes.isEmpty } ?? true
                    }
                    return busy ? nil : state.lastPoll
                }
                if quietSince.map({ clock.now - $0 >= quietPollInterval }) ?? true {
                    group.addTask { await self.pollMembers() }
                }
                do {
                    try await Task.sleep(for: pollInterval)
                } catch {
                    break
                }
            }
            group.cancelAll()
        }
    }

    /// Asks every member that is not still answering a previous poll, and waits for them.
    private func pollMembers() async {
        let due = state.withLock { state -> [GridEndpoint] in
            state.lastPoll = ContinuousClock.now
            var due: [GridEndpoint] = []
            for address in state.order where state.members[address]?.polling == false {
                state.members[address]?.polling = true
                if let endpoint = state.members[address]?.endpoint { due.append(endpoint) }
            }
            return due
        }
        await withDiscardingTaskGroup { group in
            for endpoint in due {
                group.addTask { await self.poll(endpoint) }
            }
        }
    }

    private func poll(_ endpoint: GridEndpoint) async {
        let result: Result<ClusterStatus, GridHTTPError>
        do {
            result = .success(try await client.status(of: endpoint))
        } catch {
            result = .failure(error)
        }
        guard !Task.isCancelled else { return }
        let notes = state.withLock { state -> [(String, ClusterEvent.Severity)] in
            guard var member = state.members[endpoint.address] else { return [] }
            member.polling = false
            var notes: [(String, ClusterEvent.Severity)] = []
            switch result {
            case .success(let status):
                if !member.reachable && member.failure != nil {
                    notes.append(("\(endpoint.address) answers again", .info))
                }
                member.failure = nil
                state.members[endpoint.address] = member
                let found = Self.record(status, from: endpoint, in: &state)
                notes += found.map { ("found member \($0)", .info) }
            case .failure(let error):
                let reason = error.description
                if member.reachable || member.failure == nil {
                    let name = member.id.map { "node \($0.prefix(8)) at " } ?? ""
                    notes.append(("lost \(name)\(endpoint.address): \(reason)", .warning))
                }
                member.reachable = false
                member.failure = reason
                state.members[endpoint.address] = member
            }
            return notes
        }
        for (text, severity) in notes { hub.note(text, severity) }
    }

    /// Stores a member's answer and adds every member it names that is not known yet;
    /// returns the addresses added.
    @discardableResult
    private static func record(_ status: ClusterStatus, from endpoint: GridEndpoint, in state: inout State) -> [String]
    {
        add(endpoint, id: status.node.id, to: &state)
        state.members[endpoint.address]?.id = status.node.id
        state.members[endpoint.address]?.status = status
        state.members[endpoint.address]?.reachable = true
        state.partitionCount = status.cluster.partitions
        if status.cluster.configVersion >= state.leadersVersion {
            state.leadersVersion = status.cluster.configVersion
            state.leaders = [:]
            for partition in status.partitions {
                if let leader = partition.leader { state.leaders[partition.id] = leader }
            }
        }
        var added: [String] = []
        for node in status.nodes where node.id != status.node.id {
            guard let found = GridEndpoint(node.http), state.members[found.address] == nil else { continue }
            if let known = state.order.first(where: { state.members[$0]?.id == node.id }) {
                // The same node under another address: move to the one it advertises now
                // only when the old one stopped answering (a restart on another port).
                guard state.members[known]?.reachable == false else { continue }
                state.members[known] = nil
                state.order.removeAll { $0 == known }
            }
            add(found, id: node.id, to: &state)
            added.append(found.address)
        }
        return added
    }

    private static func add(_ endpoint: GridEndpoint, id: String?, to state: inout State) {
        guard state.members[endpoint.address] == nil else { return }
        state.members[endpoint.address] = Member(endpoint: endpoint, id: id)
        state.order.append(endpoint.address)
    }

    private func markUnreachable(_ address: String, reason: String) {
        state.withLock { state in
            state.members[address]?.reachable = false
            state.members[address]?.failure = reason
        }
    }

    // MARK: Events

    /// Follows the event stream of every member, reconnecting when one ends.
    private func followForever() async {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let due = state.withLock { state -> [GridEndpoint] in
                    var due: [GridEndpoint] = []
                    for address in state.order {
                        guard let member = state.members[address], !member.following, member.reachable else {
                            continue
                        }
                        state.members[address]?.following = true
                        due.append(member.endpoint)
                    }
                    return due
                }
                for endpoint in due {
                    group.addTask { await self.follow(endpoint) }
                }
                do {
                    try await Task.sleep(for: .milliseconds(500))
                } catch {
                    break
                }
            }
            group.cancelAll()
        }
    }

    private func follow(_ endpoint: GridEndpoint) async {
        do {
            for try await event in client.events(of: endpoint) where event.kind != .writeRejected {
                await pollMembers()
                hub.publish(.grid(event))
            }
        } catch {
            // The poller reports lost nodes; the stream is simply started again once the
            // node answers its polls.
        }
        state.withLock { $0.members[endpoint.address]?.following = false }
    }

    // MARK: Choosing a node

    private func reachableEndpoints() -> [GridEndpoint] {
        state.withLock { state in
            state.order.compactMap { state.members[$0] }.filter(\.reachable).map(\.endpoint)
        }
    }

    /// A reachable member on the newest config version (it has the freshest view).
    private func preferredEndpoint() -> GridEndpoint? {
        state.withLock { state in
            state.order.compactMap { state.members[$0] }.filter(\.reachable)
                .max { ($0.status?.cluster.configVersion ?? 0) < ($1.status?.cluster.configVersion ?? 0) }?
                .endpoint
        }
    }

    /// The HTTP address of a node, by its id (or unique id prefix).
    private func endpoint(ofNode node: String) -> GridEndpoint? {
        state.withLock { state in
            if let member = state.order.compactMap({ state.members[$0] }).first(where: { $0.id == node }) {
                return member.endpoint
            }
            for member in state.members.values {
                if let record = member.status?.nodes.first(where: { $0.id == node }),
                    let found = GridEndpoint(record.http)
                {
                    return found
                }
            }
            let matches = state.members.values.filter { $0.id?.hasPrefix(node.lowercased()) == true }
            return matches.count == 1 ? matches[0].endpoint : nil
        }
    }

    private func nodeID(at address: String) -> String? {
        state.withLock { $0.members[address]?.id }
    }

    /// The partition's leader when it answers (no forwarding hop), else any reachable node.
    private static func writeEndpoint(partition: PartitionID?, in state: State) -> GridEndpoint? {
        let reachable = state.order.compactMap { state.members[$0] }.filter(\.reachable)
        guard !reachable.isEmpty else { return nil }
        if let partition {
            if let leader = state.leaders[partition], let member = reachable.first(where: { $0.id == leader }) {
                return member.endpoint
            }
            return reachable[partition % reachable.count].endpoint
        }
        return reachable[0].endpoint
    }

    private static func result(of error: GridHTTPError) -> ConsoleActionResult {
        // An answer from the cluster is a refusal, shown verbatim; anything else a failure.
        error.isAnswer ? .rejected(error.description) : .failed(error.description)
    }
}
