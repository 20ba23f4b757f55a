import ArgumentParser
import BenchSupport
import Foundation
import Logging
import PassthroughReference
import SluiceKafka

/// Measures SluiceKafka against plain C librdkafka: the same consume -> produce passthrough, in
/// the same process, against the same embedded mock cluster and the same input, repeated with the
/// two implementations interleaved; prints each run, the medians and the Swift/C ratio.
@main
struct KafkaPassthroughBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice-kafka-bench",
        abstract: "Compares SluiceKafka's consume->produce passthrough with the same loop in C."
    )

    @OptionGroup var runSize: BenchRunOptions<KafkaBenchDefaults>
    @Option(help: "Bytes per event value.")
    var size = 200
    @Option(help: "Output messages per input event, each to its own topic.")
    var outputs = 1
    @Option(help: "Most messages per consumer poll.")
    var batchSize = 1_000

    func run() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        let bootstrap = cluster.bootstrapServers
        try cluster.createTopic("bench.input", partitions: runSize.partitions)
        print("librdkafka \(Librdkafka.version), mock cluster \(bootstrap), load average \(BenchFigures.loadAverage())")
        print("loading \(runSize.events) events of \(size) bytes over \(runSize.partitions) partitions …")
        try load(bootstrap)

        var rates: [String: [Double]] = ["C": [], "Swift": []]
        var cpuRates: [String: [Double]] = ["C": [], "Swift": []]
        for repetition in 1...runSize.repetitions {
            // Alternate which implementation goes first, so neither always meets a warmer broker.
            let order = repetition.isMultiple(of: 2) ? ["Swift", "C"] : ["C", "Swift"]
            for implementation in order {
                let tag = "\(implementation.lowercased()).\(repetition)"
                let outputTopics = (1...outputs).map { "bench.output.\(tag).\($0)" }
                for topic in outputTopics { try cluster.createTopic(topic, partitions: runSize.partitions) }
                let options = PassthroughOptions(
                    bootstrapServers: bootstrap, groupID: "bench.\(tag)", inputTopic: "bench.input",
                    inputPartitions: runSize.partitions, outputTopics: outputTopics, events: runSize.events, batchSize: batchSize
                )
                let cpuBefore = processCPUSeconds()
                let result =
                    implementation == "C" ? try CPassthrough(options: options).run() : try SwiftPassthrough(options: options).run()
                let cpuSeconds = processCPUSeconds() - cpuBefore
                guard result.consumed == runSize.events, result.produced == runSize.events * outputs else {
                    throw PassthroughFailed(description: "\(implementation) moved \(result.consumed)/\(result.produced) messages")
                }
                rates[implementation]!.append(result.eventsPerSecond)
                cpuRates[implementation]!.append(Double(result.consumed) / cpuSeconds)
                print(
                    "run \(repetition) \(implementation.padding(toLength: 5, withPad: " ", startingAt: 0)) "
                        + "\(format(result.eventsPerSecond)) events/s  (\(String(format: "%.2f", result.seconds)) s)  "
                        + "\(format(Double(result.consumed) / cpuSeconds)) events/CPU-s"
                )
            }
        }
        let c = BenchFigures.median(rates["C"]!)
        let swift = BenchFigures.median(rates["Swift"]!)
        print("load average \(BenchFigures.loadAverage())")
        print("median C     \(format(c)) events/s")
        print("median Swift \(format(swift)) events/s")
        print("ratio Swift/C \(String(format: "%.3f", swift / c))")
        let cCPU = BenchFigures.median(cpuRates["C"]!)
        let swiftCPU = BenchFigures.median(cpuRates["Swift"]!)
        print("median C     \(format(cCPU)) events/CPU-s")
        print("median Swift \(format(swiftCPU)) events/CPU-s")
        print("ratio Swift/C per CPU-second \(String(format: "%.3f", swiftCPU / cCPU))")
    }

    private func load(_ bootstrap: String) throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrap)
        configuration.lingerMilliseconds = 20
        let producer = try KafkaProducer(configuration: configuration, logger: Logger(label: "sluice.bench.load"))
        let topic = try producer.topic(named: "bench.input")
        _ = try producer.partitionCount(of: topic, timeout: .seconds(10))
        var value = [UInt8](repeating: UInt8(ascii: " "), count: size)
        var failures = 0
        let count = { (report: KafkaDeliveryReport) in if !report.isDelivered { failures += 1 } }
        for index in 0..<runSize.events {
            let key = Array(String(format: "user-%010d", index % 100_003).utf8)
            let text = Array("{\"id\":\(index),\"amount\":\(index % 997).25,\"features\":[".utf8)
            value.replaceSubrange(0..<text.count, with: text)
            let partition = Int32(index % runSize.partitions)
            while try key.withUnsafeBytes({ keyBytes in
                try value.withUnsafeBytes { valueBytes in
                    try producer.send(to: topic, partition: partition, key: keyBytes, value: valueBytes, token: 0)
                }
            }) == .queueFull {
                try producer.pollDeliveryReports(timeout: .milliseconds(10), count)
            }
        }
        guard try producer.flush(timeout: .seconds(120), count), failures == 0 else {
            throw PassthroughFailed(description: "loading the input failed for \(failures) events")
        }
    }

    private func format(_ rate: Double) -> String {
        String(format: "%9.0f", rate)
    }
}

/// `sluice-kafka-bench`'s run size: a million events, five runs of each.
enum KafkaBenchDefaults: BenchRunDefaults {
    static let events = 1_000_000
    static let repetitions = 5
}
