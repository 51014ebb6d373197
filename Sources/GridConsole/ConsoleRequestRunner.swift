/// Carries an operator's request to the cluster source.
public enum ConsoleRequestRunner {
    public static func perform(_ request: ConsoleRequest, on source: any ClusterSource) async -> ConsoleActionResult {
        switch request {
        case .resize(let size):
            return await source.resize(to: size)
        case .kill(let node):
            return await source.kill(node: node)
        case .addNode:
            guard source.supportsMembershipChanges else { return .failed("adding a node needs an embedded cluster") }
            return await source.addNode()
        case .restart(let node):
            guard source.supportsMembershipChanges else { return .failed("restarting needs an embedded cluster") }
            return await source.restart(node: node)
        case .setAcknowledgmentDelay(let milliseconds):
            return await source.setAcknowledgmentDelay(milliseconds: milliseconds)
        }
    }
}
