import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a console run ended.
public enum ConsoleExit: Hashable, Sendable {
    /// The operator quit (`q`, `:q`).
    case quit
    /// A signal (SIGINT, SIGTERM, SIGHUP) ended it; the terminal has been restored.
    case signal(Int32)
    /// stdout was not a terminal, so the status table was printed instead.
    case printedStatus
}

/// The console's main loop, on the main actor: poll keys, reduce, talk to the source,
/// draw when something changed, sleep briefly.
@MainActor
public final class ConsoleApp {
    /// Runs the console on `source` until the operator quits or a signal arrives. When
    /// stdin or stdout is not a terminal it prints the status table once instead.
    ///
    /// Throws `ThemeError` for a missing or broken starting theme and `TerminalError`
    /// when the terminal cannot be used, both before the screen is touched. The caller
    /// owns the source and stops it after this returns.
    public static func run(source: any ClusterSource, options: ConsoleOptions = .init()) async throws -> ConsoleExit {
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            let snapshot = await source.snapshot()
            FileHandle.standardOutput.write(Data(StatusTable.render(snapshot, source: source.kind).utf8))
            return .printedStatus
        }
        let app = try ConsoleApp(source: source, options: options)
        return try await app.runInteractive()
    }

    private let source: any ClusterSource
    private let options: ConsoleOptions
    private var state: ConsoleState
    private var theme: Theme
    private var terminal: Terminal?
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private var demoLoad = DemoLoad()
    private var isRefreshing = false
    private var isRefreshRequested = true
    private var lastRefresh: Int64 = 0
    /// When the source last reported an event: the views may still be catching up with it.
    private var lastEvent: Int64 = .min / 2
    private var isLoadRunning = false
    private var lastLoadRound: Int64 = 0
    private var isQuitRequested = false
    private var drawnRevision: UInt64?

    private init(source: any ClusterSource, options: ConsoleOptions) throws(ThemeError) {
        self.source = source
        self.options = options
        let theme = try options.startingTheme()
        self.theme = theme
        started = clock.now
        let localOffset = Int64(TimeZone.current.secondsFromGMT()) * 1000
        let wallNow = Int64(Date().timeIntervalSince1970 * 1000)
        state = ConsoleState(
            sourceKind: source.kind, supportsMembershipChanges: source.supportsMembershipChanges, width: 80,
            height: 24, themeName: theme.name, themeNames: options.themes.names(),
            isColorForcedOff: options.isColorForcedOff, isASCII: options.ascii ?? false,
            clockOffset: wallNow + localOffset)
        state.acknowledgmentDelay = options.acknowledgmentDelay
    }

    private func runInteractive() async throws -> ConsoleExit {
        ExitSignals.install()
        defer { ExitSignals.restore() }
        let terminal = try Terminal.open(theme: theme)
        defer { terminal.close() }
        self.terminal = terminal
        if options.ascii == nil { state.isASCII = !terminal.isUTF8 }
        dispatch(.terminalResized(width: terminal.width, height: terminal.height))
        let events = Task { @MainActor [source] in
            for await event in source.events() {
                self.dispatch(.eventsArrived([event]))
                self.isRefreshRequested = true
                self.lastEvent = self.elapsed()
            }
        }
        defer { events.cancel() }

        let refreshEvery = Self.milliseconds(options.refreshInterval)
        let loadEvery = Self.milliseconds(options.loadInterval)
        while true {
            if let signal = ExitSignals.pending { return .signal(signal) }
            while !isQuitRequested, let input = terminal.readInput() {
                switch input {
                case .key(let key): dispatch(.key(key))
                case .resized(let width, let height): dispatch(.terminalResized(width: width, height: height))
                }
            }
            if isQuitRequested { return .quit }
            let now = elapsed()
            dispatch(.tick(now: now))
            // Every change the nodes report arrives as an event and asks for a refresh at once
            // (and a few more while the views catch up); otherwise the timer only keeps ages,
            // HLCs and "last heard" current, so a quiet cluster is refreshed once a second.
            let snapshot = state.snapshot
            let quiet =
                !state.isDemoLoadOn && now - lastEvent > 2_000 && snapshot.unreachable.isEmpty
                && snapshot.statuses.values.allSatisfy { $0.handshakes.isEmpty }
            let due = quiet ? max(refreshEvery, 1_000) : refreshEvery
            if !state.isPaused, !isRefreshing, isRefreshRequested || now - lastRefresh >= due {
                refresh(now: now)
            }
            if state.isDemoLoadOn, !isLoadRunning, now - lastLoadRound >= loadEvery {
                runLoadRound(now: now)
            }
            if state.revision != drawnRevision {
                terminal.draw(Renderer.render(state))
                drawnRevision = state.revision
            }
            do {
                // Keys wait at most this long; shorter costs an idle console its wakeups.
                try await Task.sleep(for: .milliseconds(30))
            } catch {
                return .quit
            }
        }
    }

    private func dispatch(_ action: ConsoleAction) {
        for command in ConsoleReducer.reduce(&state, action) { execute(command) }
    }

    private func execute(_ command: ConsoleCommand) {
        switch command {
        case .quit:
            isQuitRequested = true
        case .refresh:
            isRefreshRequested = true
        case .redraw:
            terminal?.forceRedraw()
            drawnRevision = nil
        case .loadTheme(let name):
            do {
                let loaded = try options.themes.load(name)
                theme = loaded
                terminal?.apply(loaded)
                drawnRevision = nil
                dispatch(.themeLoaded(loaded.name))
            } catch {
                dispatch(.themeFailed(error.description))
            }
        case .perform(let request):
            let source = self.source
            Task { @MainActor in
                let result = await ConsoleRequestRunner.perform(request, on: source)
                self.dispatch(.requestFinished(request, result))
            }
        }
    }

    private func refresh(now: Int64) {
        isRefreshing = true
        isRefreshRequested = false
        lastRefresh = now
        let source = self.source
        Task { @MainActor in
            let snapshot = await source.snapshot()
            self.isRefreshing = false
            self.dispatch(.snapshotArrived(snapshot))
        }
    }

    private func runLoadRound(now: Int64) {
        let partitions = demoLoad.nextRound(partitionCount: state.view.partitionCount)
        lastLoadRound = now
        guard !partitions.isEmpty else { return }
        isLoadRunning = true
        let source = self.source
        let round = demoLoad.round
        let concurrency = demoLoad.concurrency
        Task { @MainActor in
            let outcomes = await DemoLoad.write(partitions, round: round, concurrency: concurrency, to: source)
            self.isLoadRunning = false
            self.dispatch(.writesFinished(outcomes))
        }
    }

    private func elapsed() -> Int64 { Self.milliseconds(clock.now - started) }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
