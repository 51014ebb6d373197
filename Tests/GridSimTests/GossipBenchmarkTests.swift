import GridCore
import GridSim
import Testing

/// The benchmark's invariants on a small cluster; its timings are for `gossipgrid bench-gossip`.
@Suite struct GossipBenchmarkTests {
    static func options() -> GossipBenchmarkOptions {
        var options = GossipBenchmarkOptions(nodes: 10)
        options.partitions = 16
        return options
    }

    @Test(arguments: [UInt64(1), 2])
    func everyPhaseFinishesWithinTheLimits(seed: UInt64) throws {
        let sample = GossipBenchmark.run(Self.options(), seed: seed)
        #expect(sample.isComplete, "\(GossipBenchmarkReport.line(sample))")
        #expect(try #require(sample.formationMilliseconds) > 0)
        #expect(try #require(sample.joinMilliseconds) > 0)
        #expect(try #require(sample.detectionMilliseconds) > 0)
        #expect(try #require(sample.failoverMilliseconds) > 0)
        #expect(!sample.handshakeMilliseconds.isEmpty, "the new slot takes over some partitions")
        #expect(sample.handshakeMilliseconds.allSatisfy { $0 > 0 })
        #expect(sample.gossipBytesPerSecond > 0)
        #expect(sample.largestDatagram > 0)
        #expect(sample.largestDatagram <= WireCodec.maximumDatagramBytes)
        #expect(sample.oversizedDatagrams == 0)
        #expect(sample.violations == 0)
    }

    @Test func aClusterThatStartsFormedMeasuresEveryMembershipChange() throws {
        var options = Self.options()
        options.startsFormed = true
        let sample = GossipBenchmark.run(options, seed: 1)
        #expect(sample.isComplete, "\(GossipBenchmarkReport.line(sample))")
        #expect(sample.formationMilliseconds == nil)
        #expect(sample.isMetered && sample.gossipBytesPerSecond > 0)
        #expect(try #require(sample.joinMilliseconds) > 0)
        #expect(try #require(sample.detectionMilliseconds) > 0)
        #expect(try #require(sample.failoverMilliseconds) > 0)
        #expect(!sample.handshakeMilliseconds.isEmpty, "the new slot takes over some partitions")
        #expect(sample.violations == 0)
        let row = GossipBenchmarkReport.convergenceTable([GossipSummary([sample])])[2]
        #expect(row.contains("| started formed |"))
    }

    @Test func aSeedReplaysExactly() {
        let first = GossipBenchmark.run(Self.options(), seed: 3)
        let second = GossipBenchmark.run(Self.options(), seed: 3)
        #expect(first.formationMilliseconds == second.formationMilliseconds)
        #expect(first.joinMilliseconds == second.joinMilliseconds)
        #expect(first.handshakeMilliseconds == second.handshakeMilliseconds)
        #expect(first.detectionMilliseconds == second.detectionMilliseconds)
        #expect(first.failoverMilliseconds == second.failoverMilliseconds)
        #expect(first.gossipBytesPerSecond == second.gossipBytesPerSecond)
        #expect(first.largestDatagram == second.largestDatagram)
    }

    @Test func calibrationSettingsScaleFromTheDefaults() {
        let defaults = NodeSettings()
        let scaled = GossipBenchmarkOptions.settings(gossipInterval: defaults.gossipInterval)
        #expect(scaled == defaults, "200 ms reproduces the defaults")
        for interval: Int64 in [50, 100, 200, 500, 1_000] {
            #expect(GossipBenchmarkOptions.settings(gossipInterval: interval).problem == nil)
        }
    }

    @Test func theTablesHaveARowPerConfiguration() {
        let summaries = [GossipSummary([GossipBenchmark.run(Self.options(), seed: 1)])]
        let convergence = GossipBenchmarkReport.convergenceTable(summaries)
        let calibration = GossipBenchmarkReport.calibrationTable(summaries)
        #expect(convergence.count == 3)
        #expect(calibration.count == 3)
        let cells = convergence[2].split(separator: "|").map { $0.filter { !$0.isWhitespace } }
        #expect(cells.first == "10")
        #expect(cells[1] == "1/1")
        #expect(convergence[0].split(separator: "|").count == cells.count)
    }
}
