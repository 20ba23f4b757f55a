import SluiceKafka
import Testing

/// `KafkaQueueWakeup` wakes a waiting thread each time an attached queue gets an item while empty,
/// for a producer's delivery reports and for a consumer's messages.
@Suite(.serialized) struct QueueWakeupTests {
    @Test func timesOutWhenNothingIsSignalled() throws {
        let wakeup = try KafkaQueueWakeup()
        #expect(!wakeup.wait(timeout: .microseconds(300)))
    }

    @Test func wakesForEveryDeliveryReportAfterTheQueueWasDrained() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("wakeup.reports", partitions: 1)
        let producer = try makeProducer(cluster)
        let wakeup = try KafkaQueueWakeup()
        producer.wake(wakeup)
        let topic = try producer.topic(named: "wakeup.reports")
        for round in 0..<3 {
            wakeup.reset()
            try producer.pollDeliveryReports { _ in }
            try producer.send("report \(round)", key: nil, to: topic, token: UInt64(round))
            var delivered: [UInt64] = []
            try repeatUntil("the report of round \(round)", { delivered.contains(UInt64(round)) }) {
                #expect(wakeup.wait(timeout: patience), "woken in round \(round)")
                wakeup.reset()
                try producer.pollDeliveryReports { delivered.append($0.token) }
            }
        }
    }

    @Test func wakesForEveryMessageAfterTheQueueWasDrained() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("wakeup.messages", partitions: 1)
        let producer = try makeProducer(cluster)
        let topic = try producer.topic(named: "wakeup.messages")
        let consumer = try makeConsumer(cluster, group: "wakeup") { $0.properties["fetch.wait.max.ms"] = "10" }
        let wakeup = try KafkaQueueWakeup()
        consumer.wake(wakeup)
        try consumer.subscribe(to: ["wakeup.messages"])
        let batch = KafkaMessageBatch(capacity: 16)
        var received: [String] = []
        for round in 0..<3 {
            try producer.send("message \(round)", key: nil, to: topic, token: UInt64(round))
            try expectAllDelivered(producer)
            try repeatUntil("message \(round)", { received.contains("message \(round)") }) {
                wakeup.reset()
                let taken = try consumer.poll(into: batch, timeout: .zero, onRebalance: { _ in })
                batch.forEach { received.append(ReceivedMessage($0).value) }
                // The queue is empty now (fewer than a full batch taken): the next message or
                // group event must wake the wait.
                if taken < batch.capacity, !received.contains("message \(round)") {
                    #expect(wakeup.wait(timeout: patience), "woken in round \(round)")
                }
            }
        }
        #expect(received == ["message 0", "message 1", "message 2"])
        try consumer.close()
    }
}
