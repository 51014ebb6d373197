import GridCore

/// Everything that shapes one node, as `gossipgrid node` takes it from its flags and the
/// console's embedded cluster from code.
public struct NodeOptions: Sendable {
    public var cluster: String
    /// Where to bind the gossip port: UDP for gossip, TCP for the peer links. Port 0 picks
    /// a free port; the node advertises the one it got.
    public var gossip: HostPort
    /// Where to bind the HTTP API; port 0 works as for `gossip`.
    public var http: HostPort
    /// The host put in this node's advertised addresses when it differs from the bind
    /// host (binding 0.0.0.0, say).
    public var advertiseHost: String?
    /// Gossip addresses of running nodes; none bootstraps a new cluster.
    public var seeds: [String] = []
    public var slots = 3
    public var partitions = 64
    public var replication = 3
    public var settings = NodeSettings()
    public var storage: NodeStorage = .ephemeral
    /// Used when the storage holds no identity yet; otherwise a random one is drawn.
    public var nodeID: NodeID?
    /// Authenticates every peer packet (HMAC-SHA256) when set.
    public var secret: String?
    /// Required as a bearer token on admin routes when set.
    public var token: String?
    /// How often the core's timers run. Messages are handled as they arrive, so this only
    /// bounds how late a timeout is noticed; an idle node's cost is mostly these wakeups
    /// (20 ms ticks cost an idle node about 1.7% of a core, 50 ms about 1%).
    public var tickInterval: Duration = .milliseconds(50)
    /// How long a gossip datagram may wait in the inbox of a busy node before it is
    /// dropped as stale (peer-link frames are never dropped for age).
    public var datagramMaximumAge: Duration = .milliseconds(500)
    public var limits = RequestLimits()
    public var peerLinks = PeerLinkLimits()
    /// Stop on its own once NodeCore says a leaving node may go (after a shrink).
    public var exitWhenReleased = true

    public init(
        cluster: String, gossip: HostPort = HostPort(host: "127.0.0.1", port: 0),
        http: HostPort = HostPort(host: "127.0.0.1", port: 0)
    ) {
        self.cluster = cluster
        self.gossip = gossip
        self.http = http
    }

    /// The config a bootstrapping node starts the cluster with.
    public var config: ClusterConfig {
        ClusterConfig(name: cluster, size: slots, partitionCount: partitions, replicationFactor: replication)
    }

    /// Why these options cannot run a node, or nil.
    public var problem: String? {
        if let problem = config.problem { return problem }
        if let problem = settings.problem { return problem }
        if secret?.isEmpty == true { return "the secret must not be empty" }
        if token?.isEmpty == true { return "the token must not be empty" }
        if tickInterval <= .zero { return "the tick interval must be positive" }
        if datagramMaximumAge <= .zero { return "the datagram age limit must be positive" }
        if let bad = seeds.first(where: { HostPort($0) == nil }) { return "seed \"\(bad)\" is not HOST:PORT" }
        return nil
    }
}
