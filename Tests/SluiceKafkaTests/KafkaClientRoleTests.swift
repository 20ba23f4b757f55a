import CRdKafka
import Testing
@testable import SluiceKafka

@Suite struct KafkaClientRoleTests {
    @Test func eachClientKeepsSharedPropertiesAndDropsTheOtherKindsOnly() {
        let properties = [
            "security.protocol": "SASL_SSL",
            "heartbeat.interval.ms": "500",
            "linger.ms": "5",
        ]
        #expect(KafkaClientRole.consumer.applicable(properties) == ["security.protocol": "SASL_SSL", "heartbeat.interval.ms": "500"])
        #expect(KafkaClientRole.producer.applicable(properties) == ["security.protocol": "SASL_SSL", "linger.ms": "5"])
    }

    /// A misspelt name in either list would let that property through to the wrong client.
    @Test(arguments: [KafkaClientRole.consumerOnly, KafkaClientRole.producerOnly])
    func everyListedPropertyIsOneLibrdkafkaKnows(names: Set<String>) {
        for name in names.sorted() {
            let configuration = rd_kafka_conf_new()
            defer { rd_kafka_conf_destroy(configuration) }
            var error = [CChar](repeating: 0, count: 256)
            // Setting a property to its current value checks only that the name exists.
            var value = [CChar](repeating: 0, count: 512)
            var size = value.count
            let known = rd_kafka_conf_get(configuration, name, &value, &size) == RD_KAFKA_CONF_OK
                || rd_kafka_conf_set(configuration, name, "1", &error, error.count) != RD_KAFKA_CONF_UNKNOWN
            #expect(known, "librdkafka does not know \(name)")
        }
    }
}
