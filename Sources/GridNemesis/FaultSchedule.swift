import Foundation
import GridCore
import GridSim

#if canImport(Glibc)
    import Glibc
#endif

/// The seeded sequence of faults of one run: one at a time, each undone before the next,
/// with a short calm between them so the cluster sometimes recovers and sometimes not.
final class FaultSchedule {
    let run: NemesisRun
    var random: SeededRandom
    /// The configured cluster size: grows by one while a resize fault has it grown.
    private(set) var size: Int
    private var injected: [String] = []
    private var fleet: NodeFleet { run.fleet }
    private var options: NemesisOptions { run.options }
    /// Comfortably past the nodes' default failure timeout (2 s), so they call it.
    private let silence: Int64 = 3_500

    init(run: NemesisRun, seed: UInt64) {
        self.run = run
        random = SeededRandom(seed: seed &* 104_729)
        size = run.options.nodes
    }

    /// Injects faults until `end` and returns a line for each.
    func inject(until end: ContinuousClock.Instant) async -> [String] {
        var faults = options.faults.sorted { $0.rawValue < $1.rawValue }
        if !run.network.canPartition { faults.removeAll { $0 == .partition } }
        let clock = ContinuousClock()
        while clock.now < end, let fault = faults.randomElement(using: &random) {
            await pause(Int64.random(in: 500...1_500, using: &random))
            guard clock.now < end else { break }
            await inject(fault)
        }
        return injected
    }

    private func inject(_ fault: NemesisFault) async {
        switch fault {
        case .kill:
            guard let victim = await pick(await fleet.running) else { return }
            note("kill n\(victim)")
            await fleet.kill(victim)
            await pause(Int64.random(in: 500...2_500, using: &random))
            await restart(victim)
        case .pause:
            guard let victim = await someLeader() else { return }
            note("SIGSTOP leader n\(victim) for \(silence) ms")
            await fleet.pause(victim)
            await pause(silence)
            await fleet.resume(victim)
        case .partition:
            guard let victim = await pick(await fleet.running) else { return }
            note("cut n\(victim) off from the other nodes for \(silence + 1_500) ms")
            for other in await fleet.running where other != victim { try? run.network.cut(victim, other) }
            await pause(silence + 1_500)
            run.network.healAll()
        case .slowAcknowledgments:
            guard let victim = await pick(await fleet.running) else { return }
            note("acknowledgments held 700 ms; kill n\(victim)")
            await setAcknowledgmentDelay(700)
            await fleet.kill(victim)
            await pause(Int64.random(in: 1_000...3_000, using: &random))
            await restart(victim)
            await pause(1_000)
            await setAcknowledgmentDelay(0)
        case .restart:
            guard let victim = await pick(await fleet.running) else { return }
            note("SIGTERM n\(victim) and start it again")
            await fleet.terminate(victim)
            await restart(victim)
        case .resize:
            await resize()
        }
    }

    /// Grows to one node more than the run started with, or shrinks back.
    private func resize() async {
        let extra = options.nodes
        let target = size == options.nodes ? options.nodes + 1 : options.nodes
        guard await resize(to: target) else {
            note("resize to \(target) refused throughout (handshakes kept running)")
            return
        }
        size = target
        if target > options.nodes {
            note("resize to \(target); n\(extra) joins")
            try? await fleet.start(extra, seed: await fleet.responsive.first, fresh: true)
        } else {
            note("resize to \(target); n\(extra) leaves")
            // A node whose slot went away exits by itself once it leads nothing.
            if !(await fleet.waitForExit(extra, timeout: .seconds(30))) { await fleet.kill(extra) }
        }
    }

    /// Asks responsive nodes to resize until one accepts; 409 means a handshake is
    /// running, so it is asked again shortly.
    private func resize(to target: Int) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(15)
        while clock.now < deadline {
            for host in await fleet.responsive {
                guard let http = await fleet.httpAddress(of: host) else { continue }
                if await run.client.resize(to: target, via: http) == 200 { return true }
            }
            await pause(250)
        }
        return false
    }

    private func restart(_ host: Int) async {
        let seed = await fleet.responsive.first { $0 != host }
        do {
            try await fleet.start(host, seed: seed)
        } catch {
            note("n\(host) did not start again: \(error)")
        }
    }

    /// The node leading a random partition, as a responsive node sees it.
    private func someLeader() async -> Int? {
        guard let status = await run.statuses().first,
            let partition = status.partitions.randomElement(using: &random), let leader = partition.leader,
            let http = status.nodes.first(where: { $0.id == leader })?.http
        else { return nil }
        return await fleet.httpAddresses.first { $0.value == http }?.key
    }

    private func setAcknowledgmentDelay(_ milliseconds: Int) async {
        for host in await fleet.responsive {
            if let http = await fleet.httpAddress(of: host) {
                await run.client.setAcknowledgmentDelay(milliseconds, via: http)
            }
        }
    }

    private func pick(_ hosts: [Int]) async -> Int? { hosts.randomElement(using: &random) }

    private func note(_ line: String) {
        let stamped = "t+\(String(format: "%.1f", Double(run.elapsed) / 1_000))s \(line)"
        injected.append(stamped)
        options.log("  \(stamped)")
    }

    /// The calm between faults and the length of a fault: the schedule's own pacing, not
    /// a wait for a condition.
    private func pause(_ milliseconds: Int64) async {
        try? await Task.sleep(for: .milliseconds(milliseconds))
    }
}
