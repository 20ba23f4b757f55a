import Foundation
import Logging
import SluiceKafka
import SluiceModel
import Synchronization

/// Sluice's main job: consumes events, decodes them into feature rows, scores them in
/// micro-batches and writes a prediction and an audit record per event (a dead letter for an
/// event that cannot be decoded), committing an input offset only once everything it and every
/// earlier offset of its partition produced is acknowledged by the broker (at-least-once).
///
/// One loop on a dedicated thread (never Swift concurrency's cooperative pool, as librdkafka's
/// calls block) owns the consumer's messages from poll to commit. It keeps polling while the input
/// is paused by back-pressure, so rebalances and delivery reports are always served. On a revoke
/// it finishes and commits the revoked partitions' work before releasing them; on ``stop()`` (or
/// the surrounding task's cancellation) it stops consuming, finishes and flushes what is in
/// flight, commits and returns.
public final class Processor: Sendable {
    /// What identifies this processor in the records, and how long it waits for the broker.
    public struct Options: Sendable {
        /// This instance's name in audit records.
        public var instance: String
        /// Sluice's version in audit records.
        public var version: String
        /// The longest a shutdown or a revoke waits for outstanding acknowledgements.
        public var drainTimeout: Duration
        /// librdkafka's `linger.ms` for the outputs: small, as each batch is sent at once.
        public var producerLingerMilliseconds: Int
        /// What happens to an output the broker did not take.
        public var deliveryRetry: DeliveryRetryPolicy
        /// Told what the processor does, for metrics and health; `nil` for nobody.
        public var observer: (any ProcessorObserver)?

        public init(
            instance: String = Options.defaultInstance,
            version: String = SluiceVersion.current,
            drainTimeout: Duration = .seconds(30),
            producerLingerMilliseconds: Int = 1,
            deliveryRetry: DeliveryRetryPolicy = DeliveryRetryPolicy()
        ) {
            self.instance = instance
            self.version = version
            self.drainTimeout = drainTimeout
            self.producerLingerMilliseconds = producerLingerMilliseconds
            self.deliveryRetry = deliveryRetry
        }

        /// `host:pid`.
        public static var defaultInstance: String {
            "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
        }
    }

    let configuration: SluiceConfiguration
    let model: Model
    let decoder: FeatureDecoder
    /// The profile drift monitoring compares with (`monitoring.profile`), checked against the model and features.
    let referenceProfile: ReferenceProfile?
    let encoder: RecordEncoder
    let options: Options
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let logger: Logger
    private let isStopRequested = Atomic<Bool>(false)
    private let hasStarted = Atomic<Bool>(false)
    private let published = Mutex(ProcessorStatistics())

    /// Prepares a processor: compiles the feature spec, checks it against the model, and creates
    /// the Kafka clients (which connect lazily). Nothing is consumed before ``run()``.
    ///
    /// - Throws: ``FeatureSpecError``, ``ProcessorError`` or ``KafkaError`` naming what is wrong.
    public init(configuration: SluiceConfiguration, model: Model, options: Options = Options(), logger: Logger) throws {
        let decoder = try configuration.preflightCheck(model: model)
        self.configuration = configuration
        self.model = model
        self.decoder = decoder
        referenceProfile = try configuration.referenceProfile(for: model)
        self.options = options
        self.logger = logger
        encoder = RecordEncoder(
            context: RecordContext(
                inputTopics: configuration.input.topics,
                predictionTopic: configuration.outputs.predictions,
                auditTopic: configuration.outputs.audit,
                model: .init(configuration, model),
                processorInstance: options.instance,
                processorVersion: options.version
            ),
            outputNames: model.outputs.map(\.name)
        )
        var consumerConfiguration = KafkaConsumerConfiguration(
            bootstrapServers: configuration.kafka.bootstrap,
            groupID: configuration.kafka.group
        )
        consumerConfiguration.autoCommitIntervalMilliseconds = configuration.kafka.commitIntervalMilliseconds
        consumerConfiguration.properties = KafkaClientRole.consumer.applicable(configuration.kafka.properties)
        consumerConfiguration.offsetResetHandler = { [logger, observer = options.observer] reset in
            observer?.kafkaOffsetReset(reset)
            logger.error(
                "input skipped: the broker no longer has the offset the consumer asked for",
                metadata: [
                    "topic": "\(reset.topic)", "partition": "\(reset.partition)",
                    "requested_offset": "\(reset.requestedOffset.map(String.init) ?? "unknown")",
                    "reset_offset": "\(reset.resetOffset.map(String.init) ?? "unknown")",
                    "events_skipped": "\(reset.skippedEvents.map(String.init) ?? "unknown")", "reason": "\(reset.reason)",
                ]
            )
        }
        options.observer?.instrument(&consumerConfiguration)
        consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: configuration.kafka.bootstrap)
        producerConfiguration.lingerMilliseconds = options.producerLingerMilliseconds
        producerConfiguration.maxQueuedMessages = Self.producerQueueBound(for: configuration)
        producerConfiguration.properties = KafkaClientRole.producer.applicable(configuration.kafka.properties)
        options.observer?.instrument(&producerConfiguration)
        producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
    }

    /// The producer's queue bound: every output of the events back-pressure lets in flight (two
    /// each, a prediction and an audit record) plus a batch's worth of slack, so that the queue
    /// never fills before back-pressure holds the input. librdkafka's own 100,000 filled first
    /// at Sluice's default `max_in_flight` of 50,000 and stalled the loop on every send.
    static func producerQueueBound(for configuration: SluiceConfiguration) -> Int {
        let outputsPerEvent = 2
        return outputsPerEvent * (configuration.backpressure.maxInFlight + 2 * configuration.batching.maxSize)
    }

    /// Runs the loop on its own thread until ``stop()`` (or this task's cancellation), then
    /// finishes the work in flight, commits and returns. A processor runs once.
    ///
    /// - Throws: ``ProcessorError`` or ``KafkaError`` when the processor had to stop: offsets are
    ///   committed only up to work whose outputs were all acknowledged.
    public func run() async throws {
        precondition(!hasStarted.exchange(true, ordering: .acquiringAndReleasing), "a processor runs once")
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                let thread = Thread { [self] in
                    nameCurrentThread("sluice-loop")
                    do {
                        try ProcessorLoop(processor: self).run()
                        continuation.resume()
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                thread.start()
            }
        } onCancel: {
            stop()
        }
    }

    /// Asks the loop to stop consuming, finish and commit; ``run()`` returns once it has. Safe
    /// from any thread or signal handler task.
    public func stop() {
        isStopRequested.store(true, ordering: .releasing)
    }

    /// The latest statistics the loop published.
    public var statistics: ProcessorStatistics {
        published.withLock { $0 }
    }

    var isStopping: Bool { isStopRequested.load(ordering: .acquiring) }

    func publish(_ statistics: ProcessorStatistics) {
        published.withLock { $0 = statistics }
        options.observer?.processorPublished(statistics)
    }
}
