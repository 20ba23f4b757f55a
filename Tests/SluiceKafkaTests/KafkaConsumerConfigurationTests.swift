import Testing
@testable import SluiceKafka

@Suite struct KafkaConsumerConfigurationTests {
    /// librdkafka's own 100,000-message threshold idles a consumer that is behind for most of every
    /// second (see ``KafkaConsumerConfiguration/prefetchMessageLimit``).
    @Test func prefetchIsBoundedBySizeRatherThanByLibrdkafkasMessageCount() throws {
        let configuration = KafkaConsumerConfiguration(bootstrapServers: "localhost:9092", groupID: "g")
        #expect(configuration.librdkafkaProperties["queued.min.messages"] == "1000000")
        #expect(configuration.librdkafkaProperties["queued.max.messages.kbytes"] == nil)
        _ = try RDKafkaConfiguration(configuration.librdkafkaProperties)
    }

    @Test func aPassedThroughPropertyOverridesTheField() {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: "localhost:9092", groupID: "g")
        configuration.prefetchMessageLimit = 5_000
        configuration.properties = ["queued.min.messages": "20000"]
        #expect(configuration.librdkafkaProperties["queued.min.messages"] == "20000")
    }
}
