import ArgumentParser
import Foundation
import GridCore
import GridSim

struct BenchGossipCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-gossip",
        abstract:
            "Measure gossip convergence, failover and bandwidth in the simulator, and calibrate the gossip interval.",
        discussion: """
            Every run is simulated (times are simulated milliseconds, the same for a seed on any \
            machine): a cluster forms and settles, its traffic is metered over 25 gossip rounds, it \
            grows by one slot and a new node joins, and once it has settled the leader of a random \
            partition crashes while a client writes to that partition every 10 ms. A cluster larger \
            than --formed-above starts formed instead (every slot joined, every partition open, no \
            locks). The first table runs the default timers on every size in --nodes; the second \
            runs a --calibration-nodes cluster at every interval in --intervals, with failure \
            timeout = 10 × interval, lease = 5 × interval and retransmission = interval. An empty \
            list skips its table. Progress goes to standard error, the tables (Markdown) to \
            standard output.
            """)

    @Option(help: "Cluster sizes for the convergence table, comma separated.") var nodes = "10,100,1000"
    @Option(help: "Gossip intervals in milliseconds for the calibration table, comma separated.")
    var intervals = "50,100,200,500,1000"
    @Option(help: "Cluster size of the calibration runs.") var calibrationNodes = 5
    @Option(help: "Seeds per configuration (1...K).") var seeds = 5
    @Option(help: "Partitions.") var partitions = 64
    @Option(help: "Replicas per partition.") var replication = 3
    @Option(help: "Runs at once (defaults to the number of cores).") var parallel = 0
    @Option(
        help: """
            Clusters larger than this start already formed and settled, so formation is not \
            measured: forming a thousand nodes from cold takes hours of simulation.
            """)
    var formedAbove = 300

    func validate() throws {
        guard let sizes = Self.numbers(nodes), let intervals = Self.numbers(intervals) else {
            throw ValidationError("--nodes and --intervals take comma-separated whole numbers")
        }
        // Every run grows the cluster by a slot, and after the crash a majority must be left.
        guard (sizes + [calibrationNodes]).allSatisfy({ 2...(Epoch.maximumSlots - 1) ~= $0 }) else {
            throw ValidationError("cluster sizes must be 2 to \(Epoch.maximumSlots - 1)")
        }
        guard seeds >= 1, partitions >= 1, replication >= 1 else {
            throw ValidationError("seeds, partitions and replication must be at least 1")
        }
        for interval in intervals {
            if let problem = GossipBenchmarkOptions.settings(gossipInterval: Int64(interval)).problem {
                throw ValidationError("gossip interval \(interval) ms: \(problem)")
            }
        }
    }

    /// Nil when any item is not a whole number; an empty text is an empty list.
    static func numbers(_ text: String) -> [Int]? {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let values = items.compactMap { Int($0) }
        return values.count == items.count ? values : nil
    }

    func options(nodes: Int) -> GossipBenchmarkOptions {
        var options = GossipBenchmarkOptions(nodes: nodes)
        options.partitions = partitions
        options.replication = replication
        options.startsFormed = nodes > formedAbove
        return options
    }

    func run() async throws {
        let convergence = Self.numbers(nodes)!.map { options(nodes: $0) }
        let calibration = Self.numbers(intervals)!.map { interval in
            var options = options(nodes: calibrationNodes)
            options.settings = GossipBenchmarkOptions.settings(gossipInterval: Int64(interval))
            return options
        }
        // A configuration in both tables runs once.
        var configurations: [GossipBenchmarkOptions] = []
        for options in convergence + calibration where !configurations.contains(options) {
            configurations.append(options)
        }
        // The largest clusters first, so that two cores are not left waiting on the last one.
        let runs = configurations.flatMap { options in (1...UInt64(seeds)).map { (options, $0) } }
            .sorted { $0.0.nodes > $1.0.nodes }
        let width = parallel > 0 ? parallel : max(1, ProcessInfo.processInfo.activeProcessorCount)
        var samples: [GossipBenchmarkOptions: [GossipSample]] = [:]
        let started = ContinuousClock.now
        @Sendable func report(_ line: String) {
            let seconds = (ContinuousClock.now - started).components.seconds
            FileHandle.standardError.write(Data("[\(seconds) s] \(line)\n".utf8))
        }
        let results = SimulationRunner.results(of: runs, parallel: width) { options, seed in
            GossipBenchmark.run(options, seed: seed) { phase in
                report("nodes \(options.nodes), gossip \(options.settings.gossipInterval) ms, seed \(seed): \(phase)")
            }
        }
        for await sample in results {
            report(GossipBenchmarkReport.line(sample))
            samples[sample.options, default: []].append(sample)
        }
        let shape =
            "\(partitions) partitions, replication \(replication), \(seeds) seed\(seeds == 1 ? "" : "s"), "
            + "median / max over seeds"
        if !convergence.isEmpty {
            let settings = NodeSettings()
            print(
                "Convergence (simulated ms; \(shape); gossip \(settings.gossipInterval) ms, failure timeout "
                    + "\(settings.failureTimeout) ms, lease \(settings.leaseDuration) ms):\n")
            GossipBenchmarkReport.convergenceTable(convergence.map { GossipSummary(samples[$0]!) }).forEach {
                print($0)
            }
        }
        if !calibration.isEmpty {
            if !convergence.isEmpty { print() }
            print(
                "Calibration (simulated ms; \(calibrationNodes) nodes growing to \(calibrationNodes + 1); \(shape)):\n")
            GossipBenchmarkReport.calibrationTable(calibration.map { GossipSummary(samples[$0]!) }).forEach {
                print($0)
            }
        }
        let all = samples.values.joined()
        if all.contains(where: { !$0.isComplete || $0.violations > 0 || $0.oversizedDatagrams > 0 }) {
            throw ExitCode(1)
        }
    }
}
