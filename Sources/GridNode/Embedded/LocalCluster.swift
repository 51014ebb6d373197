import GridCore
import Logging
import NIOCore
import NIOPosix

/// A cluster of nodes inside this process on 127.0.0.1, each on free ports: the console's
/// embedded cluster and the integration tests.
///
/// Every member keeps its state in an in-memory store that outlives the node, so a member
/// killed as a crash can be restarted with the same identity, metadata and data, as a
/// named node restarting from its data directory would.
public actor LocalCluster {
    public struct Member: Sendable {
        public var id: NodeID
        public var store: InMemoryStore
        /// Nil while the member is stopped.
        public var host: NodeHost?
        /// The ports it last had, tried first on a restart so its addresses stay put.
        public var gossipPort: Int
        public var httpPort: Int
        public var index: Int
    }

    public nonisolated let name: String
    private let template: NodeOptions
    private let logger: Logger
    private let group: any EventLoopGroup
    private var members: [NodeID: Member] = [:]
    private var added = 0
    private var acknowledgmentDelay: Int64

    /// - Parameters:
    ///   - template: options every node starts from (cluster shape, settings, secret);
    ///     addresses, seeds and storage are filled in per node.
    ///   - logger: the base logger; each node logs with its index and id. Silent by default.
    public init(
        template: NodeOptions,
        logger: Logger = Logger(label: "gossipgrid.local", factory: { _ in SwiftLogNoOpLogHandler() }),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.name = template.cluster
        self.template = template
        self.logger = logger
        self.group = eventLoopGroup
        self.acknowledgmentDelay = template.settings.acknowledgmentDelay
    }

    /// Starts `count` more nodes, one after the other: the first bootstraps the cluster,
    /// and each later one starts once the one before it has joined (or `joinWait` passed),
    /// as an operator brings a cluster up. Joiners racing each other for slots only slow
    /// formation down.
    @discardableResult
    public func start(nodes count: Int, joinWait: Duration = .seconds(10)) async throws -> [NodeHost] {
        var hosts: [NodeHost] = []
        for _ in 0..<count {
            let host = try await addNode()
            hosts.append(host)
            if hosts.count < count { await Self.waitUntilJoined(host, for: joinWait) }
        }
        return hosts
    }

    /// Returns once `host` reports itself joined, or after `limit`.
    public static func waitUntilJoined(_ host: NodeHost, for limit: Duration) async {
        let events = host.events()
        if await host.hasJoined { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in events where event.event.kind == .joined && event.event.peer == nil { return }
            }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Starts one more node, seeded by every running one.
    public func addNode() async throws -> NodeHost {
        added += 1
        let store = InMemoryStore()
        let host = try await launch(store: store, index: added, ports: nil)
        members[host.id] = Member(
            id: host.id, store: store, host: host, gossipPort: Self.port(of: host.gossipAddress),
            httpPort: Self.port(of: host.httpAddress), index: added)
        return host
    }

    /// Stops a member as a crash would: sockets close, nothing more is persisted.
    public func kill(_ id: NodeID) async {
        await stop(id, mode: .crash)
    }

    public func stop(_ id: NodeID, mode: StopMode) async {
        guard let host = members[id]?.host else { return }
        await host.stop(mode: mode)
        members[id]?.host = nil
    }

    /// Starts a stopped member again with its identity and data, on its old ports when free.
    public func restart(_ id: NodeID) async throws -> NodeHost {
        guard let member = members[id] else { throw LocalClusterError.unknownNode(id) }
        if let previous = member.host {
            if await previous.isRunning { return previous }
            // It may have stopped on its own (a shutdown request, a removed slot); let it finish.
            _ = await previous.waitUntilStopped()
        }
        let host: NodeHost
        do {
            host = try await launch(
                store: member.store, index: member.index, ports: (member.gossipPort, member.httpPort))
        } catch {
            host = try await launch(store: member.store, index: member.index, ports: nil)
        }
        members[id]?.host = host
        members[id]?.gossipPort = Self.port(of: host.gossipAddress)
        members[id]?.httpPort = Self.port(of: host.httpAddress)
        return host
    }

    /// Nodes that are up (not stopped, not stopping), in the order they were first added.
    public func running() async -> [NodeHost] {
        var hosts: [NodeHost] = []
        for member in allMembers {
            if let host = member.host, await host.isRunning { hosts.append(host) }
        }
        return hosts
    }

    /// Every member, stopped ones included, in the order they were first added.
    public var allMembers: [Member] { members.values.sorted { $0.index < $1.index } }

    public func host(_ id: NodeID) -> NodeHost? { members[id]?.host }

    /// Slows acknowledgments on every running node, and on nodes started later.
    public func setAcknowledgmentDelay(_ milliseconds: Int64) async {
        acknowledgmentDelay = max(0, milliseconds)
        for host in await running() { await host.setAcknowledgmentDelay(acknowledgmentDelay) }
    }

    /// Stops every running node.
    public func shutdown(mode: StopMode = .graceful) async {
        for host in await running() { await host.stop(mode: mode) }
        for id in members.keys { members[id]?.host = nil }
    }

    private func launch(store: InMemoryStore, index: Int, ports: (gossip: Int, http: Int)?) async throws -> NodeHost {
        var options = template
        options.gossip = HostPort(host: "127.0.0.1", port: ports?.gossip ?? 0)
        options.http = HostPort(host: "127.0.0.1", port: ports?.http ?? 0)
        options.advertiseHost = nil
        options.storage = .store(store)
        options.seeds = await running().map(\.gossipAddress)
        options.settings.acknowledgmentDelay = acknowledgmentDelay
        var nodeLogger = logger
        nodeLogger[metadataKey: "member"] = "\(index)"
        return try await NodeHost.start(
            options: options, logger: nodeLogger, metrics: NodeMetrics(), eventLoopGroup: group)
    }

    private static func port(of address: String) -> Int { HostPort(address)?.port ?? 0 }
}
