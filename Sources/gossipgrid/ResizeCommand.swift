import ArgumentParser
import GridConsole

struct ResizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resize",
        abstract: "Change the cluster's number of slots.",
        discussion: """
            Refused (409) while any partition leadership handshake runs: the message is printed \
            as the node gave it and the exit status is 1. Growing waits for new nodes to join the \
            new slots; shrinking makes the nodes in removed slots hand over and leave.
            """)

    @Argument(help: "The new number of slots.") var size: Int
    @OptionGroup var target: AttachOptions
    @Option(help: "Bearer token, when the nodes require one.") var token: String?
    @Option(help: "Only resize if the config is still at this version (compare-and-set).")
    var expectedVersion: UInt64?

    func validate() throws {
        guard size >= 1 else { throw ValidationError("SIZE must be at least 1") }
    }

    func run() async throws {
        let endpoint = try target.endpoint()
        try await GridHTTPClient.commandLine(token: token) { client throws(GridHTTPError) in
            let config = try await client.resize(endpoint, to: size, expectedVersion: expectedVersion)
            CommandLineOutput.print("resized \(config.name) to \(config.size) slots (config v\(config.configVersion))")
        }
    }
}
