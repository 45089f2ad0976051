// swift-tools-version:6.1
// The demo platform around otelsw: its own package, so that the agent's build and tests never
// compile these programs or their dependencies.
import PackageDescription

let package = Package(
    name: "otelsw-demo",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "responder", targets: ["responder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(
            name: "ResponderCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "ResponderApp",
            dependencies: [
                "ResponderCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "responder",
            dependencies: [
                "ResponderApp", "ResponderCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ResponderTests",
            dependencies: [
                "ResponderCore", "ResponderApp",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
