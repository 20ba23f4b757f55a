import CRdKafka

/// One topic setting as DescribeConfigs reports it.
struct KafkaTopicConfigEntry: Hashable, Sendable {
    var value: String
    /// Whether it is set on the topic itself rather than inherited from the broker or Kafka's
    /// defaults: the settings a legacy AlterConfigs request must repeat to keep.
    var isTopicOverride: Bool
}

extension KafkaAdmin {
    /// Every setting of each topic with its source, in one DescribeConfigs request.
    func topicConfigEntries(of topics: [String], timeout: Duration) throws(KafkaError) -> [String: [String: KafkaTopicConfigEntry]] {
        guard !topics.isEmpty else { return [:] }
        var resources: [OpaquePointer?] = topics.map { rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, $0) }
        defer { resources.forEach { rd_kafka_ConfigResource_destroy($0) } }
        let options = try requestOptions(RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeout: timeout)
        defer { rd_kafka_AdminOptions_destroy(options) }
        rd_kafka_DescribeConfigs(client.handle, &resources, resources.count, options, replies.handle)
        let what = topics.count == 1 ? "the configs of \"\(topics[0])\"" : "the configs of \(topics.count) topics"
        let event = try awaitReply(timeout: timeout, "describing \(what)")
        defer { rd_kafka_event_destroy(event) }
        var count = 0
        let described = rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(event), &count)
        var configsByTopic: [String: [String: KafkaTopicConfigEntry]] = [:]
        for resourceIndex in 0..<count {
            guard let resource = described?[resourceIndex] else { continue }
            let topic = String(cString: rd_kafka_ConfigResource_name(resource))
            if let error = KafkaError(checking: rd_kafka_ConfigResource_error(resource), "cannot describe the configs of \"\(topic)\"") {
                throw error
            }
            var entryCount = 0
            let entries = rd_kafka_ConfigResource_configs(resource, &entryCount)
            var configs: [String: KafkaTopicConfigEntry] = [:]
            for index in 0..<entryCount {
                guard let entry = entries?[index], let value = rd_kafka_ConfigEntry_value(entry) else { continue }
                configs[String(cString: rd_kafka_ConfigEntry_name(entry))] = KafkaTopicConfigEntry(
                    value: String(cString: value),
                    isTopicOverride: rd_kafka_ConfigEntry_source(entry) == RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG
                )
            }
            configsByTopic[topic] = configs
        }
        return configsByTopic
    }

    /// Grows `topic` to `count` partitions (CreatePartitions). Kafka never removes partitions.
    public func createPartitions(of topic: String, count: Int, timeout: Duration) throws(KafkaError) {
        let (created, reason) = withRDKafkaReason { rd_kafka_NewPartitions_new(topic, count, $0, $1) }
        guard let newPartitions = created else {
            throw KafkaError(code: .invalidArgument, message: "topic \"\(topic)\": \(reason)")
        }
        defer { rd_kafka_NewPartitions_destroy(newPartitions) }
        var requests: [OpaquePointer?] = [newPartitions]
        let options = try requestOptions(RD_KAFKA_ADMIN_OP_CREATEPARTITIONS, timeout: timeout)
        defer { rd_kafka_AdminOptions_destroy(options) }
        rd_kafka_CreatePartitions(client.handle, &requests, 1, options, replies.handle)
        let event = try awaitReply(timeout: timeout, "adding partitions to \"\(topic)\"")
        defer { rd_kafka_event_destroy(event) }
        var resultCount = 0
        let results = rd_kafka_CreatePartitions_result_topics(rd_kafka_event_CreatePartitions_result(event), &resultCount)
        for index in 0..<resultCount {
            guard let result = results?[index] else { continue }
            let code = rd_kafka_topic_result_error(result)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                let detail = rd_kafka_topic_result_error_string(result).map { String(cString: $0) } ?? ""
                throw KafkaError(code, "cannot grow \"\(topic)\" to \(count) partitions (\(detail))")
            }
        }
    }

    /// Sets `changes` on `topic`, keeping its other topic-level settings.
    ///
    /// librdkafka 2.0 has only the legacy AlterConfigs request, which replaces all of a topic's
    /// own settings: the current ones are read first and sent back with the changes. A setting
    /// changed by another client between the read and the write is lost.
    public func alterTopicConfigs(of topic: String, setting changes: [String: String], timeout: Duration) throws(KafkaError) {
        let current = (try topicConfigEntries(of: [topic], timeout: timeout)[topic] ?? [:]).filter(\.value.isTopicOverride).mapValues(\.value)
        let wanted = current.merging(changes) { _, changed in changed }
        let resource = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic)
        defer { rd_kafka_ConfigResource_destroy(resource) }
        for (key, value) in wanted.sorted(by: { $0.key < $1.key }) {
            if let error = KafkaError(checking: rd_kafka_ConfigResource_set_config(resource, key, value), "topic \"\(topic)\" config \(key)") {
                throw error
            }
        }
        var resources: [OpaquePointer?] = [resource]
        let options = try requestOptions(RD_KAFKA_ADMIN_OP_ALTERCONFIGS, timeout: timeout)
        defer { rd_kafka_AdminOptions_destroy(options) }
        rd_kafka_AlterConfigs(client.handle, &resources, 1, options, replies.handle)
        let event = try awaitReply(timeout: timeout, "altering the configs of \"\(topic)\"")
        defer { rd_kafka_event_destroy(event) }
        var count = 0
        let results = rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(event), &count)
        for index in 0..<count {
            guard let result = results?[index] else { continue }
            if let error = KafkaError(checking: rd_kafka_ConfigResource_error(result), "cannot alter the configs of \"\(topic)\"") {
                throw error
            }
        }
    }
}
