// swift-tools-version: 6.1
import PackageDescription

/// The protocol core and its simulator are compiled with optimisation in debug builds too:
/// the simulator's thousand-seed runs and the console's embedded nodes (`swift run` is a
/// debug build) spend nearly all their time there, and unoptimised Swift collections are
/// about seven times slower. Everything else, tests included, stays a plain debug build.
let optimizedEvenInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "GossipGrid",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gossipgrid", targets: ["gossipgrid"]),
        // For packages beside this one that drive the node's code, such as the HTTP fuzz target.
        .library(name: "GridNode", targets: ["GridNode"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // The protocol: pure, deterministic, no I/O, standard library only.
        .target(name: "GridCore", swiftSettings: optimizedEvenInDebug),
        // Many GridCore nodes under a seeded scheduler with simulated network, clocks and faults.
        .target(name: "GridSim", dependencies: ["GridCore"], swiftSettings: optimizedEvenInDebug),
        // The shell: real clocks, UDP gossip, TCP peer links, HTTP API, stores, persistence.
        .target(
            name: "GridNode",
            dependencies: [
                "GridCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        // The TUI: state and reducers, renderer, ncurses terminal, cluster sources, themes.
        .target(
            name: "GridConsole",
            dependencies: [
                "GridCore", "GridNode", "CNcurses",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Fault injection against real node processes: network namespaces, signals, a
        // recording client, and the checker of what the client saw.
        .target(
            name: "GridNemesis",
            dependencies: [
                "GridCore", "GridSim",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "gossipgrid",
            dependencies: [
                "GridCore", "GridSim", "GridNode", "GridConsole", "GridNemesis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "GridCoreTests", dependencies: ["GridCore"]),
        .testTarget(name: "GridSimTests", dependencies: ["GridCore", "GridSim"]),
        .testTarget(
            name: "GridNodeTests",
            dependencies: [
                "GridCore", "GridNode",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(name: "GridConsoleTests", dependencies: ["GridCore", "GridConsole"]),
        .testTarget(name: "GridNemesisTests", dependencies: ["GridCore", "GridNemesis"]),
    ],
    swiftLanguageModes: [.v6]
)
