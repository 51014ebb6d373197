import ArgumentParser

@main
struct GossipGrid: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gossipgrid",
        abstract: "A partitioned key-value store with gossip membership and a symmetrical lock handshake.",
        subcommands: [
            ConsoleCommand.self, NodeCommand.self, StatusCommand.self, ResizeCommand.self, PutCommand.self,
            GetCommand.self, KillCommand.self, Simulate.self, NemesisCommand.self, BenchRenderCommand.self,
            BenchAttachCommand.self, BenchHandshakeCommand.self, BenchGossipCommand.self,
        ]
    )
}
