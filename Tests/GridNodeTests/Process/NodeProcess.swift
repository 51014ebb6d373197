import Foundation
import GridCore
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// One `gossipgrid node` process on 127.0.0.1, started from the executable `swift build`
/// made, talked to only over its sockets.
struct NodeProcess: Sendable {
    let pid: pid_t
    let id: String
    let http: String
    let gossip: String
    /// Where a named node keeps its state; nil for an ephemeral one.
    let dataDirectory: String?
    let log: String
    /// Flags beyond the common ones, given again on a restart.
    let extraArguments: [String]

    var baseURL: String { "http://\(http)" }

    func status() async throws -> ClusterStatus {
        let reply = try await HTTPTestClient.get("\(baseURL)/cluster/status")
        return try reply.decode(ClusterStatus.self)
    }

    /// The node's status, or nil while it does not answer.
    func statusIfUp() async -> ClusterStatus? { try? await status() }

    func setAcknowledgmentDelay(_ milliseconds: Int) async throws {
        let reply = try await HTTPTestClient.post(
            "\(baseURL)/admin/ack-delay", #"{"ms":\#(milliseconds)}"#, headers: ProcessCluster.tokenHeader)
        #expect(reply.status == 200, "\(reply.body)")
    }
}

/// Every node process a test started, in a temporary directory; `withProcessCluster`
/// kills whatever is left when the test ends, failed or not.
final class ProcessCluster: Sendable {
    static let token = "admin"
    static let tokenHeader = [("Authorization", "Bearer \(token)")]

    let name: String
    let directory: URL
    private let started = Mutex<[pid_t]>([])
    private let counter = Atomic<Int>(0)

    init(name: String) throws {
        self.name = name
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gossipgrid-process-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// The gossipgrid executable beside the test bundle (where `swift build` puts it).
    static var executable: String {
        get throws {
            var candidates: [String] = []
            if let path = Bundle.main.executablePath {
                candidates.append(
                    URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("gossipgrid").path)
            }
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent()
            candidates.append(root.appendingPathComponent(".build/debug/gossipgrid").path)
            guard let found = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
                throw ProcessError.noExecutable(candidates)
            }
            return found
        }
    }

    /// Starts a node. The first of a cluster passes no seed; `named` gives it a data
    /// directory (kept across `restart`), else it is ephemeral.
    func start(
        seed: NodeProcess? = nil, named: Bool = false, slots: Int = 3, partitions: Int = 16,
        acknowledgmentDelay: Int = 0, gossip: String = "127.0.0.1:0", http: String = "127.0.0.1:0",
        dataDirectory: String? = nil, arguments extra: [String] = []
    ) async throws -> NodeProcess {
        let number = counter.add(1, ordering: .relaxed).newValue
        let data = dataDirectory ?? (named ? directory.appendingPathComponent("data-\(number)").path : nil)
        var arguments = [
            "node", "--cluster", name, "--gossip", gossip, "--http", http, "--slots", "\(slots)",
            "--partitions", "\(partitions)", "--replication", "3", "--token", Self.token,
            "--ack-delay", "\(acknowledgmentDelay)", "--log-level", "notice",
        ]
        arguments += data.map { ["--data-dir", $0] } ?? ["--ephemeral"]
        arguments += seed.map { ["--seed", $0.gossip] } ?? []
        arguments += extra
        let output = directory.appendingPathComponent("node-\(number).out").path
        let log = directory.appendingPathComponent("node-\(number).log").path
        let pid = try spawn(try Self.executable, arguments, stdout: output, stderr: log)
        started.withLock { $0.append(pid) }

        // The node prints one line with the ports it bound once it is up.
        var line: Substring?
        let up = await eventually(timeout: .seconds(60), interval: .milliseconds(20)) {
            line = ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\n").first
            return line != nil || !Self.isAlive(pid)
        }
        guard up, let line else { throw ProcessError.didNotStart(log: log) }
        let fields = Dictionary(
            line.split(separator: " ").compactMap { field -> (String, String)? in
                let parts = field.split(separator: "=", maxSplits: 1)
                return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            }, uniquingKeysWith: { first, _ in first })
        let words = line.split(separator: " ")
        guard words.count >= 3, let boundGossip = fields["gossip"], let boundHTTP = fields["http"] else {
            throw ProcessError.didNotStart(log: log)
        }
        return NodeProcess(
            pid: pid, id: String(words[2]), http: boundHTTP, gossip: boundGossip, dataDirectory: data, log: log,
            extraArguments: extra)
    }

    /// Starts `node` again on the same ports and data directory, as an operator would.
    func restart(
        _ node: NodeProcess, seed: NodeProcess, partitions: Int = 16, acknowledgmentDelay: Int = 0
    ) async throws -> NodeProcess {
        try await start(
            seed: seed, partitions: partitions, acknowledgmentDelay: acknowledgmentDelay, gossip: node.gossip,
            http: node.http, dataDirectory: node.dataDirectory, arguments: node.extraArguments)
    }

    /// SIGTERM, then the exit status once the process is gone (nil if it outlived `timeout`).
    func terminate(_ node: NodeProcess, timeout: Duration) async -> Int32? {
        _ = Glibc.kill(node.pid, SIGTERM)
        var status: Int32 = 0
        let exited = await eventually(timeout: timeout, interval: .milliseconds(20)) {
            waitpid(node.pid, &status, WNOHANG) == node.pid
        }
        guard exited else { return nil }
        started.withLock { $0.removeAll { $0 == node.pid } }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : -(status & 0x7F)
    }

    /// SIGKILL: the process gets no chance to say goodbye or save anything more.
    func kill(_ node: NodeProcess) {
        _ = Glibc.kill(node.pid, SIGKILL)
        reap(node.pid)
    }

    func killAll() {
        for pid in started.withLock({ $0 }) {
            _ = Glibc.kill(pid, SIGKILL)
            reap(pid)
        }
    }

    private func reap(_ pid: pid_t) {
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        started.withLock { $0.removeAll { $0 == pid } }
    }

    static func isAlive(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    private func spawn(_ executable: String, _ arguments: [String], stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        // A thread of the cooperative pool may block signals, and a child inherits the mask.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else { throw ProcessError.spawnFailed(result) }
        return pid
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

enum ProcessError: Error, CustomStringConvertible {
    case noExecutable([String])
    case spawnFailed(Int32)
    case didNotStart(log: String)

    var description: String {
        switch self {
        case .noExecutable(let paths): "no gossipgrid executable at \(paths); run swift build first"
        case .spawnFailed(let code): "posix_spawn failed: \(code)"
        case .didNotStart(let log):
            "the node did not start:\n" + ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "(no log)")
        }
    }
}

/// Runs `body` with a fresh process cluster and kills every node it started afterwards.
func withProcessCluster<Result>(
    _ name: String, _ body: (ProcessCluster) async throws -> Result
) async throws -> Result {
    let cluster = try ProcessCluster(name: name)
    do {
        let result = try await body(cluster)
        cluster.killAll()
        return result
    } catch {
        cluster.killAll()
        throw error
    }
}
