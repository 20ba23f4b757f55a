import Foundation
import PassthroughReference
import SluiceKafka

/// What one passthrough run reads and writes, shared by the C and the Swift implementation so
/// both run with exactly the same librdkafka properties.
struct PassthroughOptions {
    var bootstrapServers: String
    var groupID: String
    var inputTopic: String
    var inputPartitions: Int
    var outputTopics: [String]
    var events: Int
    var batchSize: Int

    var producerConfiguration: KafkaProducerConfiguration {
        KafkaProducerConfiguration(bootstrapServers: bootstrapServers)
    }

    var consumerConfiguration: KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: bootstrapServers, groupID: groupID)
        configuration.assignmentStrategy = .cooperativeSticky
        return configuration
    }
}

extension CPassthrough {
    init(options: PassthroughOptions) {
        self.init(
            consumer: options.consumerConfiguration, producer: options.producerConfiguration,
            inputTopic: options.inputTopic, inputPartitions: options.inputPartitions,
            outputTopics: options.outputTopics, events: options.events, batchSize: options.batchSize
        )
    }
}
