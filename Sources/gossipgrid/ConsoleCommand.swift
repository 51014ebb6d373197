import ArgumentParser
import Foundation
import GridConsole

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "The administration console: watch handshakes live, resize, kill nodes.",
        discussion: """
            With no arguments it starts an embedded, ephemeral cluster of 3 nodes in this \
            process (127.0.0.1, free ports, a generated cluster secret; node logs go to \
            $TMPDIR/gossipgrid-console.log and the event pane) and attaches to it. \
            --attach HOST:PORT[,HOST:PORT...] attaches to running nodes instead: the first that \
            answers names the other members. Press ? in the console for its keys. When standard \
            output is not a terminal it prints the status table once and exits.
            """)

    @Option(help: "Nodes of the embedded cluster (default 3).") var nodes: Int?
    @Option(help: "Partitions of the embedded cluster (default 64).") var partitions: Int?
    @Option(help: "Replicas per partition in the embedded cluster (default 3, at most --nodes).")
    var replication: Int?
    @Option(
        help: ArgumentHelp("Running nodes' HTTP addresses instead of an embedded cluster.", valueName: "HOST:PORT,..."))
    var attach: String?
    @Option(help: "Bearer token for resize, kill and slow motion on attached nodes.") var token: String?
    @Option(help: "Theme name (themes/NAME.theme) or a .theme file; GOSSIPGRID_THEME works too.") var theme: String?
    @Flag(help: "No colours (NO_COLOR works too).") var noColor = false
    @Flag(help: "ASCII glyphs only.") var ascii = false
    @Option(help: ArgumentHelp("Slow motion from the start: hold back every lock acknowledgment.", valueName: "MS"))
    var ackDelay: Int?
    @Option(help: "Where the embedded nodes log (default $TMPDIR/gossipgrid-console.log).") var logFile: String?

    func validate() throws {
        if let attach {
            let shaping = [
                nodes.map { _ in "--nodes" }, partitions.map { _ in "--partitions" },
                replication.map { _ in "--replication" }, logFile.map { _ in "--log-file" },
            ].compactMap { $0 }
            if !shaping.isEmpty {
                throw ValidationError(
                    "\(shaping.joined(separator: ", ")) shape an embedded cluster; leave them out with --attach")
            }
            if case .failure(let error) = GridEndpoint.list(attach) { throw ValidationError("--attach: \(error)") }
        } else {
            if token != nil { throw ValidationError("--token is for nodes reached with --attach") }
            if let problem = embeddedConfiguration().problem { throw ValidationError(problem) }
        }
        if let ackDelay, !(0...600_000).contains(ackDelay) {
            throw ValidationError("--ack-delay must be 0 to 600000 ms")
        }
    }

    func embeddedConfiguration() -> EmbeddedClusterSource.Configuration {
        let nodes = self.nodes ?? 3
        var configuration = EmbeddedClusterSource.Configuration(
            nodes: nodes, partitions: partitions ?? 64, replication: replication ?? min(3, max(1, nodes)),
            acknowledgmentDelay: ackDelay ?? 0)
        if let logFile { configuration.logPath = logFile }
        return configuration
    }

    func run() async throws {
        let options = ConsoleOptions(
            theme: theme, noColor: noColor, ascii: ascii ? true : nil, acknowledgmentDelay: ackDelay ?? 0)
        // A broken theme is reported before any node starts or the screen changes.
        do {
            _ = try options.startingTheme()
        } catch {
            throw CommandLineOutput.failure("\(error)")
        }
        let interactive = isatty(STDOUT_FILENO) == 1 && isatty(STDIN_FILENO) == 1

        let source: any ClusterSource
        let stop: @Sendable () async -> Void
        if let attach {
            let endpoints = try GridEndpoint.list(attach).get()
            let remote: RemoteClusterSource
            do {
                remote = try await RemoteClusterSource.connect(to: endpoints, token: token)
            } catch {
                throw CommandLineOutput.failure("no node answered at \(attach): \(error)")
            }
            if let ackDelay {
                let result = await remote.setAcknowledgmentDelay(milliseconds: ackDelay)
                if !result.succeeded {
                    await remote.stop()
                    throw CommandLineOutput.failure("--ack-delay: \(result.message)")
                }
            }
            if !interactive { _ = await remote.waitUntilPolled() }
            source = remote
            stop = { await remote.stop() }
        } else {
            let embedded: EmbeddedClusterSource
            do {
                embedded = try await EmbeddedClusterSource.start(embeddedConfiguration())
            } catch {
                throw CommandLineOutput.failure("\(error)")
            }
            // Printed once, so wait for the cluster to form first.
            if !interactive { _ = await embedded.waitUntilSettled(timeout: .seconds(30)) }
            source = embedded
            stop = { await embedded.stop() }
        }

        let exit: ConsoleExit
        do {
            exit = try await ConsoleApp.run(source: source, options: options)
        } catch {
            await stop()
            throw CommandLineOutput.failure("\(error)")
        }
        await stop()
        if case .signal(let number) = exit { throw ExitCode(128 + number) }
    }
}
