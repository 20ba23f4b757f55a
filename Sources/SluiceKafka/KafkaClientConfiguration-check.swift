extension KafkaConsumerConfiguration {
    /// Has librdkafka check every property as ``KafkaConsumer/init(configuration:logger:)`` would
    /// set it, without creating a client.
    ///
    /// - Throws: ``KafkaError`` naming the first property librdkafka rejects.
    public func check() throws(KafkaError) {
        _ = try RDKafkaConfiguration(librdkafkaProperties)
    }
}

extension KafkaProducerConfiguration {
    /// Has librdkafka check every property as ``KafkaProducer/init(configuration:logger:)`` would
    /// set it, without creating a client.
    ///
    /// - Throws: ``KafkaError`` naming the first property librdkafka rejects.
    public func check() throws(KafkaError) {
        _ = try RDKafkaConfiguration(librdkafkaProperties)
    }
}
