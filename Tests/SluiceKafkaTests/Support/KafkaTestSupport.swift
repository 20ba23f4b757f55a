import Logging
import SluiceKafka
import Testing

/// A logger that drops everything: the tests assert on behaviour, not on log lines.
let quietLogger = Logger(label: "sluice.kafka.tests") { _ in SwiftLogNoOpLogHandler() }

/// The longest any condition in these tests may take before the test fails instead of hanging.
let patience: Duration = .seconds(30)

/// Fast group protocol timings, so rebalances in tests take milliseconds, not seconds.
let fastGroupProperties = [
    "heartbeat.interval.ms": "100",
    "session.timeout.ms": "6000",
    "topic.metadata.refresh.interval.ms": "1000",
]

struct ConditionTimedOut: Error, CustomStringConvertible {
    var description: String
}

/// Repeats `step` until `condition` holds, failing after `patience`; `step` should itself wait
/// for an event (a poll with a timeout), so this loop never sleeps.
func repeatUntil(
    _ what: String,
    _ condition: () throws -> Bool,
    step: () throws -> Void
) throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: patience)
    while try !condition() {
        guard clock.now < deadline else { throw ConditionTimedOut(description: "timed out waiting for \(what)") }
        try step()
    }
}

func makeProducer(
    _ cluster: MockKafkaCluster,
    configure: (inout KafkaProducerConfiguration) -> Void = { _ in }
) throws -> KafkaProducer {
    var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
    configuration.lingerMilliseconds = 1
    configure(&configuration)
    return try KafkaProducer(configuration: configuration, logger: quietLogger)
}

func makeConsumer(
    _ cluster: MockKafkaCluster,
    group: String,
    strategy: KafkaConsumerConfiguration.AssignmentStrategy = .cooperativeSticky,
    configure: (inout KafkaConsumerConfiguration) -> Void = { _ in }
) throws -> KafkaConsumer {
    var configuration = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: group)
    configuration.assignmentStrategy = strategy
    configuration.properties = fastGroupProperties
    configure(&configuration)
    return try KafkaConsumer(configuration: configuration, logger: quietLogger)
}

extension KafkaProducer {
    /// Sends `value` (and `key`) as UTF-8, retrying after serving reports while the queue is full.
    func send(
        _ value: String,
        key: String? = nil,
        to topic: KafkaProducerTopic,
        partition: Int32? = nil,
        headers: [(String, String)] = [],
        token: UInt64,
        onReport: (KafkaDeliveryReport) -> Void = { _ in }
    ) throws {
        var value = value
        var key = key
        var headerValues = headers.map { $0.1 }
        let outcome = try value.withUTF8 { valueBytes in
            try withOptionalUTF8(&key) { keyBytes in
                try withHeaders(headers.map(\.0), &headerValues[...]) { kafkaHeaders in
                    try self.send(
                        to: topic, partition: partition, key: keyBytes, value: UnsafeRawBufferPointer(valueBytes),
                        headers: kafkaHeaders, token: token
                    )
                }
            }
        }
        if outcome == .queueFull {
            try pollDeliveryReports(timeout: .milliseconds(100), onReport)
            try send(value, key: key, to: topic, partition: partition, headers: headers, token: token, onReport: onReport)
        }
    }
}

private func withOptionalUTF8<R>(_ text: inout String?, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
    guard var present = text else { return try body(nil) }
    return try present.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
}

private func withHeaders<R>(
    _ names: [String],
    _ values: inout ArraySlice<String>,
    collected: [KafkaHeader] = [],
    _ body: ([KafkaHeader]) throws -> R
) rethrows -> R {
    guard var first = values.first else { return try body(collected) }
    let name = names[collected.count]
    var rest = values.dropFirst()
    return try first.withUTF8 { bytes in
        try withHeaders(
            names, &rest, collected: collected + [KafkaHeader(name: name, value: UnsafeRawBufferPointer(bytes))], body
        )
    }
}

/// A consumed message copied out of its batch, for assertions.
struct ReceivedMessage: Hashable {
    var topic: String
    var partition: Int32
    var offset: Int64
    var key: String?
    var value: String
    var headers: [String]

    init(_ message: KafkaMessage) {
        topic = message.topic
        partition = message.partition
        offset = message.offset
        key = message.key.map { String(decoding: $0, as: UTF8.self) }
        value = String(decoding: message.value, as: UTF8.self)
        headers = message.copiedHeaders.map { "\($0.name)=\($0.value.map { String(decoding: $0, as: UTF8.self) } ?? "null")" }
    }
}

extension KafkaConsumer {
    /// Polls once and returns the messages copied out, storing each message's next offset, as a
    /// loop does after finishing its work.
    func pollCopying(
        _ batch: KafkaMessageBatch,
        timeout: Duration = .milliseconds(50),
        storeOffsets: Bool = true,
        onRebalance: (KafkaRebalanceEvent) -> Void = { _ in }
    ) throws -> [ReceivedMessage] {
        try poll(into: batch, timeout: timeout, onRebalance: onRebalance)
        var received: [ReceivedMessage] = []
        var next: [KafkaTopicPartition: Int64] = [:]
        batch.forEach { message in
            let copy = ReceivedMessage(message)
            received.append(copy)
            next[KafkaTopicPartition(topic: copy.topic, partition: copy.partition)] = message.nextOffset
        }
        if storeOffsets {
            try self.storeOffsets(next.map { KafkaPartitionOffset($0.key, offset: $0.value) })
        }
        return received
    }
}

/// Flushes `producer` and records a test failure for every message not delivered.
func expectAllDelivered(_ producer: KafkaProducer, sourceLocation: SourceLocation = #_sourceLocation) throws {
    var failures: [KafkaError] = []
    let flushed = try producer.flush(timeout: patience) { report in
        if let error = report.error { failures.append(error) }
    }
    #expect(flushed, "flush timed out", sourceLocation: sourceLocation)
    #expect(failures.isEmpty, "\(failures)", sourceLocation: sourceLocation)
}
