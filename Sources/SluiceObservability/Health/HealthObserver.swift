import SluiceKafka
import SluicePipeline

/// Keeps ``ServiceHealth`` up to date when no metrics are recorded (`http.enabled: false`):
/// the processor's heartbeat, its assignments and unreachable brokers, and nothing else.
final class HealthObserver: ProcessorObserver {
    let health: ServiceHealth

    init(health: ServiceHealth) {
        self.health = health
    }

    var kafkaStatisticsInterval: Duration? { nil }
    func processorPublished(_ statistics: ProcessorStatistics) { health.processorPublished(statistics) }
    func processorScored(_ batch: MicroBatch, computeStartedAt: ContinuousClock.Instant, compute: Duration) {}
    func processorAcknowledged(inputTimestampsMilliseconds: [Int64], acknowledgedAtMicroseconds: Int64) {}
    func processorDeadLettered(_ reason: DeadLetterReason, topic: String, partition: Int32, offset: Int64) {}
    func processorDeliveryFailed(topic: String) {}
    func processorRebalanced(_ event: KafkaRebalanceEvent) { health.processorRebalanced(event) }
    func kafkaStatistics(_ json: String) {}
    func kafkaCommitted(_ error: KafkaError?) {}
    func kafkaOffsetReset(_ reset: KafkaOffsetReset) {}
    func kafkaBrokerUnreachable(_ error: KafkaBrokerConnectivityError) { health.kafkaBrokerUnreachable(error) }
    func processorInitializingTransactions(_ isInitializing: Bool) { health.processorInitializingTransactions(isInitializing) }
}

extension HealthObserver {
    func processorInputHeld(_ reason: String?) { health.inputHeld(reason) }
}
