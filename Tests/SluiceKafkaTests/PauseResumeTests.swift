import SluiceKafka
import Testing

@Suite(.serialized) struct PauseResumeTests {
    @Test func pausingStopsExactlyThePausedPartitionsAndResumeContinuesWhereItStopped() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("pausable", partitions: 3)
        let producer = try makeProducer(cluster)
        let topic = try producer.topic(named: "pausable")
        func produceRound(_ round: Int) throws {
            // Paused partition 0 first, so its messages are always in the broker before the ones
            // whose arrival proves the consumer fetched after them.
            for partition in Int32(0)..<3 {
                for index in 0..<10 {
                    try producer.send("r\(round) p\(partition) #\(index)", to: topic, partition: partition, token: 0)
                }
                try expectAllDelivered(producer)
            }
        }
        let consumer = try makeConsumer(cluster, group: "pausing")
        try consumer.subscribe(to: ["pausable"])
        let batch = KafkaMessageBatch(capacity: 100)
        var received: [ReceivedMessage] = []
        try produceRound(1)
        try repeatUntil("round 1", { received.count >= 30 }) { received += try consumer.pollCopying(batch) }
        #expect(received.count == 30)

        let paused = KafkaTopicPartition(topic: "pausable", partition: 0)
        try consumer.pause([paused])
        try produceRound(2)
        received = []
        try repeatUntil("round 2 of the running partitions", { received.count >= 20 }) {
            received += try consumer.pollCopying(batch)
        }
        #expect(received.count == 20)
        #expect(received.allSatisfy { $0.partition != 0 })

        try consumer.resume([paused])
        received = []
        try repeatUntil("round 2 of the resumed partition", { received.count >= 10 }) {
            received += try consumer.pollCopying(batch)
        }
        #expect(received.map(\.partition) == Array(repeating: 0, count: 10))
        #expect(received.map(\.offset) == Array(10..<20))
        #expect(received.first?.value == "r2 p0 #0")
        try consumer.close()
    }
}
