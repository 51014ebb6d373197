import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ctrl-C, SIGTERM and SIGHUP only set a flag; the main loop sees it, leaves, and restores
/// the terminal on its way out. Nothing else is safe inside a signal handler.
enum ExitSignals {
    static let received = Atomic<Int32>(0)
    static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    static func install() {
        received.store(0, ordering: .relaxed)
        for number in handled {
            signal(number) { number in ExitSignals.received.store(number, ordering: .relaxed) }
        }
    }

    /// Back to the defaults, so a second Ctrl-C while the cluster shuts down still works.
    static func restore() {
        for number in handled { signal(number, SIG_DFL) }
    }

    /// The signal that asked the console to stop, if any.
    static var pending: Int32? {
        let number = received.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }
}
