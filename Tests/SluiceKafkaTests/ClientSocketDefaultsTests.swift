import Testing

@testable import SluiceKafka

/// Both clients send each request at once (TCP_NODELAY), as Kafka's own clients do, unless the
/// configuration's pass-through properties say otherwise.
struct ClientSocketDefaultsTests {
    @Test func consumerAndProducerDisableNagleByDefault() throws {
        let consumer = KafkaConsumerConfiguration(bootstrapServers: "localhost:9092", groupID: "g")
        let producer = KafkaProducerConfiguration(bootstrapServers: "localhost:9092")
        #expect(consumer.librdkafkaProperties["socket.nagle.disable"] == "true")
        #expect(producer.librdkafkaProperties["socket.nagle.disable"] == "true")
        _ = try RDKafkaConfiguration(consumer.librdkafkaProperties)
        _ = try RDKafkaConfiguration(producer.librdkafkaProperties)
    }

    @Test func aPassedThroughPropertyTurnsNagleBackOn() {
        var producer = KafkaProducerConfiguration(bootstrapServers: "localhost:9092")
        producer.properties = ["socket.nagle.disable": "false"]
        #expect(producer.librdkafkaProperties["socket.nagle.disable"] == "false")
    }
}
