// swift-tools-version: 6.1
import PackageDescription

// The protocol (GridCore), the simulator (GridSim) and the `gossipgrid simulate` command.
// The node shell (Sources/GridNode), the console (Sources/GridConsole) and their commands
// and tests are in the tree but not yet in this graph: they join it when their issues close.
let package = Package(
    name: "GossipGrid",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gossipgrid", targets: ["gossipgrid"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // The protocol: pure, deterministic, no I/O, standard library only.
        .target(name: "GridCore"),
        // Many GridCore nodes under a seeded scheduler with simulated network, clocks and faults.
        .target(name: "GridSim", dependencies: ["GridCore"]),
        .executableTarget(
            name: "gossipgrid",
            dependencies: [
                "GridCore", "GridSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: [
                "NodeCommand.swift", "ConsoleCommand.swift", "StatusCommand.swift", "ResizeCommand.swift",
                "PutCommand.swift", "GetCommand.swift", "KillCommand.swift", "ClientSupport.swift",
            ]
        ),
        .testTarget(name: "GridCoreTests", dependencies: ["GridCore"]),
        .testTarget(name: "GridSimTests", dependencies: ["GridCore", "GridSim"]),
    ],
    swiftLanguageModes: [.v6]
)
