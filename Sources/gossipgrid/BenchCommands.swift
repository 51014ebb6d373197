import ArgumentParser
import Foundation
import GridConsole

struct BenchRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-render",
        abstract: "Time the console's renderer on a large cluster in the middle of a resize.",
        discussion: """
            Renders the same screen (every eighth partition in a handshake, demo-load traffic, a \
            full event log) FRAMES times and prints the average and worst frame and the time to \
            merge the snapshot into the screen's view. Build with -c release for real numbers.
            """)

    @Option(help: "Nodes in the cluster drawn.") var nodes = 64
    @Option(help: "Partitions in the cluster drawn.") var partitions = 1024
    @Option(help: "Frames to render.") var frames = 500

    func validate() throws {
        guard nodes >= 1, partitions >= 1, frames >= 1 else {
            throw ValidationError("nodes, partitions and frames must be at least 1")
        }
    }

    func run() {
        let result = RenderBenchmark.run(frames: frames, nodes: nodes, partitions: partitions)
        print(
            "bench-render: \(nodes) nodes x \(partitions) partitions, 160x50, \(result.frames) frames: "
                + "average \(Self.milliseconds(result.average)) ms, worst \(Self.milliseconds(result.worst)) ms, "
                + "snapshot merge \(Self.milliseconds(result.merge)) ms")
    }

    static func milliseconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%.3f", value)
    }
}

struct BenchAttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-attach",
        abstract: "Time how long a cluster change takes to reach a console attached over HTTP.",
        discussion: """
            Starts an embedded three-node cluster, attaches a remote source to it as `console \
            --attach` does, resizes the cluster ROUNDS times (3 to 4 and back), and prints the time \
            from each resize to the first snapshot showing the new config version.
            """)

    @Option(help: "Resizes to time.") var rounds = 10

    func run() async throws {
        let samples = try await AttachLatencyBenchmark.run(rounds: rounds).sorted()
        let milliseconds = samples.map(BenchRenderCommand.milliseconds)
        print(
            "bench-attach: \(samples.count) changes: median \(milliseconds[samples.count / 2]) ms, "
                + "worst \(milliseconds[samples.count - 1]) ms (\(milliseconds.joined(separator: ", ")))")
    }
}
