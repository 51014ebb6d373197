import ArgumentParser
import GridConsole

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print the cluster's status: nodes, handshakes and partition leaders.",
        discussion: """
            Asks the node at --attach, then every member it knows, and prints what the console \
            shows as a plain table. --json prints the attached node's own GET /cluster/status \
            document; --json --all prints every member's, as {"statuses": [...], "unreachable": [...]}.
            """)

    @OptionGroup var target: AttachOptions
    @Flag(help: "Print JSON instead of the table.") var json = false
    @Flag(help: "With --json: every member's status, not only the attached node's.") var all = false

    func validate() throws {
        if all && !json { throw ValidationError("--all goes with --json") }
    }

    func run() async throws {
        let endpoint = try target.endpoint()
        try await GridHTTPClient.commandLine { client throws(GridHTTPError) in
            if json && !all {
                CommandLineOutput.print(try await client.rawStatus(of: endpoint))
                return
            }
            let snapshot = try await RemoteClusterSource.probe([endpoint], client: client)
            if json {
                CommandLineOutput.print(StatusTable.json(snapshot))
            } else {
                CommandLineOutput.print(StatusTable.render(snapshot, source: .remote(addresses: [endpoint.address])))
            }
        }
    }
}
