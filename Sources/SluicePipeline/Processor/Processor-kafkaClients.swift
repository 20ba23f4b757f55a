import Logging
import SluiceKafka

/// The Kafka clients a ``Processor`` runs on: its consumer and producer, configured from
/// `kafka:` and instrumented for its observer.
extension Processor {
    static func makeConsumer(_ configuration: SluiceConfiguration, options: Options, logger: Logger) throws(KafkaError) -> KafkaConsumer {
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
        return try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
    }

    static func makeProducer(_ configuration: SluiceConfiguration, options: Options, logger: Logger) throws(KafkaError) -> KafkaProducer {
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: configuration.kafka.bootstrap)
        producerConfiguration.lingerMilliseconds = options.producerLingerMilliseconds
        producerConfiguration.maxQueuedMessages = producerQueueBound(for: configuration)
        producerConfiguration.properties = KafkaClientRole.producer.applicable(configuration.kafka.properties)
        options.observer?.instrument(&producerConfiguration)
        return try KafkaProducer(configuration: producerConfiguration, logger: logger)
    }

    /// The producer's queue bound: every output of the events back-pressure lets in flight (two
    /// each, a prediction and an audit record, three with a shadow model) plus a batch's worth of slack, so that the queue
    /// never fills before back-pressure holds the input. librdkafka's own 100,000 filled first
    /// at Sluice's default `max_in_flight` of 50,000 and stalled the loop on every send.
    static func producerQueueBound(for configuration: SluiceConfiguration) -> Int {
        configuration.outputsPerScoredEvent * (configuration.backpressure.maxInFlight + 2 * configuration.batching.maxSize)
    }
}
