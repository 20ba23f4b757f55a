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
