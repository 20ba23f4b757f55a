import CRdKafka

/// Owns a reference to an `rd_kafka_queue_t` and releases it when released.
///
/// `@unchecked Sendable`: librdkafka's queues are thread-safe; this class keeps its client alive
/// because a queue reference must not outlive it.
final class RDKafkaQueue: @unchecked Sendable {
    let handle: OpaquePointer
    private let client: RDKafkaClient

    /// The client's main queue: events such as delivery reports and errors.
    init(mainQueueOf client: RDKafkaClient) {
        handle = rd_kafka_queue_get_main(client.handle)
        self.client = client
    }

    /// The consumer queue: messages, rebalances and consumer errors of a group consumer.
    init(consumerQueueOf client: RDKafkaClient) {
        handle = rd_kafka_queue_get_consumer(client.handle)
        self.client = client
    }

    /// A new queue for the replies of admin requests.
    init(newQueueOf client: RDKafkaClient) {
        handle = rd_kafka_queue_new(client.handle)
        self.client = client
    }

    deinit {
        rd_kafka_queue_destroy(handle)
    }
}
