import CRdKafka

extension KafkaProducer {
    /// Asks the cluster about `topic` and returns its partition count, so a service can check its
    /// output topics exist at startup and learn their leaders before the first message. Blocks for
    /// up to `timeout`.
    ///
    /// - Throws: ``KafkaError`` with ``KafkaError/Code/unknownTopicOrPartition`` when the topic
    ///   does not exist.
    public func partitionCount(of topic: KafkaProducerTopic, timeout: Duration) throws(KafkaError) -> Int {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let result = rd_kafka_metadata(rdKafkaClient.handle, 0, topic.rdKafkaTopic.handle, &metadata, timeout.timeoutMilliseconds)
        if let error = KafkaError(checking: result, "cannot read the metadata of \"\(topic.name)\"") { throw error }
        defer { rd_kafka_metadata_destroy(metadata) }
        guard let metadata, metadata.pointee.topic_cnt == 1 else {
            throw KafkaError(code: .unknownTopicOrPartition, message: "topic \"\(topic.name)\" is not in the cluster's metadata")
        }
        let description = metadata.pointee.topics[0]
        if let error = KafkaError(checking: description.err, "topic \"\(topic.name)\"") { throw error }
        return Int(description.partition_cnt)
    }
}
