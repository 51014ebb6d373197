import ArgumentParser
import Dispatch
import Foundation
import GridCore
import GridNode
import Logging
import Synchronization

struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run one GossipGrid node: gossip over UDP, peer links over TCP, and the HTTP API.",
        discussion: """
            The first node (no --seed) bootstraps the cluster with --slots, --partitions and \
            --replication; joiners take the config from their seed. --data-dir keeps the node's \
            identity, handshake state and data across restarts; --ephemeral starts empty every time. \
            Port 0 picks a free port; the line printed at start shows the ports actually bound. \
            SIGTERM or SIGINT stops the node gracefully; a second one stops it at once.
            """)

    @Option(help: "The cluster's name; every node of a cluster uses the same.") var cluster: String
    @Option(help: "HOST:PORT for gossip (UDP) and peer links (TCP).") var gossip: String
    @Option(help: "HOST:PORT for the HTTP API.") var http: String
    @Option(name: .customLong("seed"), help: "HOST:PORT of a running node's gossip port (repeatable).")
    var seeds: [String] = []
    @Option(help: "Slots (cluster size) when bootstrapping.") var slots = 3
    @Option(help: "Partitions when bootstrapping.") var partitions = 64
    @Option(help: "Replicas per partition when bootstrapping.") var replication = 3
    @Option(help: "Directory for the node's database (a named node).") var dataDir: String?
    @Flag(help: "Keep nothing: a new identity and no data on every start.") var ephemeral = false
    @Option(help: "Cluster secret: every peer packet is authenticated with HMAC-SHA256.") var secret: String?
    @Option(help: "Bearer token required by admin routes (resize, shutdown, ack-delay).") var token: String?
    @Option(help: "Write fencing: lease (safe) or seed (the seed's behaviour, unsafe).") var fencing = "lease"
    @Option(help: "When to answer a write: replicas (after every live replica) or leader (at once).")
    var ack = "replicas"
    @Option(help: "Milliseconds to hold back every lock acknowledgment, to watch handshakes.") var ackDelay: Int64 = 0
    @Option(help: "Milliseconds between gossip rounds.") var gossipInterval: Int64?
    @Option(help: "Milliseconds of silence before a node is called disconnected.") var failureTimeout: Int64?
    @Option(help: "Milliseconds of a leader's write lease.") var lease: Int64?
    @Option(help: "Entries kept per partition log after a compaction; a replica further behind gets a snapshot.")
    var logRetention: Int?
    @Option(help: "Host to advertise instead of the bind host (when binding 0.0.0.0).") var advertise: String?
    @Option(help: "Log level on standard error: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        _ = try options()
    }

    /// The node's options from the flags, or the first thing wrong with them.
    func options() throws -> NodeOptions {
        guard (dataDir != nil) != ephemeral else {
            throw ValidationError("pass exactly one of --data-dir DIR (a named node) or --ephemeral")
        }
        guard let gossipAddress = HostPort(gossip) else { throw ValidationError("--gossip must be HOST:PORT") }
        guard let httpAddress = HostPort(http) else { throw ValidationError("--http must be HOST:PORT") }
        guard let fencingMode = Fencing(rawValue: fencing) else {
            throw ValidationError("--fencing must be lease or seed")
        }
        guard let ackMode = AcknowledgmentMode(rawValue: ack) else {
            throw ValidationError("--ack must be replicas or leader")
        }
        guard ackDelay >= 0 else { throw ValidationError("--ack-delay must not be negative") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        var options = NodeOptions(cluster: cluster, gossip: gossipAddress, http: httpAddress)
        options.seeds = seeds
        options.slots = slots
        options.partitions = partitions
        options.replication = replication
        options.storage = dataDir.map(NodeStorage.directory) ?? .ephemeral
        options.secret = secret
        options.token = token
        options.advertiseHost = advertise
        options.settings.fencing = fencingMode
        options.settings.acknowledgment = ackMode
        options.settings.acknowledgmentDelay = ackDelay
        if let gossipInterval { options.settings.gossipInterval = gossipInterval }
        if let failureTimeout { options.settings.failureTimeout = failureTimeout }
        if let lease { options.settings.leaseDuration = lease }
        if let logRetention { options.settings.logRetention = logRetention }
        if let problem = options.problem { throw ValidationError(problem) }
        return options
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let host: NodeHost
        do {
            host = try await NodeHost.start(
                options: try options(), logger: Logger(label: "gossipgrid.node"), metrics: .bootstrapProcess())
        } catch {
            // A port in use or an unreadable data directory is not a usage error: one line.
            throw CommandLineOutput.failure("cannot start the node: \(error)")
        }
        // One line on standard output, which scripts and tests read for the bound ports.
        let line = "gossipgrid node \(host.id) gossip=\(host.gossipAddress) http=\(host.httpAddress)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
        let signals = ShutdownSignals(host: host)
        _ = await host.waitUntilStopped()
        signals.cancel()
    }
}

/// SIGTERM and SIGINT: the first stops the node gracefully, a second one at once.
private final class ShutdownSignals {
    private let sources: [any DispatchSourceSignal]

    private final class Count: Sendable {
        private let value = Atomic<Int>(0)

        func next() -> Int { value.add(1, ordering: .relaxed).newValue }
    }

    init(host: NodeHost) {
        let received = Count()
        sources = [SIGTERM, SIGINT].map { number in
            // The default action would kill the process before the node could stop.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let mode: StopMode = received.next() == 1 ? .graceful : .crash
                Task { await host.stop(mode: mode) }
            }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
