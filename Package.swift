// swift-tools-version: 6.1
import PackageDescription

/// Every target compiles in the Swift 6 language mode, which turns on complete concurrency checking.
let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]

/// The streaming path's modules: release builds skip the run-time exclusivity checks, which the
/// processor loop's class state otherwise pays on every access (`swift_beginAccess` and the
/// thread-local lookup behind it). Debug builds, and so the tests, keep them.
let hotPathSettings: [SwiftSetting] = swift6 + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

/// `SLUICE_TARGET_CPU=haswell swift build -c release` compiles the compute kernels for that CPU
/// (AVX2 on x86-64, about twice the GEMM throughput); the default build runs on any x86-64/arm64.
let kernelSettings: [SwiftSetting] = swift6 + (Context.environment["SLUICE_TARGET_CPU"].map {
    [.unsafeFlags(["-target-cpu", $0])]
} ?? [])

/// The AVX2/FMA GEMM loops: this module alone is compiled for Haswell (x86-64-v3), and SluiceKernels calls
/// it only after checking the CPU at run time, so the binary still runs on any x86-64.
let avx2KernelSettings: [SwiftSetting] = swift6 + {
    #if arch(x86_64)
    [.unsafeFlags(["-target-cpu", "haswell"])]
    #else
    []
    #endif
}()

