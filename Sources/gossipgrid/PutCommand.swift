import ArgumentParser
import GridConsole

struct PutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Write one item.",
        discussion: """
            Prints where the write landed: partition, epoch, log position and the node that \
            acknowledged it. A 503 means the partition is locked by a handshake (or has no \
            leader) and the write was not applied; a 504 that its outcome is unknown.
            """)

    @Argument(help: "The partition key: it picks the partition.") var partitionKey: String
    @Argument(help: "The value to store.") var value: String
    @Option(name: .customLong("range"), help: "The range key, to store several items under one partition key.")
    var rangeKey: String?
    @OptionGroup var target: AttachOptions
    @Flag(help: "Print the node's JSON answer.") var json = false

    func run() async throws {
        let endpoint = try target.endpoint()
        try await GridHTTPClient.commandLine { client throws(GridHTTPError) in
            if json {
                CommandLineOutput.print(
                    try await client.writeRaw(endpoint, partitionKey: partitionKey, rangeKey: rangeKey, message: value))
                return
            }
            let receipt = try await client.write(
                endpoint, partitionKey: partitionKey, rangeKey: rangeKey, message: value)
            CommandLineOutput.print(
                "partition=\(receipt.partition) epoch=\(receipt.epoch) lsn=\(receipt.lsn) node=\(receipt.node)")
        }
    }
}
