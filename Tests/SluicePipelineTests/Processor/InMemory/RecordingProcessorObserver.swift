import Synchronization
import SluiceKafka
@testable import SluicePipeline

/// Records what a processor tells its observer about holding its input and about the batches it
/// scored; ignores the rest.
final class RecordingProcessorObserver: ProcessorObserver {
    private let held = Mutex<[String?]>([])
    private let scored = Mutex<[Int]>([])
    /// Each hold's reason, `nil` for a release, in order.
    var reasons: [String?] { held.withLock { $0 } }
    /// The row count of each batch told as scored, in order.
    var scoredBatchSizes: [Int] { scored.withLock { $0 } }

    var kafkaStatisticsInterval: Duration? { nil }
    func processorInputHeld(_ reason: String?) { held.withLock { $0.append(reason) } }
    func processorPublished(_ statistics: ProcessorStatistics) {}
    func processorScored(_ batch: MicroBatch, computeStartedAt: ContinuousClock.Instant, compute: Duration) {
        scored.withLock { $0.append(batch.count) }
    }
    func processorAcknowledged(inputTimestampsMilliseconds: [Int64], acknowledgedAtMicroseconds: Int64) {}
    func processorDeadLettered(_ reason: DeadLetterReason, topic: String, partition: Int32, offset: Int64) {}
    func processorDeliveryFailed(topic: String) {}
    func processorRebalanced(_ event: KafkaRebalanceEvent) {}
    func kafkaStatistics(_ json: String) {}
    func kafkaCommitted(_ error: KafkaError?) {}
    func kafkaOffsetReset(_ reset: KafkaOffsetReset) {}
}
