import CRdKafka

/// Owns a reference to an `rd_kafka_queue_t` and releases it when released.
///
/// `@unchecked Sendable`: librdkafka's queues are thread-safe; this class keeps its client alive
/// because a queue reference must not outlive it.
final class RDKafkaQueue: @unchecked Sendable {
    let handle: OpaquePointer
    private let client: RDKafkaClient
    /// Signalled when the queue gets an item while empty; set once, by the queue's one reader.
    private var wakeup: KafkaQueueWakeup?

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

    /// Has `wakeup` signalled whenever the queue gets an item while empty, until the queue is
    /// released. A queue signals one wakeup at most.
    func wake(_ wakeup: KafkaQueueWakeup) {
        precondition(self.wakeup == nil, "the queue already signals a wakeup")
        self.wakeup = wakeup
        wakeup.attach(handle)
    }

    deinit {
        // Stops librdkafka's writes (made under the queue's lock) before the wakeup's descriptor
        // can close and be reused.
        if wakeup != nil { rd_kafka_queue_io_event_enable(handle, -1, nil, 0) }
        rd_kafka_queue_destroy(handle)
    }
}
