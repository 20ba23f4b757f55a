import SluiceKafka
import Testing

@Suite(.serialized) struct ProducerConsumerRoundTripTests {
    @Test func messagesArriveWithTheirKeysValuesAndHeaders() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("round-trip", partitions: 3)
        let producer = try makeProducer(cluster)
        let topic = try producer.topic(named: "round-trip")
        var sent: Set<ReceivedMessage> = []
        for index in 0..<30 {
            let partition = Int32(index % 3)
            try producer.send(
                "value-\(index)", key: index.isMultiple(of: 5) ? nil : "key-\(index)", to: topic,
                partition: partition, headers: [("trace", "t\(index)"), ("kind", "test")], token: UInt64(index)
            )
            sent.insert(
                ReceivedMessage(
                    topic: "round-trip", partition: partition, offset: Int64(index / 3),
                    key: index.isMultiple(of: 5) ? nil : "key-\(index)", value: "value-\(index)",
                    headers: ["trace=t\(index)", "kind=test"]
                )
            )
        }
        var acknowledged: [UInt64] = []
        var failures: [KafkaError] = []
        let flushed = try producer.flush(timeout: patience) { report in
            acknowledged.append(report.token)
            if let error = report.error { failures.append(error) }
        }
        #expect(flushed)
        #expect(failures.isEmpty)
        #expect(acknowledged.sorted() == Array(0..<30))

        let consumer = try makeConsumer(cluster, group: "round-trip")
        try consumer.subscribe(to: ["round-trip"])
        let batch = KafkaMessageBatch(capacity: 64)
        var received: Set<ReceivedMessage> = []
        try repeatUntil("all 30 messages", { received.count >= 30 }) {
            received.formUnion(try consumer.pollCopying(batch))
        }
        #expect(received == sent)
        try consumer.close()
    }

    @Test func aGivenTimestampIsTheRecordsOwnWithOrWithoutHeaders() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("stamped", partitions: 1)
        let producer = try makeProducer(cluster)
        let topic = try producer.topic(named: "stamped")
        let header: [UInt8] = Array("h".utf8)
        for (token, timestamp) in [(UInt64(0), Int64(1_700_000_000_123)), (1, 1_600_000_000_456)] {
            let outcome = try header.withUnsafeBytes { header in
                try producer.send(
                    to: topic, key: nil, value: header, headers: token == 0 ? [] : [KafkaHeader(name: "h", value: header)],
                    timestampMilliseconds: timestamp, token: token
                )
            }
            #expect(outcome == .enqueued)
        }
        var failures: [KafkaError] = []
        let flushed = try producer.flush(timeout: patience) { report in
            if let error = report.error { failures.append(error) }
        }
        #expect(flushed && failures.isEmpty)

        let consumer = try makeConsumer(cluster, group: "stamped")
        try consumer.subscribe(to: ["stamped"])
        let batch = KafkaMessageBatch(capacity: 8)
        var timestamps: [Int64] = []
        try repeatUntil("both messages", { timestamps.count >= 2 }) {
            try consumer.poll(into: batch, timeout: .milliseconds(50), onRebalance: { _ in })
            batch.forEach { timestamps.append($0.timestampMilliseconds ?? -1) }
        }
        #expect(timestamps == [1_700_000_000_123, 1_600_000_000_456])
        try consumer.close()
    }

    /// An input's headers are copied onto its outputs, so an input with ten thousand headers must
    /// not be able to exhaust the stack of the thread that sends them.
    @Test func tenThousandHeadersAreSentInOrder() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("many-headers", partitions: 1)
        let producer = try makeProducer(cluster)
        let topic = try producer.topic(named: "many-headers")
        let names = (0..<10_000).map { "h\($0)" }
        let value: [UInt8] = Array("v".utf8)
        let outcome = try value.withUnsafeBytes { value in
            try producer.send(
                to: topic, key: nil, value: value, headers: names.map { KafkaHeader(name: $0, value: value) }, token: 0
            )
        }
        #expect(outcome == .enqueued)
        var failures: [KafkaError] = []
        let flushed = try producer.flush(timeout: patience) { report in
            if let error = report.error { failures.append(error) }
        }
        #expect(flushed && failures.isEmpty)

        let consumer = try makeConsumer(cluster, group: "many-headers")
        try consumer.subscribe(to: ["many-headers"])
        let batch = KafkaMessageBatch(capacity: 8)
        var received: [ReceivedMessage] = []
        try repeatUntil("the message", { !received.isEmpty }) {
            received.append(contentsOf: try consumer.pollCopying(batch))
        }
        #expect(received.first?.headers == names.map { "\($0)=v" })
        try consumer.close()
    }
}

extension ReceivedMessage {
    init(topic: String, partition: Int32, offset: Int64, key: String?, value: String, headers: [String]) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
    }
}
