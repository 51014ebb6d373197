import Foundation
import GridCore

/// The node's monotonic time: milliseconds since the node started, on a clock that keeps
/// counting while the machine sleeps and never jumps with the wall clock.
struct MonotonicClock: Sendable {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant

    init() {
        start = clock.now
    }

    func now() -> Instant {
        let elapsed = clock.now - start
        let (seconds, attoseconds) = elapsed.components
        return Instant(milliseconds: seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
    }

    /// Wall-clock milliseconds since 1970, for the hybrid logical clock only.
    static func wall() -> UInt64 {
        UInt64(max(0, (Date().timeIntervalSince1970 * 1_000).rounded(.down)))
    }
}
