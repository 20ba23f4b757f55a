import SluiceKafka
import Testing

@Suite(.serialized) struct BrokerFailureTests {
    @Test func aBrokerGoingDownAndComingBackMidStreamLosesAndDuplicatesNothing() throws {
        let cluster = try MockKafkaCluster(brokers: 3)
        try cluster.createTopic("resilient", partitions: 6, replicationFactor: 3)
        let producer = try makeProducer(cluster)
        let topic = try producer.topic(named: "resilient")
        let consumer = try makeConsumer(cluster, group: "resilient")
        try consumer.subscribe(to: ["resilient"])
        let batch = KafkaMessageBatch(capacity: 100)
        var received: [ReceivedMessage] = []
        var failures: [KafkaError] = []
        let collect = { (report: KafkaDeliveryReport) in
            if let error = report.error { failures.append(error) }
        }

        for index in 0..<1_500 {
            if index == 500 { try cluster.takeBrokerDown(2) }
            if index == 1_000 {
                // Keep the stream going while the broker is down, until the consumer has seen
                // traffic from the surviving brokers.
                try repeatUntil("progress while broker 2 is down", { received.count >= 200 }) {
                    received += try consumer.pollCopying(batch)
                }
                try cluster.bringBrokerUp(2)
            }
            try producer.send("event \(index)", key: "key \(index)", to: topic, token: UInt64(index), onReport: collect)
            if index.isMultiple(of: 100) {
                received += try consumer.pollCopying(batch)
                try producer.pollDeliveryReports(collect)
            }
        }
        #expect(try producer.flush(timeout: patience, collect))
        try repeatUntil("every event", { received.count >= 1_500 }) {
            received += try consumer.pollCopying(batch)
        }
        #expect(failures.isEmpty)
        #expect(received.count == 1_500)
        #expect(Set(received.map(\.value)) == Set((0..<1_500).map { "event \($0)" }))
        try consumer.close()
    }
}
