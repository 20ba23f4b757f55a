import SluiceKafka
import SluiceTime

/// Told what a ``Processor`` does as it works, for metrics and health checks.
///
/// The processor's loop calls it on its own thread at most once per poll, scored batch,
/// acknowledgement, rebalance or publication of its statistics, never once per event on the hot
/// path; only dead letters and failed deliveries, rare by nature, are told one by one. An
/// implementation is read from other threads (an HTTP scrape), so it must be thread-safe, and it
/// must be cheap: its time is the processor's.
public protocol ProcessorObserver: AnyObject, Sendable {
    /// How often librdkafka reports its statistics to ``kafkaStatistics(_:)``; `nil` for never.
    var kafkaStatisticsInterval: Duration? { get }

    /// The loop published its running totals: about every 50 ms while it runs, and once when it
    /// returns. Also the loop's heartbeat.
    func processorPublished(_ statistics: ProcessorStatistics)

    /// A micro-batch was scored: the model took `compute` from `computeStartedAt`, and each row
    /// waited from its `consumedAt` until then. Told once per batch: with a canary, a batch whose
    /// rows both models score is told whole, with both models' time.
    func processorScored(_ batch: MicroBatch, computeStartedAt: ContinuousClock.Instant, compute: Duration)

    /// A scored batch's outputs were all acknowledged, at `acknowledgedAtMicroseconds` since the
    /// epoch; `inputTimestampsMilliseconds` are its events' input record timestamps.
    func processorAcknowledged(inputTimestampsMilliseconds: [Int64], acknowledgedAtMicroseconds: Int64)

    /// The event at `offset` of `topic`'s `partition` was sent to the dead-letter topic, for
    /// `reason` (it could not be decoded, the model's output for it was not finite, or the broker
    /// refused its output for good).
    func processorDeadLettered(_ reason: DeadLetterReason, topic: String, partition: Int32, offset: Int64)

    /// Drift monitoring (`monitoring:`) closed a window: `report` holds its statistics, `previous`
    /// the last window's, so that totals can be counted as increments.
    func processorReportedDrift(_ report: DriftReport, previous: DriftReport?)

    /// The broker did not take an output sent to `topic`.
    func processorDeliveryFailed(topic: String)

    /// The group assigned, revoked or lost input partitions.
    func processorRebalanced(_ event: KafkaRebalanceEvent)

    /// librdkafka's statistics JSON from the processor's consumer or producer (``KafkaStatistics``
    /// parses it); called on the loop's thread, so keep the text and parse it later.
    func kafkaStatistics(_ json: String)

    /// An offset commit finished: `nil` on success.
    func kafkaCommitted(_ error: KafkaError?)

    /// The consumer moved past input the broker no longer had (retention deleted it before it was
    /// read): those events are never processed. Called on librdkafka's threads.
    func kafkaOffsetReset(_ reset: KafkaOffsetReset)

    /// The consumer could not reach a broker, or any (``KafkaBrokerConnectivityError``);
    /// librdkafka keeps retrying. Called on the loop's thread.
    func kafkaBrokerUnreachable(_ error: KafkaBrokerConnectivityError)

    /// In exactly-once delivery, the processor began (`true`) or finished (`false`) registering
    /// its transactional id, before it consumes anything: it is not ready meanwhile.
    func processorInitializingTransactions(_ isInitializing: Bool)

    /// In exactly-once delivery, a transaction committed after being open for `openFor` (from
    /// its begin to the end of its commit).
    func processorCommittedTransaction(openFor: Duration)

    /// In exactly-once delivery, a transaction was aborted and its input is redone.
    func processorAbortedTransaction()

    /// The shadow model scored a batch, in `compute`, and compares with the serving model so.
    func processorShadowScored(_ comparison: ShadowComparison, compute: Duration)

    /// `model`, in `role`, scored a batch of `rows` rows in `compute`: per-model counts and latency.
    func processorScored(rows: Int, by model: RecordContext.Model, role: ModelRole, compute: Duration)

    /// The input is held because an event's schema cannot be had, for `reason` (the Schema
    /// Registry is unreachable); `nil` once the input moves again. Called on the loop's thread.
    func processorInputHeld(_ reason: String?)
}

extension ProcessorObserver {
    public func kafkaBrokerUnreachable(_ error: KafkaBrokerConnectivityError) {}
    public func processorInitializingTransactions(_ isInitializing: Bool) {}
    public func processorCommittedTransaction(openFor: Duration) {}
    public func processorAbortedTransaction() {}
    public func processorInputHeld(_ reason: String?) {}

    /// The shadow model (`model.shadow`) scored a batch the serving model scored, in `compute`;
    /// `comparison` says how their outputs compare. Called once per batch on the loop's thread;
    /// ignored unless implemented.
    public func processorShadowScored(_ comparison: ShadowComparison, compute: Duration) {}

    /// `model`, in `role`, scored a batch of `rows` rows in `compute`; called once per model call
    /// beside ``processorScored(_:computeStartedAt:compute:)`` (with a canary, a batch may be
    /// scored in two parts, one per model); ignored unless implemented.
    public func processorScored(rows: Int, by model: RecordContext.Model, role: ModelRole, compute: Duration) {}

    /// Points the consumer's statistics and commit results at this observer.
    func instrument(_ consumer: inout KafkaConsumerConfiguration) {
        if let milliseconds = kafkaStatisticsMilliseconds {
            consumer.statisticsIntervalMilliseconds = milliseconds
            consumer.statisticsHandler = { [self] in kafkaStatistics($0) }
        }
        consumer.commitHandler = { [self] in kafkaCommitted($0) }
        consumer.brokerConnectivityHandler = { [self] in kafkaBrokerUnreachable($0) }
    }

    /// Points the producer's statistics at this observer.
    func instrument(_ producer: inout KafkaProducerConfiguration) {
        guard let milliseconds = kafkaStatisticsMilliseconds else { return }
        producer.statisticsIntervalMilliseconds = milliseconds
        producer.statisticsHandler = { [self] in kafkaStatistics($0) }
    }

    private var kafkaStatisticsMilliseconds: Int? {
        kafkaStatisticsInterval.map { max(1, Int($0.wholeMilliseconds)) }
    }
}
