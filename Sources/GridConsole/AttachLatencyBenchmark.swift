import GridCore

/// How long a change in the cluster takes to reach an attached console (`--attach`): an
/// embedded cluster is resized back and forth while a `RemoteClusterSource` follows it over
/// HTTP, and each sample is the time from the resize to the first snapshot that shows the
/// new config version. The bound is 300 ms on loopback. Not a test: timings depend
/// on the machine.
public enum AttachLatencyBenchmark {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func run(rounds: Int) async throws -> [Duration] {
        var configuration = EmbeddedClusterSource.Configuration()
        configuration.partitions = 32
        let embedded = try await EmbeddedClusterSource.start(configuration)
        do {
            let samples = try await measure(embedded, rounds: rounds)
            await embedded.stop()
            return samples
        } catch {
            await embedded.stop()
            throw error
        }
    }

    private static func measure(_ embedded: EmbeddedClusterSource, rounds: Int) async throws -> [Duration] {
        guard await embedded.waitUntilSettled() else { throw Failure(description: "the cluster never formed") }
        let first = await embedded.snapshot().statuses.values.first
        guard let status = first, let http = status.nodes.first(where: { $0.id == status.node.id })?.http,
            let endpoint = GridEndpoint(http)
        else { throw Failure(description: "no node to attach to") }
        let remote = try await RemoteClusterSource.connect(to: [endpoint])
        _ = await remote.waitUntilPolled()
        let clock = ContinuousClock()
        var samples: [Duration] = []
        for round in 0..<max(1, rounds) {
            let size = round % 2 == 0 ? 4 : 3
            let before = await highestVersion(remote)
            let start = clock.now
            // Watched beside the resize, which returns only once a grown cluster's new node
            // has started.
            async let seen = firstSeen(above: before, on: remote, clock: clock)
            let resized = await embedded.resize(to: size)
            guard resized.succeeded, let seenAt = await seen else {
                await remote.stop()
                throw Failure(description: "resize to \(size): \(resized.message)")
            }
            samples.append(seenAt - start)
            // The next resize would be refused while this one's handshakes run.
            guard await embedded.waitUntilSettled(timeout: .seconds(60)) else {
                await remote.stop()
                throw Failure(description: "the cluster did not settle at size \(size)")
            }
        }
        await remote.stop()
        return samples
    }

    /// When `source` first showed a config version above `version`; nil after 30 s.
    private static func firstSeen(
        above version: UInt64, on source: RemoteClusterSource, clock: ContinuousClock
    ) async -> ContinuousClock.Instant? {
        let deadline = clock.now + .seconds(30)
        while clock.now < deadline {
            if await highestVersion(source) > version { return clock.now }
            try? await clock.sleep(for: .milliseconds(2))
        }
        return nil
    }

    private static func highestVersion(_ source: RemoteClusterSource) async -> UInt64 {
        await source.snapshot().statuses.values.map(\.cluster.configVersion).max() ?? 0
    }
}
