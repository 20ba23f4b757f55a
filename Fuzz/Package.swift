// swift-tools-version: 6.1
import PackageDescription

/// libFuzzer targets for the parsers that take bytes from outside: the JSON, Avro and Protobuf
/// feature decoders (every event) and the ONNX loader (the model file). A package of their own, so that `swift build` of
/// Sluice never builds them: `make fuzz-smoke` builds them with `-sanitize=fuzzer,address` in
/// `.build-fuzz` and runs each for a bounded time on its seed corpus (Corpus/<target>/).
let package = Package(
    name: "SluiceFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Sluice", path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .executableTarget(
            name: "FuzzFeatureDecoder",
            dependencies: ["CFuzzDriver", .product(name: "SluicePipeline", package: "Sluice")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .target(
            name: "EventFormatFuzzing",
            dependencies: [.product(name: "SluicePipeline", package: "Sluice")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "FuzzAvroDecoder",
            dependencies: ["CFuzzDriver", "EventFormatFuzzing", .product(name: "SluicePipeline", package: "Sluice")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "FuzzProtobufDecoder",
            dependencies: ["CFuzzDriver", "EventFormatFuzzing", .product(name: "SluicePipeline", package: "Sluice")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "FuzzModelLoader",
            dependencies: ["CFuzzDriver", .product(name: "SluiceModel", package: "Sluice")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
