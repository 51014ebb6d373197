import ArgumentParser
import GridConsole

struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Read the items under a partition key, or one item with --range.",
        discussion: """
            Prints one line per item: its key (PARTITION_KEY or PARTITION_KEY/RANGE_KEY), a tab, \
            and its value. Reads are served during handshakes too. Nothing found exits with 1.
            """)

    @Argument(help: "The partition key.") var partitionKey: String
    @Option(name: .customLong("range"), help: "The range key of the one item to read.") var rangeKey: String?
    @OptionGroup var target: AttachOptions
    @Flag(help: "Print the node's JSON answer (it says which node and epoch served it).") var json = false

    func run() async throws {
        let endpoint = try target.endpoint()
        var found = true
        try await GridHTTPClient.commandLine { client throws(GridHTTPError) in
            if json {
                CommandLineOutput.print(
                    try await client.readRaw(endpoint, partitionKey: partitionKey, rangeKey: rangeKey))
                return
            }
            let result = try await client.read(endpoint, partitionKey: partitionKey, rangeKey: rangeKey)
            found = !result.items.isEmpty
            for item in result.items {
                let key = item.partitionKey + (item.rangeKey.map { "/" + $0 } ?? "")
                CommandLineOutput.print("\(key)\t\(item.message)")
            }
        }
        if !found { throw CommandLineOutput.failure("no items under \(partitionKey)") }
    }
}
