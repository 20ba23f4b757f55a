import SluiceKafka

/// A ``RecordSink`` that writes in Kafka transactions, for exactly-once delivery.
protocol TransactionalRecordSink: RecordSink {
    func initTransactions(timeout: Duration) throws(KafkaTransactionFailure)
    func beginTransaction() throws(KafkaTransactionFailure)
    func sendOffsetsToTransaction(
        _ offsets: [KafkaPartitionOffset], groupMetadata: KafkaConsumerGroupMetadata, timeout: Duration
    ) throws(KafkaTransactionFailure)
    func commitTransaction(timeout: Duration) throws(KafkaTransactionFailure)
    func abortTransaction(timeout: Duration) throws(KafkaTransactionFailure)
    /// Drops every record waiting to be sent or acknowledged, each with a delivery report.
    func purgeOutstanding() throws(KafkaError)
    /// Records sent and not yet reported, with reports not yet collected.
    var inFlightCount: Int { get }
}

/// A ``RecordSource`` whose offsets can be committed in a sink's transaction and that can be
/// rewound, for exactly-once delivery.
protocol TransactionalRecordSource: RecordSource {
    func groupMetadata() throws(KafkaError) -> KafkaConsumerGroupMetadata
    func seek(_ offsets: [KafkaPartitionOffset], timeout: Duration) throws(KafkaError)
}

extension KafkaProducer: TransactionalRecordSink {}

extension KafkaConsumer: TransactionalRecordSource {}

/// The transactional faces of a loop's source and sink.
struct TransactionalClients {
    let source: any TransactionalRecordSource
    let sink: any TransactionalRecordSink

    /// - Throws: ``ProcessorError/notTransactional`` when either cannot take part in transactions.
    init(source: some RecordSource, sink: some RecordSink) throws {
        guard let source = source as? any TransactionalRecordSource, let sink = sink as? any TransactionalRecordSink else {
            throw ProcessorError.notTransactional
        }
        self.source = source
        self.sink = sink
    }
}

extension Processor {
    /// The `transactional.id` of an instance in exactly-once delivery: `sluice-<group>-<instance>`.
    /// It names the instance, not the partitions: since KIP-447 the group coordinator fences a
    /// processor that lost its partitions by its group generation, so one producer serves all
    /// partitions. Being stable across restarts of one instance (a stable `instance`, such as a
    /// StatefulSet's pod name) lets the restarted instance abort at once the transaction its
    /// predecessor left open, and fences that predecessor if it still runs.
    static func transactionalID(group: String, instance: String) -> String {
        "sluice-\(group)-\(instance)"
    }

    /// Makes the consumer's offsets go only into transactions in exactly-once delivery.
    static func prepareForDelivery(_ consumer: inout KafkaConsumerConfiguration, _ configuration: SluiceConfiguration) {
        consumer.isAutoCommitEnabled = configuration.delivery == .atLeastOnce
    }

    /// Makes the producer transactional in exactly-once delivery.
    static func prepareForDelivery(_ producer: inout KafkaProducerConfiguration, _ configuration: SluiceConfiguration, options: Options) {
        guard configuration.delivery == .exactlyOnce else { return }
        producer.properties["transactional.id"] = transactionalID(group: configuration.kafka.group, instance: options.instance)
        // librdkafka refuses a message timeout beyond the transaction's (60 s by default).
        producer.messageTimeoutMilliseconds = 60_000
    }
}
