import Foundation
import GridCore
import GridSim

/// What one run found.
public struct NemesisRunResult: Sendable {
    public var seed: UInt64
    public var verdict: HistoryVerdict
    /// Each fault injected, with when.
    public var faults: [String]
    public var network: TestNetwork.Kind
    /// Why namespaces (and so partitions) were not available, if they were not.
    public var fallback: String?
}

/// One run: a cluster of real processes, a recording client, a seeded fault schedule,
/// then healing, settling, reading everything back and judging the history.
public struct NemesisRun: Sendable {
    static let token = "nemesis"

    let options: NemesisOptions
    let network: TestNetwork
    let fleet: NodeFleet
    let client = NemesisClient(token: token)
    let clock = ContinuousClock()
    let started: ContinuousClock.Instant
    var watch: ClusterWatch {
        ClusterWatch(fleet: fleet, client: client, partitions: options.partitions, log: options.log)
    }

    public static func run(_ options: NemesisOptions) async throws -> NemesisRunResult {
        guard FileManager.default.isExecutableFile(atPath: options.executable) else {
            throw NemesisError.noExecutable(options.executable)
        }
        let (network, fallback) = TestNetwork.make(hosts: options.nodes + 1)
        defer { network.tearDown() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gossipgrid-nemesis-\(getpid())-\(options.seed)-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fleet = NodeFleet(
            executable: options.executable, network: network, directory: directory, cluster: "nemesis",
            nodeArguments: [
                "--slots", "\(options.nodes)", "--partitions", "\(options.partitions)", "--replication", "3",
                "--token", token, "--fencing", options.fencing, "--log-level", "warning",
            ])
        let run = NemesisRun(options: options, network: network, fleet: fleet, started: ContinuousClock().now)
        do {
            let result = try await run.execute(fallback: fallback)
            await fleet.stopAll()
            return result
        } catch {
            await fleet.stopAll()
            throw error
        }
    }

    private func execute(fallback: String?) async throws -> NemesisRunResult {
        try await fleet.start(0, seed: nil)
        for host in 1..<options.nodes { try await fleet.start(host, seed: 0) }
        guard await settle(within: 90_000).isEmpty else {
            throw NemesisError.command("forming the cluster", "the first \(options.nodes) nodes never settled")
        }
        options.log(
            "run \(options.seed): \(options.nodes) nodes on \(network.kind.rawValue), faults for \(options.faultMilliseconds) ms"
        )

        let recorder = Recorder()
        let faultsEnd = clock.now + .milliseconds(options.faultMilliseconds)
        async let written: Void = write(until: faultsEnd, into: recorder)
        let schedule = FaultSchedule(run: self, seed: options.seed)
        let faults = await schedule.inject(until: faultsEnd)
        await written

        await heal(size: schedule.size)
        let stuck = await settle(within: options.settleMilliseconds)
        let history = await recorder.operations
        let finalValues = await readBack(history)
        let verdict = HistoryChecker.verdict(of: history, finalValues: finalValues, stuckPartitions: stuck)
        return NemesisRunResult(
            seed: options.seed, verdict: verdict, faults: faults, network: network.kind, fallback: fallback)
    }

    /// Milliseconds since the run started, on the client's clock.
    var elapsed: Int64 {
        let duration = clock.now - started
        return duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    // MARK: The client

    private actor Recorder {
        var operations: [ClientOperation] = []
        func record(_ operation: ClientOperation) { operations.append(operation) }
    }

    /// Writers, each sending a fresh key to a random node (dead ones included: a client
    /// does not know) and waiting for the answer before the next.
    private func write(until end: ContinuousClock.Instant, into recorder: Recorder) async {
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<options.writers {
                group.addTask {
                    var random = SeededRandom(seed: options.seed &* 7_919 &+ UInt64(writer))
                    var index = 0
                    while clock.now < end {
                        index += 1
                        let addresses = await fleet.httpAddresses.sorted { $0.key < $1.key }
                        guard let (host, http) = addresses.randomElement(using: &random) else { break }
                        let key = "s\(options.seed)-w\(writer)-\(index)"
                        let value = "v\(index)"
                        let invoked = elapsed
                        let outcome = await client.write(key: key, value: value, to: http)
                        await recorder.record(
                            ClientOperation(
                                key: key, value: value, contacted: host, invoked: invoked, completed: elapsed,
                                outcome: outcome))
                        // A refusal comes back at once: pacing keeps a writer from spinning.
                        if case .acknowledged = outcome { continue }
                        try? await Task.sleep(for: .milliseconds(50))
                    }
                }
            }
        }
    }

    /// Every acknowledged or refused write's key, read back from the nodes. A key that
    /// does not show its value yet is read again for a while: a replica may still be
    /// catching up, and a node may be busy.
    private func readBack(_ history: [ClientOperation]) async -> [String: String?] {
        var values: [String: String?] = [:]
        var pending = history.filter { if case .indeterminate = $0.outcome { false } else { true } }
        let deadline = clock.now + .seconds(30)
        var round = 0
        while !pending.isEmpty {
            let hosts = await fleet.responsive
            guard !hosts.isEmpty else { break }
            var unsettled: [ClientOperation] = []
            for (index, operation) in pending.enumerated() {
                guard let http = await fleet.httpAddress(of: hosts[(index + round) % hosts.count]),
                    let value = await client.read(key: operation.key, from: http)
                else {
                    unsettled.append(operation)
                    continue
                }
                values[operation.key] = .some(value)
                if case .acknowledged = operation.outcome, value != operation.value { unsettled.append(operation) }
            }
            pending = unsettled
            round += 1
            guard clock.now < deadline else { break }
            if !pending.isEmpty { try? await Task.sleep(for: .milliseconds(500)) }
        }
        return values
    }

    // MARK: The cluster

    /// Undoes every fault: the network whole, paused nodes resumed, acknowledgments prompt,
    /// and every node of the current configuration running.
    private func heal(size: Int) async {
        network.healAll()
        for host in await fleet.running { await fleet.resume(host) }
        for host in await fleet.stopped where host < size {
            let seed = await fleet.responsive.first
            try? await fleet.start(host, seed: seed)
        }
        for host in await fleet.responsive {
            if let http = await fleet.httpAddress(of: host) { await client.setAcknowledgmentDelay(0, via: http) }
        }
    }

    func settle(within milliseconds: Int64) async -> [Int] {
        await watch.settle(within: milliseconds)
    }

    func statuses() async -> [ClusterStatus] { await watch.statuses() }
}
