import SluiceKafka
import Testing

@Suite(.serialized) struct ConsumerGroupTests {
    @Test func twoMembersShareThePartitionsAndTheSurvivorTakesOverExactlyOnce() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("shared", partitions: 6)
        let first = try makeConsumer(cluster, group: "sharing")
        let second = try makeConsumer(cluster, group: "sharing")
        try first.subscribe(to: ["shared"])
        try second.subscribe(to: ["shared"])
        let firstBatch = KafkaMessageBatch(capacity: 50)
        let secondBatch = KafkaMessageBatch(capacity: 50)
        let firstOwned = OwnedPartitions()
        let secondOwned = OwnedPartitions()
        var consumed: [ReceivedMessage] = []
        var consumedBySecond = 0

        try repeatUntil("both members own partitions", {
            !firstOwned.partitions.isEmpty && !secondOwned.partitions.isEmpty
                && firstOwned.partitions.count + secondOwned.partitions.count == 6
        }) {
            consumed += try first.pollCopying(firstBatch, onRebalance: firstOwned.apply)
            consumed += try second.pollCopying(secondBatch, onRebalance: secondOwned.apply)
        }
        #expect(firstOwned.partitions.isDisjoint(with: secondOwned.partitions))
        #expect(try Set(first.assignment()) == firstOwned.partitions)

        let producer = try makeProducer(cluster)
        let topic = try producer.topic(named: "shared")
        for index in 0..<600 {
            try producer.send("event \(index)", key: "key \(index)", to: topic, token: UInt64(index))
        }
        try expectAllDelivered(producer)

        try repeatUntil("half the events, some by each member", { consumed.count >= 300 && consumedBySecond > 0 }) {
            consumed += try first.pollCopying(firstBatch, onRebalance: firstOwned.apply)
            let bySecond = try second.pollCopying(secondBatch, onRebalance: secondOwned.apply)
            consumedBySecond += bySecond.count
            consumed += bySecond
        }
        // Leaving commits what the second member stored; its partitions move to the first.
        try second.close(onRebalance: secondOwned.apply)
        #expect(secondOwned.partitions.isEmpty)
        try repeatUntil("every event", { consumed.count >= 600 && firstOwned.partitions.count == 6 }) {
            consumed += try first.pollCopying(firstBatch, onRebalance: firstOwned.apply)
        }
        try first.commit()

        #expect(consumed.count == 600)
        #expect(Set(consumed.map(\.value)) == Set((0..<600).map { "event \($0)" }))
        let partitions = (0..<6).map { KafkaTopicPartition(topic: "shared", partition: Int32($0)) }
        let committed = try first.committedOffsets(for: partitions, timeout: patience)
        for offset in committed {
            let watermarks = try first.watermarks(for: offset.topicPartition, timeout: patience)
            #expect(offset.offset == watermarks.high, "committed offset of \(offset.topicPartition)")
        }
        try first.close()
    }

    @Test(arguments: [KafkaConsumerConfiguration.AssignmentStrategy.eager, .cooperativeSticky])
    func aRestartedMemberResumesFromTheCommittedOffset(strategy: KafkaConsumerConfiguration.AssignmentStrategy) throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("restart", partitions: 1)
        let producer = try makeProducer(cluster)
        let topic = try producer.topic(named: "restart")
        for index in 0..<100 { try producer.send("event \(index)", to: topic, token: UInt64(index)) }
        try expectAllDelivered(producer)

        let partition = KafkaTopicPartition(topic: "restart", partition: 0)
        do {
            let consumer = try makeConsumer(cluster, group: "restart", strategy: strategy)
            try consumer.subscribe(to: ["restart"])
            let batch = KafkaMessageBatch(capacity: 7)
            var seen: [ReceivedMessage] = []
            try repeatUntil("the first 50 events", { seen.count >= 50 }) {
                seen += try consumer.pollCopying(batch, storeOffsets: false)
            }
            // Only the first 50 are "done"; the rest were polled but never finished.
            try consumer.storeOffsets([KafkaPartitionOffset(partition, offset: 50)])
            try consumer.commit()
            #expect(try consumer.committedOffsets(for: [partition], timeout: patience) == [KafkaPartitionOffset(partition, offset: 50)])
            try consumer.close()
        }

        let restarted = try makeConsumer(cluster, group: "restart", strategy: strategy)
        try restarted.subscribe(to: ["restart"])
        let batch = KafkaMessageBatch(capacity: 100)
        var resumed: [ReceivedMessage] = []
        try repeatUntil("the remaining 50 events", { resumed.count >= 50 }) {
            resumed += try restarted.pollCopying(batch)
        }
        #expect(resumed.map(\.offset) == Array(50..<100))
        #expect(try restarted.positions(for: [partition]) == [KafkaPartitionOffset(partition, offset: 100)])
        try restarted.close()
    }
}

/// The partitions a member owns, as its rebalance events say.
final class OwnedPartitions {
    private(set) var partitions: Set<KafkaTopicPartition> = []

    func apply(_ event: KafkaRebalanceEvent) {
        switch event {
        case .assigned(let added): partitions.formUnion(added)
        case .revoked(let removed), .lost(let removed): partitions.subtract(removed)
        }
    }
}
