import Foundation

/// Polls `condition` every `interval` until it holds or `timeout` passes; returns whether
/// it held. Tests wait on conditions with this, never on fixed sleeps.
func eventually(
    timeout: Duration = .seconds(60), interval: Duration = .milliseconds(25),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        if try await condition() { return true }
        guard clock.now < deadline else { return false }
        try? await clock.sleep(for: interval)
    }
}
