import Foundation
import Logging
import SluiceKafka
import SluiceModel
import Testing
@testable import SluicePipeline

/// The package's root, from this file's place in it.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// The demo's fraud model, loaded once for every test.
let fraudModel: Model = {
    do {
        return try Model(contentsOf: packageRoot.appendingPathComponent("Models/fraud-mlp.onnx").path)
    } catch {
        fatalError("cannot load Models/fraud-mlp.onnx: \(error)")
    }
}()

let silentLogger = Logger(label: "sluice.processor.tests") { _ in SwiftLogNoOpLogHandler() }

/// The longest any condition may take before a test fails instead of hanging.
let processorPatience: Duration = .seconds(60)

struct TimedOut: Error, CustomStringConvertible {
    var description: String
}

/// An embedded cluster with the processor's topics: `events` (input), `predictions`, `audit`
/// and `events.dlq`.
func makeProcessorCluster(inputPartitions: Int = 3) throws -> MockKafkaCluster {
    let cluster = try MockKafkaCluster()
    try cluster.createTopic("events", partitions: inputPartitions)
    try cluster.createTopic("predictions", partitions: 4)
    try cluster.createTopic("audit", partitions: 4)
    try cluster.createTopic("events.dlq", partitions: 1)
    return cluster
}

/// The demo's features, fast group timings, and the given batching and back-pressure.
func processorConfiguration(
    _ cluster: MockKafkaCluster,
    group: String,
    maxSize: Int = 32,
    maxInFlight: Int = 20_000,
    resumeAt: Int = 10_000
) throws -> SluiceConfiguration {
    try processorConfiguration(bootstrap: cluster.bootstrapServers, group: group, maxSize: maxSize, maxInFlight: maxInFlight, resumeAt: resumeAt)
}

/// The demo's features, fast group timings, and the given batching and back-pressure, for the
/// brokers at `bootstrap`.
func processorConfiguration(
    bootstrap: String,
    group: String,
    maxSize: Int = 32,
    maxInFlight: Int = 20_000,
    resumeAt: Int = 10_000
) throws -> SluiceConfiguration {
    try SluiceConfiguration.parse(
        yaml: """
            kafka:
              bootstrap: '\(bootstrap)'
              group: \(group)
              properties: {heartbeat.interval.ms: '100', session.timeout.ms: '6000', topic.metadata.refresh.interval.ms: '1000'}
            features:
              - {path: amount}
              - {path: features, length: 16}
              - {path: merchant_risk, default: 0}
              - {path: hour}
              - {path: account_age_days}
            model: {path: Models/fraud-mlp.onnx, name: fraud, version: "1"}
            batching: {max_size: \(maxSize), max_delay_ms: 1}
            backpressure: {max_in_flight: \(maxInFlight), resume_at: \(resumeAt)}
            """
    )
}

/// A valid event for the fraud model, deterministic in `index`.
func fraudEvent(_ index: Int) -> String {
    let features = (0..<16).map { String(format: "%.3f", sin(Double(index * 16 + $0))) }.joined(separator: ",")
    return #"{"amount":\#(10 + index % 500).5,"features":[\#(features)],"merchant_risk":0.\#(index % 10),"hour":\#(index % 24),"account_age_days":\#(index % 900)}"#
}

/// Checks `condition` every millisecond until it holds, failing after ``processorPatience``:
/// for conditions on a processor's published statistics, which no event announces.
func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + processorPatience
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut(description: "timed out waiting until \(what)") }
        try await Task.sleep(for: .milliseconds(1))
    }
}

/// Where one produced input landed.
struct InputCoordinates: Hashable, Comparable {
    var partition: Int32
    var offset: Int64

    static func < (lhs: Self, rhs: Self) -> Bool { (lhs.partition, lhs.offset) < (rhs.partition, rhs.offset) }
    var predictionID: String { "events-\(partition)-\(offset)" }
}