/// What a command that runs the processor links: the `sluice` executable and `sluice-bench`.
let processorCommandDependencies: [Target.Dependency] = [
    "SluiceCommandLine",
    "SluiceDemoEvents",
    "SluiceKafka",
    "SluiceModel",
    "SluicePipeline",
    "SluiceObservability",
    "SluiceService",
    "SluiceTime",
    .product(name: "ArgumentParser", package: "swift-argument-parser"),
    .product(name: "Logging", package: "swift-log"),
]

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .library(name: "SluiceKafka", targets: ["SluiceKafka"]),
        .library(name: "SluiceKernels", targets: ["SluiceKernels"]),
        .library(name: "SluiceModel", targets: ["SluiceModel"]),
        .library(name: "SluicePipeline", targets: ["SluicePipeline"]),
        .library(name: "SluiceObservability", targets: ["SluiceObservability"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
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
                "CSluiceWakeup",
                "SluiceTime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: hotPathSettings
        ),
        .target(name: "CSluiceCPUFeatures"),
        // Durations in the units librdkafka, the kernel, metrics, records and reports take.
        .target(name: "SluiceTime", swiftSettings: swift6),
        // The seeded generator every deterministic input uses: demo events, benchmarks, property tests.
        .target(name: "SluiceRandom", swiftSettings: swift6),
        .target(name: "CSluiceSHA256"),
        .target(name: "CSluiceWakeup"),
        .target(name: "SluiceVectorMath", swiftSettings: kernelSettings),
        .target(name: "SluiceKernelsAVX2", dependencies: ["SluiceVectorMath"], swiftSettings: avx2KernelSettings),
        .target(
            name: "SluiceKernels",
            dependencies: ["CSluiceCPUFeatures", "SluiceVectorMath", "SluiceKernelsAVX2"],
            swiftSettings: kernelSettings
        ),
        .executableTarget(
            name: "sluice-kernel-bench",
            dependencies: ["SluiceKernels", "SluiceRandom"],
            path: "Benchmarks/KernelBench",
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
        .target(
            name: "SluicePipeline",
            dependencies: [
                "SluiceKafka",
                "SluiceKernels",
                "SluiceModel",
                "SluiceTime",
                "CSluiceSHA256",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                // Protobuf descriptor sets, read once per configuration; events are decoded by hand.
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: hotPathSettings
        ),
        .target(
            name: "SluiceObservability",
            dependencies: [
                "SluiceKafka",
                "SluicePipeline",
                "SluiceTime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: hotPathSettings
        ),
        // The processor as a service: the model loaded, observability started, the processor run
        // with health reported and a graceful shutdown; `sluice run`, `sluice demo` and the
        // benchmarks all start it.
        .target(
            name: "SluiceService",
            dependencies: [
                "SluiceModel",
                "SluiceObservability",
                "SluicePipeline",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "SluiceServiceTests",
            dependencies: [
                "SluiceDemoEvents",
                "SluiceKafka",
                "SluicePipeline",
                "SluiceService",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "SluiceObservabilityTests",
            dependencies: ["SluiceObservability", "SluicePipeline", "SluiceKafka", "SluiceModel"],
            swiftSettings: swift6
        ),
        .executableTarget(
            name: "sluice-decode-bench",
            dependencies: ["SluiceDemoEvents", "SluicePipeline", "SluiceModel", "SluiceKernels", "SluiceRandom"],
            path: "Benchmarks/DecodeBench",
            exclude: ["README.md"],
            swiftSettings: swift6
        ),
        // The demo's card transactions (one generator, one schema) and the producer that sends them:
        // `sluice demo`, `sluice generate` and the benchmarks all use it.
        .target(
            name: "SluiceDemoEvents",
            dependencies: ["SluiceKafka", "SluicePipeline", "SluiceRandom", "SluiceTime", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swift6
        ),
        // Option groups and standard-stream helpers shared by `sluice` and the benchmarks' executables.
        .target(
            name: "SluiceCommandLine",
            dependencies: ["SluicePipeline", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swift6
        ),
        .executableTarget(
            name: "sluice",
            dependencies: processorCommandDependencies + [.product(name: "UnixSignals", package: "swift-service-lifecycle")],
            swiftSettings: swift6
        ),
        // The processor end to end in one process on an embedded cluster, against the C passthrough.
        .executableTarget(
            name: "sluice-bench",
            dependencies: processorCommandDependencies + ["BenchSupport", "PassthroughReference"],
            path: "Benchmarks/ProcessorBench",
            swiftSettings: swift6
        ),
        // The C passthrough as a process of its own, for Benchmarks/as-deployed.
        .executableTarget(
            name: "sluice-passthrough",
            dependencies: [
                "PassthroughReference",
                "SluiceCommandLine",
                "SluiceKafka",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/PassthroughProcess",
            swiftSettings: swift6
        ),
        .executableTarget(
            name: "sluice-dense-kernel-bench",
            dependencies: ["SluiceKernels"],
            path: "Benchmarks/DenseKernelBench",
            swiftSettings: swift6
        ),
        .executableTarget(
            name: "sluice-model-bench",
            dependencies: [
                "SluiceModel",
                "SluiceTime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/ModelBench",
            swiftSettings: swift6
        ),
        .target(
            name: "CKafkaPassthrough",
            dependencies: ["CRdKafka"],
            path: "Benchmarks/CKafkaPassthrough",
            cSettings: [.unsafeFlags(["-O2"])],
            linkerSettings: [.linkedLibrary("rdkafka")]
        ),
        // What the benchmarks' reports and command lines share: medians, load averages, run sizes.
        .target(
            name: "BenchSupport",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/BenchSupport",
            swiftSettings: swift6
        ),
        .target(
            name: "PassthroughReference",
            dependencies: ["CKafkaPassthrough", "SluiceKafka"],
            path: "Benchmarks/PassthroughReference",
            swiftSettings: swift6
        ),
        .executableTarget(
            name: "sluice-kafka-bench",
            dependencies: [
                "BenchSupport",
                "SluiceKafka",
                "SluiceTime",
                "PassthroughReference",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/KafkaPassthrough",
            swiftSettings: swift6
        ),
        .testTarget(name: "SluiceKafkaTests", dependencies: ["SluiceKafka"], swiftSettings: swift6),
        .testTarget(name: "SluiceKernelsTests", dependencies: ["SluiceKernels", "SluiceRandom"], swiftSettings: swift6),
        .testTarget(name: "SluiceModelTests", dependencies: ["SluiceModel"], exclude: ["Fixtures", "ONNXNodeTests.md"], swiftSettings: swift6),
        .testTarget(
            name: "SluicePipelineTests",
            dependencies: [
                "SluicePipeline", "SluiceRandom", "CSluiceSHA256", .product(name: "Crypto", package: "swift-crypto"),
                // The demo's events in every format the processor reads.
                "SluiceDemoEvents",
                // The test Schema Registry serves HTTP in the test process.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swift6
        ),
        // The deployment: sluice topics apply, generate and config check as users run them, and the
        // configurations of Docker/.
        .testTarget(
            name: "SluiceDeployTests",
            dependencies: ["SluiceKafka", "SluicePipeline", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swift6
        ),
    ]
)
