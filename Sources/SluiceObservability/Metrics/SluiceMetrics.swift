import CoreMetrics
import Logging
import Prometheus
import SluiceKafka
import SluicePipeline
import SluiceTime
import Synchronization

/// A ``ProcessorObserver`` that records what a processor does as swift-metrics metrics (counters,
/// gauges, histograms) through a Prometheus registry, and keeps a ``ServiceHealth`` up to date.
///
/// Counters follow the processor's published running totals (about every 50 ms), so the hot path
/// pays nothing for them; histograms are recorded once per scored or acknowledged batch, the
/// per-event ones (queue wait, end to end) under one lock per batch (``BatchedHistogram``).
/// librdkafka's statistics are kept as text when they arrive and parsed into gauges by
/// ``refreshKafkaStatistics()``, which a scrape calls, off the processor's thread.
public final class SluiceMetrics: ProcessorObserver {
    /// The model being served, for the info metric: named as the records name it.
    public typealias ModelInfo = RecordContext.Model

    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    public let kafkaStatisticsInterval: Duration?
    let factory: PrometheusMetricsFactory
    let health: ServiceHealth?
    let logger: Logger

    private let eventsConsumed: Counter
    private let eventsPredicted: Counter
    private let eventsAbandoned: Counter
    private let deadLettered: [DeadLetterReason.Class: Counter]
    private let produced: OutputCounters
    private let deliveryFailures: OutputCounters
    private let acknowledged: Counter
    private let pauses: Counter
    private let holds: Counter
    private let queueFullWaits: Counter
    private let commits: Counter
    private let commitFailures: Counter
    /// Per input topic: offset resets and the events they skipped.
    private let offsetResets: [String: (resets: Counter, skipped: Counter)]
    private let rebalances: [String: Counter]
    private let batchSize: Recorder
    private let queueWait: BatchedHistogram
    private let inference: CoreMetrics.Timer
    private let endToEnd: BatchedHistogram
    private let inFlight: Gauge
    private let partitionsAssigned: Gauge
    private let partitionsPaused: Gauge
    private let inputHeld: Gauge
    private let lastPublished = Mutex(ProcessorStatistics())
    /// The drift series of the profile's columns, made on the first drift report.
    let driftSeries = Mutex<DriftSeries?>(nil)
    let kafka: KafkaStatisticsGauges
    let transactions: TransactionMetrics
    /// Loads, reloads and refusals of models, and the serving model's info series.
    public let models: ModelMetrics

