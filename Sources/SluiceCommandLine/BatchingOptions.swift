import ArgumentParser
import SluicePipeline

/// `--batch-size` and `--batch-delay-ms`: the micro-batch limits over the configuration's
/// `batching`, the knob between throughput and latency.
public struct BatchingOptions: ParsableArguments, Sendable {
    @Option(help: "Most events in one micro-batch (batching.max_size).")
    public var batchSize: Int?

    @Option(help: "Longest an event waits for its micro-batch to fill, in milliseconds (batching.max_delay_ms); 0 scores whatever one poll returned.")
    public var batchDelayMs: Int?

    public init() {}

    /// The overrides these flags make.
    public var overrides: [ConfigurationOverride] {
        var overrides: [ConfigurationOverride] = []
        if let batchSize { overrides.append(.init(field: "batching.max_size", value: String(batchSize), source: "--batch-size")) }
        if let batchDelayMs { overrides.append(.init(field: "batching.max_delay_ms", value: String(batchDelayMs), source: "--batch-delay-ms")) }
        return overrides
    }
}
