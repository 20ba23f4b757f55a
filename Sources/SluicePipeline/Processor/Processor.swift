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
    /// The model serving, which a reload replaces between batches (``ModelReloader``).
    public let models: ModelHolder
    /// The model scored beside it, whose predictions are only recorded.
    let shadow: ShadowModel?
    /// The model scoring a share of the events in place of the served one (`model.canary`).
    let canary: CanaryModel?
    let decoder: FeatureDecoder
    /// Where the writer schemas of Avro events come from.
    let schemas: EventSchemas
    let options: Options
    let logger: Logger
    /// Makes the loop over the processor's source and sink, on the loop's thread, and runs it.
    private let runLoop: @Sendable (Processor) throws -> Void
    private let isStopRequested = Atomic<Bool>(false)
    private let hasStarted = Atomic<Bool>(false)
    private let published = Mutex(ProcessorStatistics())

    /// Prepares a processor: compiles the feature spec, checks it against the model, and creates
    /// the Kafka clients (which connect lazily). Nothing is consumed before ``run()``.
    ///
    /// `shadow` is `model.shadow`'s model, required when it is configured (``ShadowModel``);
    /// `canary` is `model.canary`'s, likewise (``CanaryModel``).
    ///
    /// - Throws: ``FeatureSpecError``, ``ProcessorError``, ``EventSchemasError`` or ``KafkaError``
    ///   naming what is wrong.
    public convenience init(
        configuration: SluiceConfiguration, model: Model, shadow: Model? = nil, canary: Model? = nil, options: Options = Options(), logger: Logger
    ) throws {
        try self.init(
            configuration: configuration, model: model, shadow: shadow, canary: canary, options: options, logger: logger,
            source: { try Self.makeConsumer(configuration, options: options, logger: logger) },
            sink: { try Self.makeProducer(configuration, options: options, logger: logger) }
        )
    }

    /// Prepares a processor over the source and sink that `source` and `sink` make, once the
    /// configuration has been checked against the model.
    init<Source: RecordSource, Sink: RecordSink>(
        configuration: SluiceConfiguration,
        model: Model,
        shadow: Model? = nil,
        canary: Model? = nil,
        options: Options,
        logger: Logger,
        source makeSource: () throws -> Source,
        sink makeSink: () throws -> Sink
    ) throws {
        let decoder = try configuration.preflightCheck(model: model)
        self.shadow = try ShadowModel(shadow, configuration: configuration, options: options)
        self.configuration = configuration
        self.decoder = decoder
        schemas = try EventSchemas.make(
            for: configuration.input, features: decoder, readFile: { try [UInt8](Data(contentsOf: URL(fileURLWithPath: $0))) }
        )
        self.options = options
        self.logger = logger
        let context = RecordContext(
            inputTopics: configuration.input.topics,
            predictionTopic: configuration.outputs.predictions,
            auditTopic: configuration.outputs.audit,
            model: .init(configuration, model),
            processorInstance: options.instance,
            processorVersion: options.version
        )
        models = try ModelHolder(model: model, context: context, configuration: configuration)
        self.canary = try CanaryModel(canary, configuration: configuration, context: context)
        let source = try makeSource()
        let sink = try makeSink()
        runLoop = { processor in try ProcessorLoop(processor: processor, source: source, sink: sink).run() }
    }

    /// Runs the loop on its own thread until ``stop()`` (or this task's cancellation), then
    /// finishes the work in flight, commits and returns. A processor runs once.
    ///
    /// - Throws: ``ProcessorError`` or ``KafkaError`` when the processor had to stop: offsets are
    ///   committed only up to work whose outputs were all acknowledged.
    public func run() async throws {
        precondition(!hasStarted.exchange(true, ordering: .acquiringAndReleasing), "a processor runs once")
        OutputTopicCheck.warnInBackground(configuration: configuration, logger: logger)
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                let thread = Thread { [self] in
                    nameCurrentThread("sluice-loop")
                    do {
                        try runLoop(self)
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
