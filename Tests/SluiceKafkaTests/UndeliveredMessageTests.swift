import SluiceKafka
import Testing

@Suite(.serialized) struct UndeliveredMessageTests {
    @Test func aFailedReportCarriesItsMessageAndSendingItAgainDeliversItUnchangedToTheSamePartition() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("second-chance", partitions: 3)
        let producer = try makeProducer(cluster) { configuration in
            configuration.messageTimeoutMilliseconds = 500
            configuration.properties["reconnect.backoff.max.ms"] = "100"
        }
        let topic = try producer.topic(named: "second-chance")
        try producer.send("warm-up", to: topic, token: 99)
        try expectAllDelivered(producer)

        var reports: [KafkaDeliveryReport] = []
        try cluster.takeBrokerDown(1)
        try producer.send("with key", key: "k1", to: topic, partition: 2, headers: [("trace", "t1"), ("kind", "test")], token: 1)
        try producer.send("without key", to: topic, partition: 1, token: 2)
        try repeatUntil("both messages fail", { reports.count == 2 }) {
            try producer.pollDeliveryReports(timeout: .milliseconds(100)) { reports.append($0) }
        }
        try cluster.bringBrokerUp(1)

        #expect(
            reports.allSatisfy { !$0.isDelivered && $0.error?.code == .messageTimedOut && $0.error?.isRetriable == true },
            "\(reports.map { $0.error.map { "\($0)" } ?? "delivered" })"
        )
        let undelivered = reports.compactMap(\.undeliveredMessage).sorted { $0.token < $1.token }
        try #require(undelivered.count == 2)
        #expect(undelivered[0].topic == "second-chance" && undelivered[0].partition == 2)
        #expect(undelivered[0].key == Array("k1".utf8) && undelivered[0].value == Array("with key".utf8))
        #expect(undelivered[0].headers.map(\.name) == ["trace", "kind"])
        #expect(undelivered[0].headers.map(\.value) == [Array("t1".utf8), Array("test".utf8)])
        #expect(undelivered[1].key == nil && undelivered[1].headers.isEmpty && undelivered[1].partition == 1)

        // The producer reconnects on its own schedule: whatever fails again is sent again, as a
        // processor does, until both are delivered.
        var delivered: [KafkaDeliveryReport] = []
        var pending = undelivered
        try repeatUntil("both messages delivered when sent again", { pending.isEmpty }) {
            for message in pending {
                try repeatUntil("the producer takes the message again", { try producer.send(message) == .enqueued }) {
                    try producer.pollDeliveryReports(timeout: .milliseconds(10)) { _ in }
                }
            }
            var round: [KafkaDeliveryReport] = []
            try repeatUntil("reports for the messages sent again", { round.count == pending.count }) {
                try producer.pollDeliveryReports(timeout: .milliseconds(100)) { round.append($0) }
            }
            delivered += round.filter(\.isDelivered)
            pending = round.compactMap(\.undeliveredMessage)
        }
        #expect(delivered.map(\.token).sorted() == [1, 2])
        #expect(delivered.allSatisfy { $0.undeliveredMessage == nil })

        let consumer = try makeConsumer(cluster, group: "second-chance")
        try consumer.subscribe(to: ["second-chance"])
        let batch = KafkaMessageBatch(capacity: 16)
        var received: [ReceivedMessage] = []
        try repeatUntil("the messages sent again", { received.count >= 3 }) { received += try consumer.pollCopying(batch) }
        let again = received.filter { $0.value != "warm-up" }.sorted { $0.value < $1.value }
        #expect(again.map(\.partition) == [2, 1])
        #expect(again.first?.key == "k1" && again.first?.headers == ["trace=t1", "kind=test"])
        try consumer.close()
    }
}
