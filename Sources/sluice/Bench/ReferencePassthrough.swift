import CKafkaPassthrough
import Foundation
import SluiceKafka

/// The reference of `sluice bench`: `sluice_c_passthrough` (Benchmarks/CKafkaPassthrough), plain C
/// librdkafka consuming the input as a group member and sending every event's key and value to
/// each output topic, storing offsets only once all outputs are acknowledged.
struct ReferencePassthrough {
    var consumer: KafkaConsumerConfiguration
    var producer: KafkaProducerConfiguration
    var inputTopic: String
    var inputPartitions: Int
    var outputTopics: [String]
    var events: Int
    /// Most messages per consumer poll, as in `sluice-kafka-bench`.
    var batchSize = 1_000

    struct Result {
        var consumed: Int
        var produced: Int
        /// From the first consumed batch to the end of the final commit.
        var seconds: Double
        /// CPU time of the whole process during the run, set by the caller.
        var cpuSeconds = Double.nan

        var eventsPerSecond: Double { Double(consumed) / seconds }
    }

    /// Runs it to completion on the calling thread (it blocks).
    func run() throws -> Result {
        var result = sluice_passthrough_result()
        let status = withCStringArray(Self.flatten(consumer.librdkafkaProperties)) { consumerProperties in
            withCStringArray(Self.flatten(producer.librdkafkaProperties)) { producerProperties in
                withCStringArray(outputTopics) { outputTopics in
                    inputTopic.withCString { inputTopic in
                        var options = sluice_passthrough_options(
                            input_topic: inputTopic,
                            input_partitions: Int32(inputPartitions),
                            output_topics: outputTopics.baseAddress,
                            output_topic_count: Int32(outputTopics.count),
                            events: Int64(events),
                            batch_size: Int32(batchSize),
                            consumer_properties: consumerProperties.baseAddress,
                            consumer_property_count: Int32(consumerProperties.count),
                            producer_properties: producerProperties.baseAddress,
                            producer_property_count: Int32(producerProperties.count)
                        )
                        return sluice_c_passthrough(&options, &result)
                    }
                }
            }
        }
        guard status == 0 else {
            let reason = withUnsafeBytes(of: result.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw BenchFailure("C passthrough failed: \(reason)")
        }
        return Result(consumed: Int(result.consumed), produced: Int(result.produced), seconds: result.seconds)
    }

    private static func flatten(_ properties: [String: String]) -> [String] {
        properties.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
    }

    /// Lends `strings` as a C array of C strings. Do not escape the pointers.
    private func withCStringArray<R>(_ strings: [String], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        return copies.map { UnsafePointer($0) }.withUnsafeBufferPointer(body)
    }
}

/// Why a benchmark run could not complete.
struct BenchFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
