import Foundation
import GridCore

/// How long writes to a partition are refused while its leadership moves, measured on
/// real processes from the outside: one prober per partition writes through node 0 (which
/// forwards to the leader) and notes every answer.
public enum HandshakeBenchmark {
    public struct Options: Sendable {
        public var executable: String
        public var rounds = 5
        public var partitions = 16
        public var log: @Sendable (String) -> Void = { _ in }

        public init(executable: String) {
            self.executable = executable
        }
    }

    /// Milliseconds per moved partition: resize 3 → 4 and 4 → 3 from its first 503 to its
    /// first accepted write, and a killed leader's partitions from the kill to their first
    /// accepted write.
    public struct Result: Sendable {
        public var grow: [Int64] = []
        public var shrink: [Int64] = []
        public var failover: [Int64] = []
    }

    public static func run(_ options: Options) async throws -> Result {
        let (network, _) = TestNetwork.make(hosts: 4)
        defer { network.tearDown() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gossipgrid-bench-handshake-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fleet = NodeFleet(
            executable: options.executable, network: network, directory: directory, cluster: "bench",
            nodeArguments: [
                "--slots", "3", "--partitions", "\(options.partitions)", "--replication", "3",
                "--token", NemesisRun.token, "--log-level", "warning",
            ])
        let client = NemesisClient(token: NemesisRun.token)
        let watch = ClusterWatch(fleet: fleet, client: client, partitions: options.partitions, log: options.log)
        do {
            let result = try await measure(options, fleet: fleet, client: client, watch: watch)
            await fleet.stopAll()
            return result
        } catch {
            await fleet.stopAll()
            throw error
        }
    }

    private static func measure(
        _ options: Options, fleet: NodeFleet, client: NemesisClient, watch: ClusterWatch
    ) async throws -> Result {
        try await fleet.start(0, seed: nil)
        for host in 1...2 { try await fleet.start(host, seed: 0) }
        try await settle(watch)
        guard let entry = await fleet.httpAddress(of: 0) else { return Result() }
        let probes = Probes(client: client, target: entry, partitions: options.partitions)
        let probing = Task { await probes.run() }
        defer { probing.cancel() }

        var result = Result()
        let clock = ContinuousClock()
        // Kills first: after a shrink the joint quorum keeps the departed slot's owner set
        // until the next resize, and one more dead node can then leave partitions locked
        // until it returns (a known limit, in the README), which is not a failover to time.
        for round in 1...options.rounds {
            let status = await watch.statuses().first
            let addresses = await fleet.httpAddresses
            // Kill whichever of nodes 1 and 2 leads more: node 0 takes the writes.
            let victim =
                [1, 2].max {
                    partitions(ledBy: $0, in: status, addresses: addresses).count
                        < partitions(ledBy: $1, in: status, addresses: addresses).count
                } ?? 1
            let led = partitions(ledBy: victim, in: status, addresses: addresses)
            // Timed from the moment the process is gone: a write answered before is no failover.
            await fleet.kill(victim)
            let start = clock.now
            let reopened = await probes.firstAcceptance(of: led, since: start, within: .seconds(60))
            if reopened.count < led.count {
                options.log("kill \(round): partitions \(led) of n\(victim) did not all reopen")
                for status in await watch.statuses() { options.log("  \(ClusterWatch.view(status))") }
            }
            result.failover += reopened
            try await fleet.start(victim, seed: 0)
            try await settle(watch)
            options.log("kill \(round): n\(victim) led \(led.count) partitions")
        }
        for round in 1...options.rounds {
            var start = clock.now
            try await resize(to: 4, client: client, fleet: fleet)
            try await fleet.start(3, seed: 0, fresh: true)
            try await settle(watch)
            result.grow += await probes.refusalWindows(since: start)

            start = clock.now
            try await resize(to: 3, client: client, fleet: fleet)
            if !(await fleet.waitForExit(3, timeout: .seconds(30))) { await fleet.kill(3) }
            try await settle(watch)
            result.shrink += await probes.refusalWindows(since: start)
            options.log(
                "resize \(round): \(result.grow.count) partitions moved growing, \(result.shrink.count) shrinking so far"
            )
        }
        return result
    }

    private static func settle(_ watch: ClusterWatch) async throws {
        guard await watch.settle(within: 90_000).isEmpty else {
            throw NemesisError.command("bench-handshake", "the cluster did not settle")
        }
    }

    private static func resize(to size: Int, client: NemesisClient, fleet: NodeFleet) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while clock.now < deadline {
            if let http = await fleet.httpAddress(of: 0), await client.resize(to: size, via: http) == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw NemesisError.command("resize to \(size)", "refused for 30 s")
    }

    private static func partitions(ledBy host: Int, in status: ClusterStatus?, addresses: [Int: String]) -> [Int] {
        guard let status, let http = addresses[host], let id = status.nodes.first(where: { $0.http == http })?.id
        else { return [] }
        return status.partitions.filter { $0.leader == id }.map(\.id)
    }

    /// The `fraction` percentile of `values`, in the simulator's convention.
    public static func percentile(_ values: [Int64], _ fraction: Double) -> Int64 {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded(.up)))]
    }
}

