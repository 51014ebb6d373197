import Foundation
import GridConsole
import GridCore
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every test here runs real nodes on 127.0.0.1. One at a time: two clusters at once on a
/// loaded 2-core machine would only test the scheduler.
@Suite("Live clusters", .serialized)
struct LiveClusterTests {}

/// Polls `condition` every `interval` until it holds or `timeout` passes; returns whether
/// it held. Tests wait on conditions with this, never on fixed sleeps.
func eventually(
    timeout: Duration = .seconds(60), interval: Duration = .milliseconds(40), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        if try await condition() { return true }
        guard clock.now < deadline else { return false }
        try? await clock.sleep(for: interval)
    }
}

enum Live {
    /// A small cluster that forms quickly; logs go to a file in the temporary directory.
    static func configuration(nodes: Int = 3, acknowledgmentDelay: Int = 0) -> EmbeddedClusterSource.Configuration {
        EmbeddedClusterSource.Configuration(
            nodes: nodes, partitions: 32, replication: 3, acknowledgmentDelay: acknowledgmentDelay,
            logPath: FileManager.default.temporaryDirectory.appendingPathComponent(
                "gossipgrid-console-tests-\(getpid()).log"
            ).path)
    }

    /// Runs `body` on a fresh embedded cluster and stops the cluster however `body` ends.
    static func withCluster(
        _ configuration: EmbeddedClusterSource.Configuration = configuration(),
        _ body: (EmbeddedClusterSource) async throws -> Void
    ) async throws {
        let source = try await EmbeddedClusterSource.start(configuration)
        do {
            try await body(source)
        } catch {
            await source.stop()
            throw error
        }
        await source.stop()
        // Kept when the body failed, to read what the nodes logged.
        if let path = source.logPath { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Every answering node is joined in every view, there are `size` of them, and no
    /// partition is locked, unled or in a handshake.
    static func isSettled(_ snapshot: ClusterSnapshot, size: Int) -> Bool {
        guard snapshot.statuses.count == size else { return false }
        return snapshot.statuses.values.allSatisfy { status in
            status.cluster.size == size && status.nodes.count(where: { $0.state == "joined" }) == size
                && status.handshakes.isEmpty && status.nodes.allSatisfy { $0.lockedPartitions.isEmpty }
                && status.partitions.allSatisfy { $0.leader != nil && $0.phase == "open" && !$0.locked }
        }
    }

    /// With `dead` down and reported unreachable, every live view has no handshake and no
    /// lock, every partition is led and open, and `partition` is led by `leader`.
    static func isOpen(_ snapshot: ClusterSnapshot, without dead: String, partition: Int, ledBy leader: String) -> Bool
    {
        guard snapshot.unreachable == [dead], snapshot.statuses[dead] == nil, !snapshot.statuses.isEmpty else {
            return false
        }
        for status in snapshot.statuses.values {
            guard status.handshakes.isEmpty, partition < status.partitions.count,
                status.partitions[partition].leader == leader
            else { return false }
            for node in status.nodes where node.state != "disconnected" && !node.lockedPartitions.isEmpty {
                return false
            }
            for entry in status.partitions where entry.leader == nil || entry.phase != "open" { return false }
        }
        return true
    }

    /// Every answering node sees some node with locked partitions: a resize sent to any of
    /// them now is refused.
    static func everyViewSeesALock(_ snapshot: ClusterSnapshot) -> Bool {
        !snapshot.statuses.isEmpty
            && snapshot.statuses.values.allSatisfy { status in
                status.nodes.contains { $0.state != "disconnected" && !$0.lockedPartitions.isEmpty }
            }
    }

    /// The gossipgrid executable `swift test` built: next to the test bundle, else in
    /// `.build/debug` of this package.
    static var executable: String? {
        var candidates: [String] = []
        if let path = Bundle.main.executablePath {
            candidates.append(
                URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("gossipgrid").path)
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/gossipgrid").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Finds a program on PATH.
    static func which(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(program)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Output {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// Runs a program to completion (killing it after `timeout`) and returns what it printed.
    /// posix_spawn and waitpid rather than Foundation's Process, whose exit detection can
    /// miss a child that exits at once (a tmux client), leaving it a zombie forever.
    static func run(
        _ executable: String, _ arguments: [String], timeout: Duration = .seconds(60)
    ) async throws -> Output {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gg-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out").path
        let err = directory.appendingPathComponent("err").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + environment { free(pointer) }
        }
        // The calling thread may block signals (the cooperative pool's threads do), and a
        // child inherits that mask: reset it, or a tmux server ignores kill-server and a
        // console ignores SIGHUP.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2] {
            sigaddset(&defaults, number)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environment)
        guard spawned == 0 else { throw SpawnError(program: executable, code: spawned) }

        var status: Int32 = 0
        let finished = await eventually(timeout: timeout, interval: .milliseconds(20)) {
            waitpid(pid, &status, WNOHANG) == pid
        }
        if !finished {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        let signal = status & 0x7f
        return Output(
            status: !finished ? -1 : signal == 0 ? (status >> 8) & 0xff : 128 + signal,
            standardOutput: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    struct SpawnError: Error, CustomStringConvertible {
        var program: String
        var code: Int32
        var description: String { "cannot start \(program): \(String(cString: strerror(code)))" }
    }
}

/// Collects a source's events in the background.
final class EventRecorder: Sendable {
    private let events = Mutex<[ClusterEvent]>([])
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(_ source: any ClusterSource) {
        let stream = source.events()
        let task = Task { [weak self] in
            for await event in stream { self?.events.withLock { $0.append(event) } }
        }
        self.task.withLock { $0 = task }
    }

    var kinds: Set<GridEvent.Kind> {
        events.withLock { events in
            Set(
                events.compactMap { event in
                    if case .grid(let grid) = event { return grid.kind }
                    return nil
                })
        }
    }

    var notes: [String] {
        events.withLock { events in
            events.compactMap { event in
                if case .note(let text, _) = event { return text }
                return nil
            }
        }
    }

    func cancel() { task.withLock { $0?.cancel() } }
}
