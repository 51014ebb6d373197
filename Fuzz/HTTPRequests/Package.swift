// swift-tools-version: 6.1
import PackageDescription

// The libFuzzer target for the node's HTTP request handling. A package of its own because a
// fuzzer has no `main` (libFuzzer brings it) and must be built with -sanitize=fuzzer, which
// the root package's normal build cannot take. Built and run by scripts/fuzz-http.sh.
let package = Package(
    name: "HTTPRequestsFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "GossipGrid", path: "../.."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .executableTarget(
            name: "HTTPRequestsFuzz",
            dependencies: [
                .product(name: "GridNode", package: "GossipGrid"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