/// One writer per partition, each writing its partition's key again as soon as it has an
/// answer, and every answer with when it came.
private actor Probes {
    struct Answer {
        var at: ContinuousClock.Instant
        var accepted: Bool
        var refused: Bool
    }

    let client: NemesisClient
    let target: String
    let keys: [String]
    private var answers: [[Answer]]

    init(client: NemesisClient, target: String, partitions: Int) {
        self.client = client
        self.target = target
        keys = PartitionHash.keysCoveringEveryPartition(partitionCount: partitions, prefix: "probe")
        answers = Array(repeating: [], count: partitions)
    }

    nonisolated func run() async {
        await withTaskGroup(of: Void.self) { group in
            for partition in keys.indices {
                group.addTask { await self.probe(partition) }
            }
        }
    }

    /// Sends a write every 20 ms without waiting for the ones before: a write forwarded to
    /// a dead leader hangs until the node's request timeout, and a prober that waited for it
    /// would time that timeout instead of the partition's reopening.
    private nonisolated func probe(_ partition: Int) async {
        await withTaskGroup(of: Void.self) { group in
            var counter = 0
            var inFlight = 0
            while !Task.isCancelled {
                counter += 1
                if inFlight >= 64 {
                    await group.next()
                    inFlight -= 1
                }
                let value = "\(counter)"
                group.addTask {
                    let outcome = await self.client.write(key: self.keys[partition], value: value, to: self.target)
                    let accepted = if case .acknowledged = outcome { true } else { false }
                    await self.record(partition, Answer(at: .now, accepted: accepted, refused: outcome == .refused))
                }
                inFlight += 1
                try? await Task.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
        }
    }

    private func record(_ partition: Int, _ answer: Answer) { answers[partition].append(answer) }

    /// For each partition refused since `start`: its first refusal to its first acceptance after it.
    func refusalWindows(since start: ContinuousClock.Instant) -> [Int64] {
        answers.compactMap { partitionAnswers in
            let recent = partitionAnswers.filter { $0.at >= start }
            guard let refused = recent.firstIndex(where: \.refused),
                let accepted = recent[refused...].first(where: \.accepted)
            else { return nil }
            return Self.milliseconds(accepted.at - recent[refused].at)
        }
    }

    /// For each of `partitions`: from `start` to its first acceptance, waiting up to `timeout`.
    func firstAcceptance(
        of partitions: [Int], since start: ContinuousClock.Instant, within timeout: Duration
    ) async
        -> [Int64]
    {
        let deadline = start + timeout
        while ContinuousClock.now < deadline {
            let accepted = partitions.compactMap { partition in
                answers[partition].first { $0.at > start && $0.accepted }
            }
            if accepted.count == partitions.count { return accepted.map { Self.milliseconds($0.at - start) } }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return []
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
