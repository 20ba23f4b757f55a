import ArgumentParser
import SluicePipeline

/// `--batch-size` and `--batch-delay-ms`: the micro-batch limits over the configuration's
/// `batching`, the knob between throughput and latency.
struct BatchingOptions: ParsableArguments {
    @Option(help: "Most events in one micro-batch (batching.max_size).")
    var batchSize: Int?

    @Option(help: "Longest an event waits for its micro-batch to fill, in milliseconds (batching.max_delay_ms); 0 scores whatever one poll returned.")
    var batchDelayMs: Int?

    /// The overrides these flags make.
    var overrides: [ConfigurationOverride] {
        var overrides: [ConfigurationOverride] = []
        if let batchSize { overrides.append(.init(field: "batching.max_size", value: String(batchSize), source: "--batch-size")) }
        if let batchDelayMs { overrides.append(.init(field: "batching.max_delay_ms", value: String(batchDelayMs), source: "--batch-delay-ms")) }
        return overrides
    }
}
