import ArgumentParser
import GridConsole

struct KillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill",
        abstract: "Stop the node at --attach: gracefully, or with --crash as if the process died.",
        discussion: """
            Graceful: the node answers the requests in flight, then closes. --crash: it closes its \
            sockets at once and persists nothing more, so the others see it disconnect.
            """)

    @OptionGroup var target: AttachOptions
    @Flag(help: "Stop at once, as a crash.") var crash = false
    @Option(help: "Bearer token, when the nodes require one.") var token: String?

    func run() async throws {
        let endpoint = try target.endpoint()
        try await GridHTTPClient.commandLine(token: token) { client throws(GridHTTPError) in
            let reply = try await client.shutdown(endpoint, crash: crash)
            CommandLineOutput.print("node \(reply.node) at \(endpoint.address) is stopping (\(reply.mode))")
        }
    }
}
