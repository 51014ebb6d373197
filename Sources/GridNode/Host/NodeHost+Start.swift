import GridCore
import Logging
import NIOCore
import NIOPosix

extension NodeHost {
    /// Binds the node's ports, restores its state from storage, and starts it.
    ///
    /// - Parameters:
    ///   - logger: where the node logs; give each embedded node its own label.
    ///   - metrics: the node's metrics; pass one with a fresh registry per node.
    public static func start(
        options: NodeOptions, logger: Logger = Logger(label: "gossipgrid.node"), metrics: NodeMetrics = NodeMetrics(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> NodeHost {
        if let problem = options.problem { throw NodeStartError.invalidOptions(problem) }
        let storage = try openStorage(options.storage)
        do {
            return try await start(
                options: options, storage: storage, logger: logger, metrics: metrics, group: eventLoopGroup)
        } catch {
            if storage.owned { storage.store.close() }
            throw error
        }
    }

    private static func start(
        options: NodeOptions, storage: OpenedStorage, logger: Logger, metrics: NodeMetrics, group: any EventLoopGroup
    ) async throws -> NodeHost {
        let (metadata, logs) = try restore(storage, cluster: options.cluster)
        var generator = SystemRandomNumberGenerator()
        let id = metadata?.nodeID ?? options.nodeID ?? NodeID(random: &generator)
        var logger = logger
        logger[metadataKey: "node"] = "\(id.short)"
        let codec = PacketCodec(cluster: options.cluster, secret: options.secret)
        // The inbox is bounded: a node that cannot keep up drops (and counts) what it cannot take.
        let (messages, inbox) = AsyncStream.makeStream(
            of: Arrival.self, bufferingPolicy: .bufferingOldest(8_192))
        let sink = InboundSink(codec: codec, metrics: metrics, inbox: inbox, logger: logger)
        let api = LateNodeAPI()
        let io: NodeIO
        do {
            io = try await NodeIO.bind(
                options: options, codec: codec, sink: sink, api: api, node: id, metrics: metrics, group: group,
                logger: logger)
        } catch {
            api.fail()
            throw error
        }
        let advertised = options.advertiseHost
        let gossipAddress = HostPort(host: advertised ?? options.gossip.host, port: io.sockets.port).description
        let httpAddress = HostPort(host: advertised ?? options.http.host, port: io.http.port).description
        let clock = MonotonicClock()
        let core = NodeCore(
            id: id, config: options.config, seeds: options.seeds, gossipAddress: gossipAddress,
            httpAddress: httpAddress, settings: options.settings, metadata: metadata, durable: storage.durable,
            logs: logs, now: clock.now(), wall: MonotonicClock.wall())
        let host = NodeHost(
            core: core, options: options, gossipAddress: gossipAddress, httpAddress: httpAddress, io: io, inbox: inbox,
            store: storage.store, ownsStore: storage.owned, clock: clock, metrics: metrics, logger: logger)
        api.bind(host)
        await host.begin(inbox: messages)
        return host
    }

    private struct OpenedStorage {
        var store: any Store
        var owned: Bool
        var durable: Bool
    }

    private static func openStorage(_ storage: NodeStorage) throws -> OpenedStorage {
        switch storage {
        case .ephemeral:
            return OpenedStorage(store: InMemoryStore(), owned: true, durable: false)
        case .directory(let path):
            do {
                return OpenedStorage(store: try SQLiteStore(directory: path), owned: true, durable: true)
            } catch {
                throw NodeStartError.storage(error)
            }
        case .store(let store):
            return OpenedStorage(store: store, owned: false, durable: true)
        }
    }

    private static func restore(
        _ storage: OpenedStorage, cluster: String
    ) throws -> (
        NodeMetadata?, [PartitionID: PartitionLog]
    ) {
        guard storage.durable else { return (nil, [:]) }
        do {
            let metadata = try storage.store.loadMetadata()
            if let stored = metadata?.config?.name, stored != cluster {
                throw NodeStartError.wrongCluster(stored: stored, requested: cluster)
            }
            return (metadata, try storage.store.loadLogs())
        } catch let error as StoreError {
            throw NodeStartError.storage(error)
        }
    }
}
