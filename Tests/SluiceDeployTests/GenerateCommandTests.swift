import Foundation
import Logging
import SluiceKafka
import SluicePipeline
import Testing

/// `sluice generate` against the embedded mock cluster, read back with a consumer.
@Suite struct GenerateCommandTests {
    @Test func producesTheRequestedNumberOfKeyedFraudEventsNoFasterThanTheRate() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("transactions", partitions: 4)
        let (events, rate) = (600, 1000.0)

        let started = ContinuousClock.now
        let run = try SluiceExecutable.run([
            "generate", "--bootstrap", cluster.bootstrapServers, "--topic", "transactions", "--rate", "\(Int(rate))", "--events", "\(events)",
        ])
        let elapsed = started.duration(to: .now)

        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("produced \(events) events to transactions (0 malformed on purpose), all acknowledged"), "\(run.standardError)")
        // The first event goes at once, each further one 1/rate later at the earliest.
        #expect(elapsed >= .milliseconds(Int64(Double(events - 1) / rate * 1000)))

        let messages = try consumeAll(from: cluster, topic: "transactions", expecting: events)
        #expect(messages.count == events)
        for (key, value) in messages.prefix(50) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(value)) as? [String: Any])
            #expect(object["card_id"] as? String == String(decoding: key, as: UTF8.self))
            #expect((object["features"] as? [Any])?.count == 16)
            #expect(object["amount"] is NSNumber)
        }
        #expect(Set(messages.map { String(decoding: $0.value, as: UTF8.self) }).count == events)
    }

    @Test func avroAndProtobufEventsDecodeWithTheDemoSchemaFilesIntoTheRowsOfTheSameSeedsJSONEvents() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        for topic in ["json", "avro", "protobuf"] { try cluster.createTopic(topic, partitions: 1) }
        let events = 300
        for format in ["json", "avro", "protobuf"] {
            let topic = format
            let run = try SluiceExecutable.run([
                "generate", "--bootstrap", cluster.bootstrapServers, "--topic", topic, "--rate", "0", "--events", "\(events)", "--format", format,
            ])
            #expect(run.status == 0, "\(run.standardError)")
        }
        let schema = try String(contentsOf: repositoryRoot.appendingPathComponent("config/demo-events.avsc"), encoding: .utf8)
        let spec = FeatureSpec([
            .init(path: "amount"), .init(path: "features", length: 16), .init(path: "merchant_risk", defaultValue: 0),
            .init(path: "hour"), .init(path: "account_age_days"),
        ])
        let plan = try AvroPlan(writerSchema: schema, features: try FeatureDecoder(spec: spec))
        let json = try FeatureDecoder(spec: spec)
        let jsonRows = try consumeAll(from: cluster, topic: "json", expecting: events).map { try rowOrNil($0.value) { try json.decode($0, into: $1) } }
        let avroRows = try consumeAll(from: cluster, topic: "avro", expecting: events).map { try rowOrNil($0.value) { try plan.decode($0, from: 0, into: $1) } }
        #expect(avroRows.count == events && avroRows == jsonRows)
        #expect(avroRows.compactMap { $0 }.count == events, "no malformed event among the first 4998")
        let descriptors = try [UInt8](Data(contentsOf: repositoryRoot.appendingPathComponent("config/demo-events.desc")))
        let protobuf = try ProtobufPlan(descriptorSet: descriptors, message: "sluice.demo.Transaction", features: json)
        let protobufRows = try consumeAll(from: cluster, topic: "protobuf", expecting: events).map {
            try rowOrNil($0.value) { try protobuf.decode($0, from: 0, into: $1) }
        }
        #expect(protobufRows.count == events && protobufRows == jsonRows)
    }

    /// The row `decode` makes of `payload`, or `nil` when it fails.
    private func rowOrNil(_ payload: [UInt8], _ decode: (UnsafeRawBufferPointer, UnsafeMutableBufferPointer<Float>) throws -> Void) throws -> [Float]? {
        var row = [Float](repeating: 0, count: 20)
        do {
            try payload.withUnsafeBytes { bytes in try row.withUnsafeMutableBufferPointer { try decode(bytes, $0) } }
            return row
        } catch {
            return nil
        }
    }

    @Test func aMissingBootstrapIsAUsageError() throws {
        let run = try SluiceExecutable.run(["generate", "--rate", "10"])
        #expect(run.status == 2)
        #expect(run.standardError.hasPrefix("error: give --bootstrap or --config"), "\(run.standardError)")
    }

    /// Every message of `topic` as (key, value), reading until `expecting` have arrived.
    private func consumeAll(from cluster: MockKafkaCluster, topic: String, expecting: Int) throws -> [(key: [UInt8], value: [UInt8])] {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: "generate-test")
        configuration.isAutoCommitEnabled = false
        let consumer = try KafkaConsumer(configuration: configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try consumer.subscribe(to: [topic])
        let batch = KafkaMessageBatch(capacity: 1024)
        var messages: [(key: [UInt8], value: [UInt8])] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while messages.count < expecting, ContinuousClock.now < deadline {
            try consumer.poll(into: batch, timeout: .milliseconds(200)) { _ in }
            batch.forEach { message in messages.append((Array(message.key ?? UnsafeRawBufferPointer(start: nil, count: 0)), Array(message.value))) }
        }
        batch.release()
        try consumer.close()
        return messages
    }
}
