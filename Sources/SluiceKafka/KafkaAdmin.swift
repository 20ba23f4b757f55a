import CRdKafka
import Logging

/// Creates and inspects topics. Every method blocks the calling thread for up to its timeout:
/// call them from a dedicated thread or at startup, not from Swift concurrency's cooperative pool.
public final class KafkaAdmin: Sendable {
    let client: RDKafkaClient
    /// The queue the answers to admin requests arrive on.
    let replies: RDKafkaQueue

    /// Connects to `bootstrapServers`; `properties` are passed to librdkafka as is
    /// (`security.protocol`, `sasl.*`, `ssl.*`, …).
    public init(bootstrapServers: String, properties: [String: String] = [:], logger: Logger) throws(KafkaError) {
        var all = ["bootstrap.servers": bootstrapServers, "client.id": "sluice-admin"]
        all.merge(properties) { _, passedThrough in passedThrough }
        let conf = try RDKafkaConfiguration(all)
        RDKafkaCallbackContext.installLogging(on: conf)
        client = try RDKafkaClient(type: RD_KAFKA_PRODUCER, configuration: conf, callbackContext: RDKafkaCallbackContext(logger: logger))
        replies = RDKafkaQueue(newQueueOf: client)
    }

    /// The named topics that exist, with partition count and replication factor (configs are not
    /// read; see ``topicConfigs(of:timeout:)``). Missing topics are left out, never created.
    public func describeTopics(_ names: [String], timeout: Duration) throws(KafkaError) -> [KafkaTopicDescription] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        // Asking for all topics: asking for one by name may auto-create it on some brokers.
        let result = rd_kafka_metadata(client.handle, 1, nil, &metadata, timeout.timeoutMilliseconds)
        if let error = KafkaError(checking: result, "cannot read the cluster's metadata") { throw error }
        defer { rd_kafka_metadata_destroy(metadata) }
        let wanted = Set(names)
        let topics = UnsafeBufferPointer(start: metadata!.pointee.topics, count: Int(metadata!.pointee.topic_cnt))
        return topics.compactMap { topic in
            let name = String(cString: topic.topic)
            guard wanted.contains(name), topic.err == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
            let replicas = topic.partition_cnt > 0 ? Int(topic.partitions[0].replica_cnt) : 0
            return KafkaTopicDescription(name: name, partitions: Int(topic.partition_cnt), replicationFactor: replicas)
        }
    }

    /// The topic's settings as the broker reports them (DescribeConfigs), defaults included.
    public func topicConfigs(of topic: String, timeout: Duration) throws(KafkaError) -> [String: String] {
        try topicConfigs(of: [topic], timeout: timeout)[topic] ?? [:]
    }

    /// Each topic's settings as the broker reports them, in one DescribeConfigs request.
    public func topicConfigs(of topics: [String], timeout: Duration) throws(KafkaError) -> [String: [String: String]] {
        try topicConfigEntries(of: topics, timeout: timeout).mapValues { $0.mapValues(\.value) }
    }

    /// Creates the topics (CreateTopics) and returns the names of those that already existed.
    ///
    /// - Throws: ``KafkaError`` naming the first topic the broker refused for another reason.
    public func createTopics(_ definitions: [KafkaTopicDefinition], timeout: Duration) throws(KafkaError) -> Set<String> {
        guard !definitions.isEmpty else { return [] }
        var newTopics: [OpaquePointer?] = []
        defer { newTopics.forEach { rd_kafka_NewTopic_destroy($0) } }
        for definition in definitions {
            let (created, reason) = withRDKafkaReason {
                rd_kafka_NewTopic_new(definition.name, Int32(definition.partitions), Int32(definition.replicationFactor), $0, $1)
            }
            guard let newTopic = created else {
                throw KafkaError(code: .invalidArgument, message: "topic \"\(definition.name)\": \(reason)")
            }
            newTopics.append(newTopic)
            for (key, value) in definition.configs {
                if let error = KafkaError(checking: rd_kafka_NewTopic_set_config(newTopic, key, value), "topic \"\(definition.name)\" config \(key)") {
                    throw error
                }
            }
        }
        let options = try requestOptions(RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout: timeout)
        defer { rd_kafka_AdminOptions_destroy(options) }
        rd_kafka_CreateTopics(client.handle, &newTopics, newTopics.count, options, replies.handle)
        let event = try awaitReply(timeout: timeout, "creating topics")
        defer { rd_kafka_event_destroy(event) }
        var count = 0
        let results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count)
        var existing: Set<String> = []
        for index in 0..<count {
            guard let result = results?[index] else { continue }
            let name = String(cString: rd_kafka_topic_result_name(result))
            switch rd_kafka_topic_result_error(result) {
            case RD_KAFKA_RESP_ERR_NO_ERROR:
                break
            case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
                existing.insert(name)
            case let code:
                let reason = rd_kafka_topic_result_error_string(result).map { String(cString: $0) } ?? ""
                throw KafkaError(code, "cannot create topic \"\(name)\" (\(reason))")
            }
        }
        return existing
    }

    func requestOptions(_ operation: rd_kafka_admin_op_t, timeout: Duration) throws(KafkaError) -> OpaquePointer {
        let options = rd_kafka_AdminOptions_new(client.handle, operation)!
        let (result, reason) = withRDKafkaReason {
            rd_kafka_AdminOptions_set_request_timeout(options, timeout.timeoutMilliseconds, $0, $1)
        }
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            rd_kafka_AdminOptions_destroy(options)
            throw KafkaError(result, "admin request timeout: \(reason)")
        }
        return options
    }

    func awaitReply(timeout: Duration, _ what: String) throws(KafkaError) -> OpaquePointer {
        // librdkafka answers every admin request, with a timeout error at the latest; the margin
        // only guards against waiting forever.
        guard let event = rd_kafka_queue_poll(replies.handle, (timeout + .seconds(5)).timeoutMilliseconds) else {
            throw KafkaError(code: .timedOut, message: "\(what): no answer within \(timeout)")
        }
        let code = rd_kafka_event_error(event)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            let reason = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
            rd_kafka_event_destroy(event)
            throw KafkaError(code, "\(what) (\(reason))")
        }
        return event
    }
}
