// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "auditor",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "auditor", targets: ["Auditor"]),
        .executable(name: "race-bench", targets: ["RaceBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .executableTarget(
            name: "Auditor",
            dependencies: [
                "Engine", "Reference", "Probes", "Checks", "Wire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Benchmark of the race sender (spread and catch rate); prints figures, asserts nothing.
        .executableTarget(name: "RaceBench", dependencies: ["Engine", "Probes", "Reference", "Checks", "Wire"]),
        // Pure value types: judging evidence never touches a network.
        .target(
            name: "Checks",
            dependencies: ["RuleFiles", .product(name: "Yams", package: "Yams"), .product(name: "Histogram", package: "hdrhistogram-swift")]
        ),
        // The rule packs as data (rules/*.yml at the top level), bundled into the binary.
        .target(name: "RuleFiles", path: "rules", resources: [.copy("journey.yml"), .copy("trip.yml")]),
        // The protocols both the reference and the probes speak: RESP, Engine.IO/Socket.IO, a small HTTP/1.1 client.
        .target(
            name: "Wire",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        // Runs an audit: the oracle and the target side by side, rule by rule.
        .target(name: "Engine", dependencies: ["Checks", "Probes", "Reference", "Wire"]),
        .target(
            name: "Probes",
            dependencies: [
                "Wire", "Checks",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Reference",
            dependencies: [
                "Wire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            resources: [.copy("Resources/source-views")]
        ),
        // Real servers for the live tests: redis-server on a free port, helper processes.
        .target(
            name: "TestSupport",
            dependencies: ["Wire", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "ChecksTests", dependencies: ["Checks", "TestSupport"], exclude: ["Golden"]),
        .testTarget(
            name: "EngineTests",
            dependencies: ["Engine", "Checks", "Probes", "Reference", "Wire", "TestSupport", .product(name: "Yams", package: "Yams")],
            exclude: ["Peers"]
        ),
        .testTarget(
            name: "ProbesTests",
            dependencies: ["Probes", "Checks", "Reference", "Wire", "TestSupport",
                           .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                           .product(name: "HummingbirdTLS", package: "hummingbird"), .product(name: "HummingbirdCore", package: "hummingbird"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl"),
                           .product(name: "Logging", package: "swift-log")],
            exclude: ["Peers", "SourceTrees"]
        ),
        .testTarget(name: "WireTests", dependencies: ["Wire", "TestSupport", .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(
            name: "ReferenceTests",
            dependencies: [
                "Reference", "Wire", "Probes", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            exclude: ["Peers"]
        ),
    ]
)
