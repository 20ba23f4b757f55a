import CKafkaPassthrough
import Foundation
import SluiceKafka

/// The C reference of Sluice's Kafka benchmarks: `sluice_c_passthrough` (Benchmarks/CKafkaPassthrough),
/// plain librdkafka consuming the input as a group member and sending every event's key and value
/// to each output topic, storing offsets only once all outputs are acknowledged. Used by
/// `sluice-kafka-bench`, `sluice-bench` and `sluice-passthrough`, so all compare against exactly the same loop.
public struct CPassthrough: Sendable {
    public var consumer: KafkaConsumerConfiguration
    public var producer: KafkaProducerConfiguration
    public var inputTopic: String
    public var inputPartitions: Int
    public var outputTopics: [String]
    /// How many input events the run consumes before it ends.
    public var events: Int
    /// Most messages per consumer poll.
    public var batchSize: Int

    public init(
        consumer: KafkaConsumerConfiguration, producer: KafkaProducerConfiguration, inputTopic: String,
        inputPartitions: Int, outputTopics: [String], events: Int, batchSize: Int = 1_000
    ) {
        self.consumer = consumer
        self.producer = producer
        self.inputTopic = inputTopic
        self.inputPartitions = inputPartitions
        self.outputTopics = outputTopics
        self.events = events
        self.batchSize = batchSize
    }

    /// Runs it to completion on the calling thread (it blocks: not on the cooperative pool).
    public func run() throws -> PassthroughResult {
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
            throw PassthroughFailed(description: "C passthrough failed: \(reason)")
        }
        return PassthroughResult(
            consumed: Int(result.consumed), produced: Int(result.produced), seconds: result.seconds, middleSeconds: result.middle_seconds
        )
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

/// What a passthrough run moved, and how long it took.
public struct PassthroughResult: Sendable {
    public var consumed: Int
    public var produced: Int
    /// From the first consumed batch to the end of the final commit.
    public var seconds: Double
    /// From 10 % to 90 % of the events consumed; `nil` where the run did not measure it.
    public var middleSeconds: Double?

    public init(consumed: Int, produced: Int, seconds: Double, middleSeconds: Double? = nil) {
        self.consumed = consumed
        self.produced = produced
        self.seconds = seconds
        self.middleSeconds = middleSeconds
    }

    public var eventsPerSecond: Double { Double(consumed) / seconds }
}

/// Why a passthrough run could not complete.
public struct PassthroughFailed: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) { self.description = description }
}

/// CPU time of the whole process so far (all threads: the loop, librdkafka's, the mock brokers').
public func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