/// Produces `payloads` to `events`, round-robin over `partitions` partitions, each with a key and
/// a `source` header, and returns where each landed, in payload order.
func produceEvents(
    _ payloads: [String],
    to cluster: MockKafkaCluster,
    partitions: Int32 = 3,
    key: (Int) -> String = { "card-\($0 % 7)" }
) throws -> [InputCoordinates] {
    var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
    configuration.lingerMilliseconds = 1
    let producer = try KafkaProducer(configuration: configuration, logger: silentLogger)
    let topic = try producer.topic(named: "events")
    var landed = [InputCoordinates?](repeating: nil, count: payloads.count)
    let record: (KafkaDeliveryReport) -> Void = { report in
        if report.isDelivered { landed[Int(report.token)] = InputCoordinates(partition: report.partition, offset: report.offset) }
    }
    for (index, payload) in payloads.enumerated() {
        let value = Array(payload.utf8)
        let key = Array(key(index).utf8)
        let header = Array("test".utf8)
        while try value.withUnsafeBytes({ value in
            try key.withUnsafeBytes { key in
                try header.withUnsafeBytes { header in
                    try producer.send(
                        to: topic, partition: Int32(index) % partitions, key: key, value: value,
                        headers: [KafkaHeader(name: "source", value: header)], token: UInt64(index)
                    )
                }
            }
        }) == .queueFull {
            try producer.pollDeliveryReports(timeout: .milliseconds(10), record)
        }
    }
    guard try producer.flush(timeout: processorPatience, record) else { throw TimedOut(description: "producing the events") }
    return try landed.map { try $0 ?? { throw TimedOut(description: "an event was not acknowledged") }() }
}

/// A consumed output record, copied.
struct OutputRecord {
    var topic: String
    var partition: Int32
    var offset: Int64
    var key: String?
    var value: [UInt8]
    var headers: [String: [UInt8]]

    var text: String { String(decoding: value, as: UTF8.self) }
    func header(_ name: String) -> String? { headers[name].map { String(decoding: $0, as: UTF8.self) } }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(value))) as? [String: Any] ?? [:] }
}

/// Reads the output topics from the beginning, in a group of its own.
final class OutputReader {
    let consumer: KafkaConsumer
    let batch = KafkaMessageBatch(capacity: 1024)
    private(set) var records: [String: [OutputRecord]] = [:]

    init(_ cluster: MockKafkaCluster, group: String = "reader-\(UUID().uuidString)", topics: [String] = ["predictions", "audit", "events.dlq"]) throws {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: group)
        configuration.isAutoCommitEnabled = false
        configuration.properties = ["heartbeat.interval.ms": "100", "topic.metadata.refresh.interval.ms": "1000"]
        consumer = try KafkaConsumer(configuration: configuration, logger: silentLogger)
        try consumer.subscribe(to: topics)
    }

    deinit {
        try? consumer.close()
    }

    func count(_ topic: String) -> Int { records[topic]?.count ?? 0 }
    subscript(topic: String) -> [OutputRecord] { records[topic] ?? [] }

    /// Polls until `condition` holds, failing after ``processorPatience``.
    func read(until what: String, _ condition: (OutputReader) -> Bool) async throws {
        let deadline = ContinuousClock.now + processorPatience
        while !condition(self) {
            guard ContinuousClock.now < deadline else { throw TimedOut(description: "timed out reading \(what)") }
            try consumer.poll(into: batch, timeout: .milliseconds(50)) { _ in }
            batch.forEach { message in
                var headers: [String: [UInt8]] = [:]
                for (name, value) in message.copiedHeaders { headers[name] = value ?? [] }
                records[message.topic, default: []].append(
                    OutputRecord(
                        topic: message.topic, partition: message.partition, offset: message.offset,
                        key: message.key.map { String(decoding: $0, as: UTF8.self) }, value: Array(message.value), headers: headers
                    )
                )
            }
            await Task.yield()
        }
    }
}

/// The group's committed offsets for the input partitions, by partition.
func committedOffsets(_ cluster: MockKafkaCluster, group: String, partitions: Int32 = 3) throws -> [Int32: Int64] {
    let consumer = try KafkaConsumer(
        configuration: KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: group),
        logger: silentLogger
    )
    let offsets = try consumer.committedOffsets(
        for: (0..<partitions).map { KafkaTopicPartition(topic: "events", partition: $0) }, timeout: .seconds(10)
    )
    return Dictionary(uniqueKeysWithValues: offsets.map { ($0.topicPartition.partition, $0.offset) })
}
