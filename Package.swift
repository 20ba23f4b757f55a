// swift-tools-version: 6.1
import PackageDescription

/// Every target compiles in the Swift 6 language mode, which turns on complete concurrency checking.
let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .library(name: "SluiceKafka", targets: ["SluiceKafka"]),
        .library(name: "SluiceKernels", targets: ["SluiceKernels"]),
        .library(name: "SluiceModel", targets: ["SluiceModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .target(
            name: "SluiceKafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swift6
        ),
        .target(
            name: "SluiceKernels",
            swiftSettings: swift6
        ),
        .target(
            name: "SluiceModel",
            dependencies: [
                "SluiceKernels",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Proto/onnx.proto"],
            swiftSettings: swift6
        ),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceKafka",
                "SluiceModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swift6
        ),
        .executableTarget(
            name: "sluice-model-bench",
            dependencies: [
                "SluiceModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/ModelBench",
            swiftSettings: swift6
        ),
        .testTarget(name: "SluiceKafkaTests", dependencies: ["SluiceKafka"], swiftSettings: swift6),
        .testTarget(name: "SluiceKernelsTests", dependencies: ["SluiceKernels"], swiftSettings: swift6),
        .testTarget(name: "SluiceModelTests", dependencies: ["SluiceModel"], exclude: ["Fixtures"], swiftSettings: swift6),
    ]
)
