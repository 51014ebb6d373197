import NIOCore
import Synchronization

/// Turns advertised `host:port` strings into socket addresses, once per string: records
/// carry their addresses on every gossip round, and name lookups block.
final class AddressResolver: Sendable {
    private let cache = Mutex<[String: SocketAddress]>([:])

    func resolve(_ address: String) -> SocketAddress? {
        if let known = cache.withLock({ $0[address] }) { return known }
        guard let hostPort = HostPort(address),
            let resolved = try? SocketAddress.makeAddressResolvingHost(hostPort.host, port: hostPort.port)
        else { return nil }
        cache.withLock { $0[address] = resolved }
        return resolved
    }
}
