import ArgumentParser
import Foundation
import GridNemesis

struct NemesisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nemesis",
        abstract: "Inject faults into a cluster of real node processes and check what a client saw.",
        discussion: """
            Each run starts NODES `gossipgrid node` processes (each in its own network namespace \
            when run as root, else on the loopback without partition faults), writes a fresh key \
            per write from WRITERS clients through random nodes, and injects a seeded schedule of \
            faults: SIGKILL and restart, SIGSTOP of a leader past the failure timeout, a node cut \
            off from the others, slow lock acknowledgments, SIGTERM and restart, and resizes up \
            and down. Then it heals everything, waits for the cluster to settle, reads every key \
            back and checks the history. Exits 0 only with no split brain, no lost acknowledged \
            write, no stuck lock and no refused write that was applied.
            """)

    @Option(help: "Runs, with seeds SEED, SEED+1, ...") var runs = 1
    @Option(help: "The first run's seed.") var seed: UInt64 = 1
    @Option(help: "Nodes at the start (3 to 5).") var nodes = 3
    @Option(help: "Partitions.") var partitions = 16
    @Option(help: "Faults: a comma list of \(NemesisFault.allCases.map(\.rawValue).joined(separator: ",")), or all.")
    var faults = "all"
    @Option(help: "Fencing of every node: lease, or seed to show what the lease prevents.") var fencing = "lease"
    @Option(help: "Seconds of faults per run.") var seconds = 30
    @Option(help: "Seconds the healed cluster gets to settle.") var settleSeconds = 60
    @Option(help: "Concurrent writers.") var writers = 4
    @Flag(help: "Print each fault as it is injected.") var verbose = false

    func validate() throws {
        guard (3...5).contains(nodes) else { throw ValidationError("--nodes must be 3 to 5") }
        guard NemesisFault.parseList(faults) != nil else { throw ValidationError("unknown fault in '\(faults)'") }
        guard ["lease", "seed"].contains(fencing) else { throw ValidationError("--fencing must be lease or seed") }
        guard runs >= 1, seconds >= 1, settleSeconds >= 1, writers >= 1, partitions >= 1 else {
            throw ValidationError("runs, seconds, settle seconds, writers and partitions must be at least 1")
        }
    }

    func run() async throws {
        guard let executable = Bundle.main.executablePath else { throw ValidationError("cannot find this executable") }
        var summary = NemesisSummary()
        for index in 0..<runs {
            var options = NemesisOptions(executable: executable)
            options.nodes = nodes
            options.partitions = partitions
            options.faults = NemesisFault.parseList(faults)!
            options.fencing = fencing
            options.faultMilliseconds = Int64(seconds) * 1_000
            options.settleMilliseconds = Int64(settleSeconds) * 1_000
            options.writers = writers
            options.seed = seed + UInt64(index)
            if verbose { options.log = { print($0) } }
            let result: NemesisRunResult
            do {
                result = try await NemesisRun.run(options)
            } catch {
                throw CommandLineOutput.failure("nemesis run \(options.seed) could not run: \(error)")
            }
            summary.add(result)
            print(Self.describe(result))
        }
        print(summary.line)
        if !summary.passed { throw ExitCode(1) }
    }

    static func describe(_ result: NemesisRunResult) -> String {
        let verdict = result.verdict
        var lines = [
            "run \(result.seed) on \(result.network.rawValue): \(verdict.attempted) writes, \(verdict.acknowledged) acknowledged, "
                + "\(result.faults.count) faults, \(verdict.splitBrains) split-brain, \(verdict.lostWrites.count) lost, "
                + "\(verdict.stuckPartitions.count) stuck, \(verdict.phantomWrites.count) refused-but-applied"
        ]
        if let fallback = result.fallback { lines.append("  no network namespaces, so no partitions: \(fallback)") }
        let findings =
            verdict.sharedEpochs.map { "  one epoch, two writers: \($0)" }
            + verdict.staleLeaderWrites.map { "  old leader wrote after a newer epoch: \($0)" }
            + verdict.lostWrites.map { "  lost: \($0)" } + verdict.phantomWrites.map { "  refused but applied: \($0)" }
        lines += findings.prefix(10)
        if findings.count > 10 { lines.append("  … \(findings.count - 10) more") }
        if !verdict.stuckPartitions.isEmpty { lines.append("  stuck partitions: \(verdict.stuckPartitions)") }
        if !verdict.passed { lines += result.faults.map { "  fault \($0)" } }
        return lines.joined(separator: "\n")
    }
}
