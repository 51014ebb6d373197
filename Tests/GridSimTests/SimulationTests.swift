import GridCore
import GridSim
import Testing

@Suite struct SimulationTests {
    /// Shorter fault windows than the command's default, so a debug `swift test` can afford
    /// hundreds of seeds; every fault kind still fires several times per run.
    static func options(fencing: Fencing = .lease, faults: Set<Fault> = Set(Fault.allCases)) -> SimulationOptions {
        var options = SimulationOptions()
        options.fencing = fencing
        options.settings.fencing = fencing
        options.faults = faults
        options.faultMilliseconds = 6_000
        return options
    }

    static func summary(
        seeds: ClosedRange<UInt64>, options: SimulationOptions
    ) async -> (SimulationSummary, [SimulationResult]) {
        var summary = SimulationSummary()
        var failures: [SimulationResult] = []
        for await result in SimulationRunner.results(of: Array(seeds), options: options, parallel: 2) {
            summary.add(result)
            if result.failed { failures.append(result) }
        }
        return (summary, failures)
    }

    @Test func leaseFencingKeepsEveryInvariantUnderAllFaults() async {
        let (summary, failures) = await Self.summary(seeds: 1...300, options: Self.options())
        #expect(summary.runs == 300)
        for failure in failures.prefix(3) {
            Issue.record(
                "seed \(failure.seed): \(failure.failure ?? "")\n\(failure.trace.suffix(30).joined(separator: "\n"))")
        }
        #expect(summary.passed, "\(summary.line)")
        #expect(summary.durations.count > 300 * 5, "handshakes must actually happen")
    }

    @Test func seedFencingShowsTheSplitBrainTheLeasePrevents() async {
        let options = Self.options(fencing: .seed, faults: [.pause, .partition, .delay])
        let (summary, _) = await Self.summary(seeds: 1...60, options: options)
        #expect(summary.splitBrainRuns > 0, "\(summary.line)")
        #expect(!summary.passed)
    }

    @Test func aSeedReplaysExactly() {
        let first = Simulation.run(options: Self.options(), seed: 42)
        let second = Simulation.run(options: Self.options(), seed: 42)
        #expect(first.events == second.events)
        #expect(first.trace == second.trace)
        #expect(first.handshakeDurations == second.handshakeDurations)
        #expect(first.acknowledgedWrites == second.acknowledgedWrites)
        #expect(first.acknowledgedWrites > 0)
    }

    @Test func theSummaryLineHasTheDocumentedShape() {
        var summary = SimulationSummary()
        var result = SimulationResult(seed: 1)
        result.handshakeDurations = [5, 10, 400]
        summary.add(result)
        #expect(summary.line.hasPrefix("simulate: 1 runs, 0 split-brain, 0 lost-acked-writes, 0 stuck-locks"))
        #expect(summary.line.contains("p50 10 ms") && summary.line.contains("p99 400 ms"))
    }

    @Test func faultListsParse() {
        #expect(Fault.parseList("all") == Set(Fault.allCases))
        #expect(Fault.parseList("none") == [])
        #expect(Fault.parseList("delay, loss") == [.delay, .loss])
        #expect(Fault.parseList("delay,gremlins") == nil)
    }
}
