import Foundation
import Synchronization

/// Where a run's nodes live and how a fault cuts them apart.
///
/// With network namespaces (root on Linux), every node gets its own namespace and address
/// on a bridge, and a partition is a pair of blackhole routes: each side's packets to the
/// other vanish, while the client, on the bridge, still reaches both. Without them the
/// nodes share the loopback and partitions are not available; the run says so.
public final class TestNetwork: Sendable {
    public enum Kind: String, Sendable {
        case namespaces
        case loopback
    }

    public let kind: Kind
    /// Names this run's interfaces and namespaces, so that runs never touch each other's.
    let tag: String
    let subnet: String
    let hosts: Int
    private let cuts = Mutex<Set<[Int]>>([])
    private static let runs = Atomic<Int>(0)

    private init(kind: Kind, tag: String, subnet: String, hosts: Int) {
        self.kind = kind
        self.tag = tag
        self.subnet = subnet
        self.hosts = hosts
    }

    /// Namespaces when they can be made, else the loopback, with the reason.
    public static func make(hosts: Int) -> (network: TestNetwork, fallback: String?) {
        let run = runs.add(1, ordering: .relaxed).newValue % 50
        let id = Int(getpid()) % 1_000
        let tag = "gn\(id)r\(run)"
        let subnet = "10.\(200 + run).\(id % 250)"
        let network = TestNetwork(kind: .namespaces, tag: tag, subnet: subnet, hosts: hosts)
        do {
            try network.build()
            return (network, nil)
        } catch {
            network.tearDown()
            return (TestNetwork(kind: .loopback, tag: tag, subnet: "127.0.0", hosts: hosts), "\(error)")
        }
    }

    public var canPartition: Bool { kind == .namespaces }

    /// The address host `host` binds to.
    func address(of host: Int) -> String { kind == .namespaces ? "\(subnet).\(10 + host)" : "127.0.0.1" }

    /// The command line that runs `arguments` on host `host`.
    func command(on host: Int, _ arguments: [String]) -> [String] {
        kind == .namespaces ? ["ip", "netns", "exec", namespace(host)] + arguments : arguments
    }

    private func namespace(_ host: Int) -> String { "\(tag)-\(host)" }
    private var bridge: String { "\(tag)br" }

    private func build() throws {
        try Shell.run(["ip", "link", "add", bridge, "type", "bridge"])
        try Shell.run(["ip", "addr", "add", "\(subnet).1/24", "dev", bridge])
        try Shell.run(["ip", "link", "set", bridge, "up"])
        for host in 0..<hosts {
            let veth = "\(tag)v\(host)"
            try Shell.run(["ip", "netns", "add", namespace(host)])
            try Shell.run(["ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", namespace(host)])
            try Shell.run(["ip", "link", "set", veth, "master", bridge, "up"])
            let inside = ["ip", "netns", "exec", namespace(host), "ip"]
            try Shell.run(inside + ["addr", "add", "\(address(of: host))/24", "dev", "eth0"])
            try Shell.run(inside + ["link", "set", "eth0", "up"])
            try Shell.run(inside + ["link", "set", "lo", "up"])
        }
    }

    /// Cuts `first` and `second` apart in both directions.
    func cut(_ first: Int, _ second: Int) throws {
        guard canPartition, first != second else { return }
        guard cuts.withLock({ $0.insert([min(first, second), max(first, second)]).inserted }) else { return }
        try route("add", from: first, to: second)
        try route("add", from: second, to: first)
    }

    func healAll() {
        let pairs = cuts.withLock { cuts in
            defer { cuts = [] }
            return cuts
        }
        for pair in pairs {
            try? route("del", from: pair[0], to: pair[1])
            try? route("del", from: pair[1], to: pair[0])
        }
    }

    private func route(_ verb: String, from host: Int, to other: Int) throws {
        try Shell.run([
            "ip", "netns", "exec", namespace(host), "ip", "route", verb, "blackhole", "\(address(of: other))/32",
        ])
    }

    public func tearDown() {
        guard kind == .namespaces else { return }
        for host in 0..<hosts { _ = try? Shell.run(["ip", "netns", "del", namespace(host)]) }
        _ = try? Shell.run(["ip", "link", "del", bridge])
    }
}
