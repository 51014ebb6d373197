import GridCore

/// One simulated process: its protocol state while it runs, what it persisted (all that
/// survives a crash), and its clocks, which drift and are offset from true time. A class:
/// the scheduler touches nodes on every event, and copying one would copy its whole core.
final class SimulatedNode {
    let id: NodeID
    /// The gossip address. Both addresses are shaped like a real node's, so records (and
    /// the gossip that carries them) have their real size on the wire.
    let address: String
    let httpAddress: String
    /// Set only through `start` and `stop`, so `hasCore` stays true to it.
    var core: NodeCore?
    /// Whether the process is up. Kept apart from `core` because asking `core != nil`
    /// copies the whole core in a debug build, and the scheduler asks on every event.
    private(set) var hasCore = false
    var metadata: NodeMetadata?
    var logs: [PartitionID: PartitionLog] = [:]
    /// Bumped on every crash and restart so deliveries and ticks meant for an earlier
    /// life of the process are dropped.
    var generation = 0
    var pausedUntil: Int64?
    var heldWhilePaused: [(message: PeerMessage, from: NodeID)] = []
    var removed = false
    let drift: Double
    let wallOffset: Int64
    var bootTime: Int64 = 0

    init(id: NodeID, host: String, drift: Double, wallOffset: Int64) {
        self.id = id
        self.address = "\(host):7946"
        self.httpAddress = "\(host):8080"
        self.drift = drift
        self.wallOffset = wallOffset
    }

    var isRunning: Bool { hasCore && !removed }

    func start(_ core: NodeCore) {
        self.core = core
        hasCore = true
    }

    func stop() {
        core = nil
        hasCore = false
    }
    var isPaused: Bool { pausedUntil != nil }

    /// The node's monotonic clock at true time `time`: it starts at zero on each boot and
    /// runs fast or slow by `drift`.
    func clock(at time: Int64) -> Instant {
        Instant(milliseconds: Int64((Double(time - bootTime) * (1 + drift)).rounded(.down)))
    }

    func wall(at time: Int64) -> UInt64 { UInt64(max(0, 1_700_000_000_000 + time + wallOffset)) }

    /// Carries out the disk effects: what is persisted is exactly what a restart gets back.
    func persist(_ effect: Effect) {
        switch effect {
        case .persistMetadata(let metadata): self.metadata = metadata
        case .persistLog(let partition, let change):
            logs[partition, default: PartitionLog()].apply(change)
        default: break
        }
    }
}
