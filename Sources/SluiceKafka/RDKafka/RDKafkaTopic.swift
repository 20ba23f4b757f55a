import CRdKafka

/// Owns an `rd_kafka_topic_t` handle and releases it when released.
///
/// `@unchecked Sendable`: librdkafka's topic handles are thread-safe and reference counted; this
/// class holds nothing else. It keeps its client alive, because a topic handle must not outlive it.
final class RDKafkaTopic: @unchecked Sendable {
    let handle: OpaquePointer
    let name: String
    private let client: RDKafkaClient

    init(client: RDKafkaClient, name: String) throws(KafkaError) {
        guard let handle = rd_kafka_topic_new(client.handle, name, nil) else {
            throw KafkaError(rd_kafka_last_error(), "cannot open topic \"\(name)\"")
        }
        self.handle = handle
        self.name = name
        self.client = client
    }

    deinit {
        rd_kafka_topic_destroy(handle)
    }
}
