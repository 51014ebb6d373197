import ArgumentParser
import Foundation
import GridCore
import GridSim

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run GridCore nodes under the deterministic simulator and check the invariants.",
        discussion: """
            Each seed is one run: the cluster forms, a client writes unique values while faults are \
            injected, then faults stop and the run must settle. After every step the checkers look for \
            two writers on one partition, epochs going backwards, and (at the end) acknowledged writes \
            missing from the leader and handshakes that never finished. A failing run prints its seed \
            and the events that led to it; `--seed S` replays it exactly.
            """)

    @Option(help: "Nodes at the start (the initial cluster size).") var nodes = 5
    @Option(help: "Partitions.") var partitions = 16
    @Option(help: "Replicas per partition.") var replication = 3
    @Option(help: "Run seeds 1...K.") var seeds = 100
    @Option(help: "Run only this seed (replays a failure).") var seed: UInt64?
    @Option(help: "Faults: a comma list of delay,loss,partition,pause,crash,restart,resize, or all, or none.")
    var faults = "all"
    @Option(help: "Fencing: lease (the safe default) or seed (the seed's behaviour, to show its split brain).")
    var fencing = "lease"
    @Option(help: "Simulated milliseconds of faults per run.") var faultMilliseconds: Int64 = 20_000
    @Option(help: "Entries kept per partition log after a compaction (small, so that runs compact and send snapshots).")
    var logRetention = 8
    @Option(help: "Runs at once (defaults to the number of cores).") var parallel = 0
    @Option(help: "Events kept in a failing run's trace.") var traceLines = 120
    @Flag(help: "Print the trace of every failing run, not only the first three.") var verbose = false

    func validate() throws {
        guard Fault.parseList(faults) != nil else {
            throw ValidationError(
                "unknown fault in '\(faults)'; use \(Fault.allCases.map(\.rawValue).joined(separator: ",")), all or none"
            )
        }
        guard Fencing(rawValue: fencing) != nil else { throw ValidationError("fencing must be lease or seed") }
        guard nodes >= 1, partitions >= 1, replication >= 1, seeds >= 1, logRetention >= 1 else {
            throw ValidationError("nodes, partitions, replication, seeds and log retention must be at least 1")
        }
    }

    /// Every option that shapes a run, so the printed command replays exactly this run.
    func replayCommand(seed: UInt64) -> String {
        "gossipgrid simulate --seed \(seed) --nodes \(nodes) --partitions \(partitions) --replication \(replication)"
            + " --faults \(faults) --fencing \(fencing) --fault-milliseconds \(faultMilliseconds)"
            + " --log-retention \(logRetention)"
    }

    func run() async throws {
        var options = SimulationOptions()
        options.nodes = nodes
        options.partitions = partitions
        options.replication = replication
        options.faults = Fault.parseList(faults)!
        options.fencing = Fencing(rawValue: fencing)!
        options.settings.fencing = options.fencing
        options.faultMilliseconds = faultMilliseconds
        options.settings.logRetention = logRetention
        options.traceLines = max(1, traceLines)
        let seedList = seed.map { [$0] } ?? Array(1...UInt64(seeds))
        let width = parallel > 0 ? parallel : max(1, ProcessInfo.processInfo.activeProcessorCount)
        var summary = SimulationSummary()
        var printed = 0
        for await result in SimulationRunner.results(of: seedList, options: options, parallel: width) {
            summary.add(result)
            guard result.failed else { continue }
            print("seed \(result.seed) FAILED: \(result.failure ?? "?")")
            if printed < 3 || verbose || seed != nil {
                for line in result.trace { print("  \(line)") }
                print("  replay: \(replayCommand(seed: result.seed))")
            }
            printed += 1
        }
        if !summary.failedSeeds.isEmpty {
            print("failing seeds: \(summary.failedSeeds.sorted().prefix(20).map(String.init).joined(separator: " "))")
        }
        print(summary.line)
        if !summary.passed { throw ExitCode(1) }
    }
}
