import ArgumentParser
import Foundation
import GridNemesis

struct BenchHandshakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-handshake",
        abstract: "Measure write unavailability per moved partition on real node processes.",
        discussion: """
            Starts three named node processes, writes to every partition through the first one \
            without pause, and ROUNDS times: resizes 3 → 4 (a fourth node joins), 4 → 3, and \
            SIGKILLs the node leading the most partitions and starts it again. Prints, per moved \
            partition, the milliseconds from its first 503 to its first accepted write (resizes) \
            and from the kill to its first accepted write (failover). Build with -c release.
            """)

    @Option(help: "Rounds of grow, shrink and kill.") var rounds = 5
    @Option(help: "Partitions.") var partitions = 16

    func validate() throws {
        guard rounds >= 1, partitions >= 1 else { throw ValidationError("rounds and partitions must be at least 1") }
    }

    func run() async throws {
        guard let executable = Bundle.main.executablePath else { throw ValidationError("cannot find this executable") }
        var options = HandshakeBenchmark.Options(executable: executable)
        options.rounds = rounds
        options.partitions = partitions
        options.log = { print($0) }
        let result: HandshakeBenchmark.Result
        do {
            result = try await HandshakeBenchmark.run(options)
        } catch {
            throw CommandLineOutput.failure("bench-handshake: \(error)")
        }
        for (name, values) in [
            ("resize 3 -> 4", result.grow), ("resize 4 -> 3", result.shrink), ("killed leader", result.failover),
        ] {
            print(
                "bench-handshake: \(name): \(values.count) partitions, p50 \(HandshakeBenchmark.percentile(values, 0.5)) ms, "
                    + "p99 \(HandshakeBenchmark.percentile(values, 0.99)) ms, max \(values.max() ?? 0) ms")
        }
    }
}
