import GridNode

/// Runs `body` against a fresh in-process cluster and stops every node afterwards, even
/// when `body` throws, so no test leaves nodes running into the next one.
func withCluster<Result>(
    _ template: NodeOptions, nodes: Int, _ body: (LocalCluster, [NodeHost]) async throws -> Result
) async throws -> Result {
    let cluster = LocalCluster(template: template)
    do {
        let hosts = try await cluster.start(nodes: nodes)
        let result = try await body(cluster, hosts)
        await cluster.shutdown(mode: .crash)
        return result
    } catch {
        await cluster.shutdown(mode: .crash)
        throw error
    }
}
