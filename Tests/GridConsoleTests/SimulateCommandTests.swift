import Foundation
import Testing

/// `gossipgrid simulate` as a user runs it: separate processes, whose dictionaries iterate
/// in different orders, must still replay every seed identically.
@Suite("simulate command")
struct SimulateCommandTests {
    static let arguments = ["simulate", "--seeds", "100", "--faults", "all"]

    @Test func twoProcessesReplayTheSameSeedsIdentically() async throws {
        let gossipgrid = try #require(Live.executable, "build the gossipgrid product first")
        let first = try await Live.run(gossipgrid, Self.arguments, timeout: .seconds(300))
        let second = try await Live.run(gossipgrid, Self.arguments, timeout: .seconds(300))
        #expect(first.status == 0, "\(first.standardOutput)")
        let summary = first.standardOutput.split(separator: "\n").last.map(String.init) ?? ""
        #expect(
            summary.hasPrefix("simulate: 100 runs, 0 split-brain, 0 lost-acked-writes, 0 stuck-locks"), "\(summary)")
        #expect(first.standardOutput == second.standardOutput)
    }

    @Test func seedFencingFailsWithTheSeedAndItsReplay() async throws {
        let gossipgrid = try #require(Live.executable, "build the gossipgrid product first")
        let run = try await Live.run(
            gossipgrid, ["simulate", "--seeds", "10", "--faults", "all", "--fencing", "seed"], timeout: .seconds(300))
        #expect(run.status == 1)
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        let failure = try #require(lines.first { $0.hasPrefix("seed ") && $0.contains(" FAILED: ") })
        #expect(failure.contains("both accept writes"), "\(failure)")
        #expect(lines.contains { $0.hasPrefix("  replay: gossipgrid simulate --seed ") })
        let summary = try #require(lines.last)
        #expect(summary.hasPrefix("simulate: 10 runs, "))
        #expect(!summary.contains(" 0 split-brain"), "\(summary)")
    }
}
