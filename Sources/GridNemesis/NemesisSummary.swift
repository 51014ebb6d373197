import Foundation

/// The totals over runs and the line `gossipgrid nemesis` ends with.
public struct NemesisSummary: Sendable {
    public var runs = 0
    public var splitBrains = 0
    public var lostWrites = 0
    public var phantomWrites = 0
    public var stuckPartitions = 0
    public var acknowledged = 0
    public var attempted = 0

    public init() {}

    public mutating func add(_ result: NemesisRunResult) {
        runs += 1
        splitBrains += result.verdict.splitBrains
        lostWrites += result.verdict.lostWrites.count
        phantomWrites += result.verdict.phantomWrites.count
        stuckPartitions += result.verdict.stuckPartitions.count
        acknowledged += result.verdict.acknowledged
        attempted += result.verdict.attempted
    }

    /// Split brains, lost acknowledged writes and stuck locks are the issue's three; a
    /// refused write that was applied breaks the definite 503, so it fails a run too.
    public var passed: Bool { splitBrains == 0 && lostWrites == 0 && stuckPartitions == 0 && phantomWrites == 0 }

    public var availability: Double { attempted == 0 ? 0 : Double(acknowledged) / Double(attempted) }

    public var line: String {
        "nemesis: \(runs) runs, \(splitBrains) split-brain, \(lostWrites) lost-acked-writes, "
            + "\(stuckPartitions) stuck-locks, \(String(format: "%.1f%%", availability * 100)) availability "
            + "(\(acknowledged) of \(attempted) writes acknowledged, \(phantomWrites) refused-but-applied)"
    }
}
