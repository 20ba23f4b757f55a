import Foundation
import CKafkaPassthrough
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

struct PassthroughResult {
    var consumed: Int
    var produced: Int
    var seconds: Double

    var eventsPerSecond: Double { Double(consumed) / seconds }
}

struct PassthroughFailed: Error, CustomStringConvertible {
    var description: String
}

/// Runs `sluice_c_passthrough` from Benchmarks/CKafkaPassthrough.
struct CPassthrough {
    var options: PassthroughOptions

    func run() throws -> PassthroughResult {
        var result = sluice_passthrough_result()
        let status = withCStringArray(flatten(options.consumerConfiguration.librdkafkaProperties)) { consumerProperties in
            withCStringArray(flatten(options.producerConfiguration.librdkafkaProperties)) { producerProperties in
                withCStringArray(options.outputTopics) { outputTopics in
                    options.inputTopic.withCString { inputTopic in
                        var cOptions = sluice_passthrough_options(
                            input_topic: inputTopic,
                            input_partitions: Int32(options.inputPartitions),
                            output_topics: outputTopics.baseAddress,
                            output_topic_count: Int32(outputTopics.count),
                            events: Int64(options.events),
                            batch_size: Int32(options.batchSize),
                            consumer_properties: consumerProperties.baseAddress,
                            consumer_property_count: Int32(consumerProperties.count),
                            producer_properties: producerProperties.baseAddress,
                            producer_property_count: Int32(producerProperties.count)
                        )
                        return sluice_c_passthrough(&cOptions, &result)
                    }
                }
            }
        }
        guard status == 0 else {
            let reason = withUnsafeBytes(of: result.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw PassthroughFailed(description: "C passthrough failed: \(reason)")
        }
        return PassthroughResult(consumed: Int(result.consumed), produced: Int(result.produced), seconds: result.seconds)
    }

    private func flatten(_ properties: [String: String]) -> [String] {
        properties.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
    }
}

/// Lends `strings` as a C array of C strings. Do not escape the pointers.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return copies.map { UnsafePointer($0) }.withUnsafeBufferPointer(body)
}
