import GridCore

/// The seeds of one configuration, summarised into the cells `gossipgrid bench-gossip`
/// prints: the median and the maximum over the seeds, handshakes pooled over all of them.
public struct GossipSummary: Sendable {
    public let samples: [GossipSample]

    public init(_ samples: [GossipSample]) { self.samples = samples.sorted { $0.seed < $1.seed } }

    public var options: GossipBenchmarkOptions { samples[0].options }
    public var completeRuns: Int { samples.filter(\.isComplete).count }
    public var handshakes: [Int64] { samples.flatMap(\.handshakeMilliseconds) }
    public var largestDatagram: GossipSample? { samples.max { $0.largestDatagram < $1.largestDatagram } }
    public var oversizedDatagrams: Int { samples.map(\.oversizedDatagrams).reduce(0, +) }
    public var violations: Int { samples.map(\.violations).reduce(0, +) }

    /// "median / max" of a time over the runs that measured it, saying how many did not.
    func medianAndMax(_ time: (GossipSample) -> Int64?) -> String {
        let values = samples.compactMap(time)
        guard !values.isEmpty else { return "none finished" }
        let missing = samples.count - values.count
        let cell = "\(Self.median(values)) / \(values.max()!)"
        return missing == 0 ? cell : cell + " (\(missing) unfinished)"
    }

    func medianAndMax(_ rate: (GossipSample) -> Double) -> String {
        let values = samples.filter(\.isMetered).map { Int64(rate($0).rounded()) }
        guard !values.isEmpty else { return "none settled" }
        return "\(Self.median(values)) / \(values.max()!)"
    }

    var handshakeCell: String {
        let values = handshakes
        guard !values.isEmpty else { return "none (0)" }
        return "\(SimulationSummary.percentile(values, 0.5)) / \(SimulationSummary.percentile(values, 0.99)) "
            + "(\(values.count))"
    }

    var datagramCell: String {
        guard let largest = largestDatagram else { return "" }
        return "\(largest.largestDatagram) (\(largest.largestDatagramKind))"
    }

    static func median(_ values: [Int64]) -> Int64 { SimulationSummary.percentile(values, 0.5) }
}

/// The two tables of `gossipgrid bench-gossip`, as Markdown.
public enum GossipBenchmarkReport {
    /// One row per cluster size.
    public static func convergenceTable(_ summaries: [GossipSummary]) -> [String] {
        table(
            headers: [
                "nodes", "complete runs", "formation (ms)", "crash → every view disconnected (ms)",
                "crash → write accepted (ms)",
                "join → every view joined (ms)", "handshakes p50 / p99 (count)", "gossip B/s per node",
                "stream B/s per node", "largest datagram (bytes)", "oversized datagrams", "violations",
            ],
            rows: summaries.map { summary in
                [
                    "\(summary.options.nodes)", "\(summary.completeRuns)/\(summary.samples.count)",
                    summary.options.startsFormed ? "started formed" : summary.medianAndMax(\.formationMilliseconds),
                    summary.medianAndMax(\.detectionMilliseconds),
                    summary.medianAndMax(\.failoverMilliseconds),
                    summary.medianAndMax(\.joinMilliseconds), summary.handshakeCell,
                    summary.medianAndMax(\.gossipBytesPerSecond), summary.medianAndMax(\.streamBytesPerSecond),
                    summary.datagramCell, "\(summary.oversizedDatagrams)", "\(summary.violations)",
                ]
            })
    }

    /// One row per gossip interval.
    public static func calibrationTable(_ summaries: [GossipSummary]) -> [String] {
        table(
            headers: [
                "gossip interval (ms)", "failure timeout (ms)", "lease (ms)", "complete runs",
                "handshake window p50 / p99 (count)", "failover: crash → write accepted (ms)",
                "crash → every view disconnected (ms)", "gossip B/s per node", "largest datagram (bytes)",
                "violations",
            ],
            rows: summaries.map { summary in
                let settings = summary.options.settings
                return [
                    "\(settings.gossipInterval)", "\(settings.failureTimeout)", "\(settings.leaseDuration)",
                    "\(summary.completeRuns)/\(summary.samples.count)", summary.handshakeCell,
                    summary.medianAndMax(\.failoverMilliseconds), summary.medianAndMax(\.detectionMilliseconds),
                    summary.medianAndMax(\.gossipBytesPerSecond), summary.datagramCell, "\(summary.violations)",
                ]
            })
    }

    /// One line per run, for following a long benchmark as it goes.
    public static func line(_ sample: GossipSample) -> String {
        func time(_ value: Int64?) -> String { value.map { "\($0) ms" } ?? "unfinished" }
        return
            "nodes \(sample.options.nodes), gossip \(sample.options.settings.gossipInterval) ms, seed \(sample.seed): "
            + (sample.options.startsFormed ? "started formed" : "formed \(time(sample.formationMilliseconds))")
            + ", join \(time(sample.joinMilliseconds)), "
            + "detection \(time(sample.detectionMilliseconds)), failover \(time(sample.failoverMilliseconds)), "
            + "gossip \(Int(sample.gossipBytesPerSecond)) B/s per node, "
            + "largest datagram \(sample.largestDatagram) (\(sample.largestDatagramKind)), "
            + "\(sample.oversizedDatagrams) oversized, \(sample.violations) violations"
    }

    static func table(headers: [String], rows: [[String]]) -> [String] {
        func line(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }
        return [line(headers), line(headers.map { _ in "---" })] + rows.map(line)
    }
}
