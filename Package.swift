// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "otelsw",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "otelsw", targets: ["otelsw"]),
        .executable(name: "otelsw-bench", targets: ["otelsw-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "CChecksum"),
        .target(name: "Snappy", swiftSettings: strict),
        .target(name: "RE2", swiftSettings: strict),
        .target(name: "PromTranslation", dependencies: ["OTelModel", "RE2"], swiftSettings: strict),
        .target(name: "PromExposition", swiftSettings: strict),
        .target(name: "LokiPush", dependencies: ["OTelModel"], swiftSettings: strict),
        .target(name: "LogOps", dependencies: ["OTelModel", "RE2"], swiftSettings: strict),
        .target(name: "TailSampling", dependencies: ["OTelModel", "RE2"], swiftSettings: strict),
        .target(
            name: "OTelModel",
            dependencies: ["CZlib"],
            swiftSettings: strict
        ),
        .target(name: "PipelineCore", dependencies: ["OTelModel"], swiftSettings: strict),
        .target(
            name: "Configuration",
            dependencies: ["PipelineCore", "OTelModel", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(
            name: "Transport",
            dependencies: [
                "PipelineCore", "OTelModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Telemetry",
            dependencies: [
                "PipelineCore", "Configuration", "Transport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Queueing",
            dependencies: [
                "PipelineCore", "Configuration", "Telemetry", "OTelModel", "CZlib", "CChecksum",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Factories",
            dependencies: [
                "PipelineCore", "Configuration", "Telemetry", "OTelModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Runtime",
            dependencies: [
                "PipelineCore", "Configuration", "Telemetry", "Queueing", "Factories", "OTelModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Components",
            dependencies: [
                "OTelModel", "PipelineCore", "Configuration", "Transport", "Telemetry", "Factories",
                "PromTranslation", "PromExposition", "Snappy", "LokiPush", "LogOps", "TailSampling", "RE2",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "otelsw",
            dependencies: [
                "OTelModel", "PipelineCore", "Configuration", "Telemetry", "Factories", "Runtime", "Components",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "otelsw-bench",
            dependencies: [
                "OTelModel", "PipelineCore", "Transport", "Telemetry", "Factories", "Components", "Snappy",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "OTelTestSupport",
            path: "Tests/Support",
            swiftSettings: strict
        ),
        .testTarget(
            name: "OTelModelTests",
            dependencies: ["OTelModel", "OTelTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(name: "SnappyTests", dependencies: ["Snappy", "OTelTestSupport"], swiftSettings: strict),
        .testTarget(name: "RE2Tests", dependencies: ["RE2"], swiftSettings: strict),
        .testTarget(name: "PromTranslationTests", dependencies: ["PromTranslation", "OTelTestSupport"], swiftSettings: strict),
        .testTarget(name: "PromExpositionTests", dependencies: ["PromExposition", "OTelTestSupport"], swiftSettings: strict),
        .testTarget(name: "LokiPushTests", dependencies: ["LokiPush", "OTelTestSupport"], swiftSettings: strict),
        .testTarget(name: "LogOpsTests", dependencies: ["LogOps", "OTelModel"], swiftSettings: strict),
        .testTarget(name: "TailSamplingTests", dependencies: ["TailSampling", "OTelModel", "OTelTestSupport"], swiftSettings: strict),
        /// Fakes shared by the tests of the queueing and runtime modules.
        .target(name: "PipelineTestSupport", dependencies: ["PipelineCore", "OTelModel"], path: "Tests/PipelineSupport", swiftSettings: strict),
        .testTarget(
            name: "TransportTests",
            dependencies: [
                "Transport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TelemetryTests",
            dependencies: ["Telemetry", "PipelineCore", "OTelTestSupport", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict
        ),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration", "PipelineCore", "OTelTestSupport"], swiftSettings: strict),
        .testTarget(name: "PipelineCoreTests", dependencies: ["PipelineCore", "OTelModel"], swiftSettings: strict),
        .testTarget(
            name: "QueueingTests",
            dependencies: ["Queueing", "PipelineCore", "Configuration", "Telemetry", "OTelModel", "OTelTestSupport", "PipelineTestSupport", "CChecksum"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RuntimeTests",
            dependencies: [
                "Runtime", "Components", "Factories", "Configuration", "PipelineCore", "Queueing", "Telemetry", "OTelModel", "OTelTestSupport",
                "PipelineTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            exclude: ["testdata"],
            swiftSettings: strict
        ),
        /// An agent built in-process from YAML, for tests of components and of shipped deployments.
        .target(
            name: "AgentTestSupport",
            dependencies: [
                "Components", "Runtime", "Configuration", "Factories", "Telemetry", "Transport", "OTelModel", "OTelTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/AgentSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "ComponentsTests",
            dependencies: [
                "Components", "PipelineCore", "Configuration", "Transport", "Telemetry", "Queueing", "Factories", "Runtime", "OTelModel",
                "OTelTestSupport", "AgentTestSupport",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            exclude: [
                "Exporters/Debug/testdata",
                "Exporters/File/testdata",
                "Exporters/Loki/testdata",
                "Exporters/Nop/testdata",
                "Exporters/OTLPGRPC/testdata",
                "Exporters/OTLPHTTP/testdata",
                "Exporters/PrometheusRemoteWrite/testdata",
                "Processors/Attributes/testdata",
                "Processors/Batch/testdata",
                "Processors/MemoryLimiter/testdata",
                "Processors/Resource/testdata",
                "Processors/TailSampling/testdata",
                "Processors/TraceContext/testdata",
                "Receivers/FileLog/testdata",
                "Receivers/OTLP/testdata",
                "Receivers/Prometheus/testdata",
            ],
            swiftSettings: strict
        ),
        /// The shipped deployment files (compose, Kubernetes, systemd, alerting, dashboards) checked
        /// against the agent and the tools that read them.
        .testTarget(
            name: "DeployTests",
            dependencies: [
                "Components", "Runtime", "Configuration", "Factories", "Queueing", "OTelTestSupport", "AgentTestSupport",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
    ]
)