    /// - Parameters:
    ///   - registry: where the metrics live; a fresh one per processor keeps runs apart.
    ///   - configuration: the processor's configuration, for the input and output topics' names.
    ///   - kafkaStatisticsInterval: how often librdkafka reports statistics (lag, producer queue,
    ///     broker round trips); `nil` for never.
    ///   - health: kept up to date with the processor's heartbeat, assignment and brokers.
    public init(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        configuration: SluiceConfiguration,
        kafkaStatisticsInterval: Duration? = .seconds(5),
        health: ServiceHealth? = nil,
        logger: Logger
    ) {
        self.registry = registry
        self.kafkaStatisticsInterval = kafkaStatisticsInterval
        self.health = health
        self.logger = logger
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            MetricName.transactionDuration: TransactionMetrics.durationBuckets.map(Self.seconds),
            MetricName.inference: [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1].map(Self.seconds),
        ]
        factory.valueHistogramBuckets = [MetricName.batchSize: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096]]
        self.factory = factory

        eventsConsumed = Counter(label: MetricName.eventsConsumed, factory: factory)
        eventsPredicted = Counter(label: MetricName.eventsPredicted, factory: factory)
        eventsAbandoned = Counter(label: MetricName.eventsAbandoned, factory: factory)
        deadLettered = Dictionary(uniqueKeysWithValues: DeadLetterReason.Class.allCases.map { errorClass in
            (errorClass, Counter(label: MetricName.eventsDeadLettered, dimensions: [("error_class", errorClass.name)], factory: factory))
        })
        produced = OutputCounters(MetricName.recordsProduced, configuration: configuration, factory: factory)
        deliveryFailures = OutputCounters(MetricName.deliveryFailures, configuration: configuration, factory: factory)
        acknowledged = Counter(label: MetricName.recordsAcknowledged, factory: factory)
        pauses = Counter(label: MetricName.backpressurePauses, factory: factory)
        holds = Counter(label: MetricName.backpressureHolds, factory: factory)
        queueFullWaits = Counter(label: MetricName.producerQueueFullWaits, factory: factory)
        commits = Counter(label: MetricName.commits, factory: factory)
        commitFailures = Counter(label: MetricName.commitFailures, factory: factory)
        offsetResets = Dictionary(uniqueKeysWithValues: configuration.input.topics.map { topic in
            let dimensions = [("topic", topic)]
            return (
                topic,
                (
                    Counter(label: MetricName.inputOffsetResets, dimensions: dimensions, factory: factory),
                    Counter(label: MetricName.eventsSkipped, dimensions: dimensions, factory: factory)
                )
            )
        })
        rebalances = Dictionary(uniqueKeysWithValues: ["assigned", "revoked", "lost"].map { kind in
            (kind, Counter(label: MetricName.rebalances, dimensions: [("kind", kind)], factory: factory))
        })
        batchSize = Recorder(label: MetricName.batchSize, aggregate: true, factory: factory)
        queueWait = BatchedHistogram(
            name: MetricName.queueWait,
            upperBounds: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1].map(Self.seconds)
        )
        inference = CoreMetrics.Timer(label: MetricName.inference, factory: factory)
        endToEnd = BatchedHistogram(
            name: MetricName.endToEnd,
            upperBounds: [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30].map(Self.seconds)
        )
        inFlight = Gauge(label: MetricName.eventsInFlight, factory: factory)
        partitionsAssigned = Gauge(label: MetricName.partitionsAssigned, factory: factory)
        partitionsPaused = Gauge(label: MetricName.partitionsPaused, factory: factory)
        inputHeld = Gauge(label: MetricName.inputHeld, factory: factory)
        kafka = KafkaStatisticsGauges(factory: factory)
        transactions = TransactionMetrics(factory: factory)
        models = ModelMetrics(registry: registry, factory: factory)
    }

    /// Exports the model loaded at start as `sluice_model_info{name,version,sha256} 1`, until a
    /// reload replaces it (``models``).
    public func modelLoaded(_ model: ModelInfo) {
        models.started(model)
    }

    /// The metrics in Prometheus' text exposition format, with librdkafka's latest statistics
    /// folded in first.
    public func exposition() -> [UInt8] {
        refreshKafkaStatistics()
        var buffer = registry.emitToBuffer()
        queueWait.emit(into: &buffer)
        endToEnd.emit(into: &buffer)
        return buffer
    }

    /// Parses the statistics librdkafka reported since the last call into the lag, producer queue
    /// and broker gauges, and tells ``ServiceHealth`` whether brokers are reachable.
    public func refreshKafkaStatistics() {
        for statistics in kafka.refresh(logger: logger) {
            health?.kafkaStatisticsArrived(statistics)
        }
    }

    // MARK: - ProcessorObserver

    public func processorPublished(_ statistics: ProcessorStatistics) {
        let previous = lastPublished.withLock { last in
            defer { last = statistics }
            return last
        }
        eventsConsumed.increment(by: statistics.eventsIn - previous.eventsIn)
        eventsPredicted.increment(by: statistics.predictions - previous.predictions)
        eventsAbandoned.increment(by: statistics.abandoned - previous.abandoned)
        produced.predictions.increment(by: statistics.predictions - previous.predictions)
        produced.audit.increment(by: statistics.audits - previous.audits)
        produced.deadLetter.increment(by: statistics.deadLetters - previous.deadLetters)
        acknowledged.increment(by: statistics.acknowledgedOutputs - previous.acknowledgedOutputs)
        pauses.increment(by: statistics.pauses - previous.pauses)
        holds.increment(by: statistics.holds - previous.holds)
        queueFullWaits.increment(by: statistics.producerQueueFullWaits - previous.producerQueueFullWaits)
        inFlight.record(statistics.inFlight)
        partitionsAssigned.record(statistics.assignedPartitions)
        partitionsPaused.record(statistics.isPaused ? statistics.assignedPartitions : 0)
        inputHeld.record(statistics.isHolding ? 1 : 0)
        health?.processorPublished(statistics)
    }

    public func processorScored(_ batch: MicroBatch, computeStartedAt: ContinuousClock.Instant, compute: Duration) {
        batchSize.record(batch.count)
        inference.recordNanoseconds(Self.nanoseconds(compute))
        queueWait.record(nanoseconds: batch.rows.lazy.map { Self.nanoseconds(computeStartedAt - $0.consumedAt) })
    }

    public func processorAcknowledged(inputTimestampsMilliseconds: [Int64], acknowledgedAtMicroseconds: Int64) {
        endToEnd.record(nanoseconds: inputTimestampsMilliseconds.lazy.map { (acknowledgedAtMicroseconds - $0 * 1000) * 1000 })
    }

    public func processorDeadLettered(_ reason: DeadLetterReason, topic: String, partition: Int32, offset: Int64) {
        deadLettered[reason.errorClass]?.increment()
        logger.debug(
            "event sent to the dead-letter topic",
            metadata: [
                "topic": "\(topic)", "partition": "\(partition)", "offset": "\(offset)",
                "error_class": "\(reason.errorClass.name)", "error": "\(reason.message)",
            ]
        )
    }

    public func processorDeliveryFailed(topic: String) {
        deliveryFailures.counter(forTopic: topic)?.increment()
    }

    public func processorInputHeld(_ reason: String?) {
        health?.inputHeld(reason)
    }

    public func processorRebalanced(_ event: KafkaRebalanceEvent) {
        let (kind, partitions): (String, [KafkaTopicPartition]) =
            switch event {
            case .assigned(let partitions): ("assigned", partitions)
            case .revoked(let partitions): ("revoked", partitions)
            case .lost(let partitions): ("lost", partitions)
            }
        rebalances[kind]?.increment()
        health?.processorRebalanced(event)
        logger.info(
            "partitions \(kind)",
            metadata: ["partitions": .array(partitions.map { "\($0.topic)/\($0.partition)" })]
        )
    }

    public func kafkaStatistics(_ json: String) {
        kafka.receive(json)
    }

    public func kafkaCommitted(_ error: KafkaError?) {
        if error == nil { commits.increment() } else { commitFailures.increment() }
    }

    public func kafkaOffsetReset(_ reset: KafkaOffsetReset) {
        guard let counters = offsetResets[reset.topic] else { return }
        counters.resets.increment()
        if let skipped = reset.skippedEvents { counters.skipped.increment(by: skipped) }
    }

    public func kafkaBrokerUnreachable(_ error: KafkaBrokerConnectivityError) {
        health?.kafkaBrokerUnreachable(error)
    }

    public func processorShadowScored(_ comparison: ShadowComparison, compute: Duration) {
        models.shadowScored(comparison, compute: compute)
    }

    public func processorScored(rows: Int, by model: RecordContext.Model, role: ModelRole, compute: Duration) {
        models.scored(rows: rows, by: model, role: role, compute: compute)
    }

    // MARK: -

    static func seconds(_ value: Double) -> Duration {
        .nanoseconds(Int64((value * 1e9).rounded()))
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        max(0, duration.wholeNanoseconds)
    }
}

/// One counter per output topic, labelled with its role and name.
struct OutputCounters {
    let predictions: Counter
    let audit: Counter
    let deadLetter: Counter
    private let byTopic: [String: Counter]

    init(_ name: String, configuration: SluiceConfiguration, factory: PrometheusMetricsFactory) {
        func counter(_ output: String, _ topic: String) -> Counter {
            Counter(label: name, dimensions: [("output", output), ("topic", topic)], factory: factory)
        }
        predictions = counter("predictions", configuration.outputs.predictions)
        audit = counter("audit", configuration.outputs.audit)
        deadLetter = counter("dead_letter", configuration.deadLetterTopic)
        var byTopic: [String: Counter] = [:]
        byTopic[configuration.deadLetterTopic] = deadLetter
        byTopic[configuration.outputs.audit] = audit
        byTopic[configuration.outputs.predictions] = predictions
        self.byTopic = byTopic
    }

    func counter(forTopic topic: String) -> Counter? { byTopic[topic] }
}
