import ArgumentParser
import Foundation
import Logging
import PassthroughReference
import SluiceCommandLine
import SluiceKafka

/// `sluice-passthrough`: the C two-output librdkafka passthrough (Benchmarks/CKafkaPassthrough) as
/// a process of its own against any cluster, so that `Benchmarks/as-deployed` measures it exactly
/// as it measures `sluice run`: in its own process, against a broker in another.
@main
struct PassthroughCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice-passthrough",
        abstract: "Runs the C librdkafka passthrough against a cluster until it has moved --events events.",
        discussion: """
            Consumes --topic as a member of --group and sends every event's key and value to each \
            of --outputs, storing an input offset only once all its outputs are acknowledged; ends \
            with a synchronous commit after --events events. The consumer has Sluice's consumer \
            settings, the producer librdkafka's with Sluice's producer defaults; --property sets \
            consumer properties (against `sluice broker`: fetch.wait.max.ms=1). Prints one JSON \
            object: events consumed and produced, seconds from the first batch to the final \
            commit, and seconds from 10 % to 90 % of the events consumed.
            """
    )

    @Option(help: "The cluster, host:port[,host:port…].")
    var bootstrap: String

    @Option(help: "The input topic.")
    var topic = "events"

    @Option(help: "Output topics, comma-separated: every event goes to each.")
    var outputs = "predictions,audit"

    @Option(help: "Events to move before ending.")
    var events: Int

    @Option(help: "The consumer group.")
    var group = "sluice-passthrough"

    @Option(help: "Most messages per consumer poll.")
    var batchSize = 1_000

    @OptionGroup var propertyOptions: PropertyOptions

    func validate() throws {
        guard events >= 1 else { throw ValidationError("--events must be at least 1, not \(events)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, not \(batchSize)") }
    }

    func run() throws {
        let producer = KafkaProducerConfiguration(bootstrapServers: bootstrap)
        var consumer = KafkaConsumerConfiguration(bootstrapServers: bootstrap, groupID: group)
        for (key, value) in propertyOptions.pairs { consumer.properties[key] = value }
        let partitions = try Self.partitionCount(of: topic, configuration: producer)
        let reference = CPassthrough(
            consumer: consumer, producer: producer, inputTopic: topic, inputPartitions: partitions,
            outputTopics: outputs.split(separator: ",").map(String.init), events: events, batchSize: batchSize
        )
        let result = try reference.run()
        let figures: [String: Any] = [
            "consumed": result.consumed,
            "produced": result.produced,
            "seconds": result.seconds,
            "middle_seconds": result.middleSeconds ?? 0,
            "input_partitions": partitions,
        ]
        let json = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }

    /// The input's partitions (the C loop tracks offsets per partition), asked by a client that is
    /// gone before the run starts.
    private static func partitionCount(of topic: String, configuration: KafkaProducerConfiguration) throws -> Int {
        let producer = try KafkaProducer(configuration: configuration, logger: Logger(label: "sluice.passthrough"))
        return try producer.partitionCount(of: producer.topic(named: topic), timeout: .seconds(10))
    }
}
