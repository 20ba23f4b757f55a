import SluiceKafka
import SluiceModel
@testable import SluicePipeline

/// A broker with the processor's topics: `events` (3 partitions), `predictions`, `audit` and
/// `events.dlq`.
func makeInMemoryBroker() -> InMemoryBroker {
    let broker = InMemoryBroker()
    broker.createTopic("events", partitions: 3)
    for topic in ["predictions", "audit", "events.dlq"] { broker.createTopic(topic, partitions: 1) }
    return broker
}

/// Runs a processor of `model` (the fraud model by default; with `shadow` and `canary` as
/// `model.shadow`'s and `model.canary`'s models) over `source` (a fresh one by default) and `sink`,
/// telling `observer`, until `isConsumed` holds and every output is acknowledged, then stops it; returns its final
/// statistics.
func runUntilSettled(
    _ configuration: SluiceConfiguration,
    model: Model = fraudModel,
    shadow: Model? = nil,
    canary: Model? = nil,
    broker: InMemoryBroker,
    source: InMemorySource? = nil,
    sink: InMemorySink,
    retry: DeliveryRetryPolicy = DeliveryRetryPolicy(),
    observer: (any ProcessorObserver)? = nil,
    isConsumed: @escaping (ProcessorStatistics) -> Bool
) async throws -> ProcessorStatistics {
    let source = source ?? InMemorySource(broker: broker)
    var options = Processor.Options(deliveryRetry: retry)
    options.observer = observer
    let processor = try Processor(
        configuration: configuration, model: model, shadow: shadow, canary: canary, options: options, logger: silentLogger,
        source: { source }, sink: { sink }
    )
    let running = Task { try await processor.run() }
    do {
        try await waitUntil("every event consumed and every output acknowledged") {
            let statistics = processor.statistics
            return isConsumed(statistics) && statistics.inFlight == 0
                && statistics.acknowledgedOutputs >= 2 * statistics.predictions + statistics.deadLetters
        }
    } catch {
        processor.stop()
        try await running.value
        throw error
    }
    processor.stop()
    try await running.value
    return processor.statistics
}
