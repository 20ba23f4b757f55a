import Synchronization
import Testing
@testable import SluiceKafka

@Suite struct OffsetResetTests {
    @Test func librdkafkasResetLineGivesTheSkippedRange() {
        let line = "[thrd:main]: bench.flood [59]: offset reset (at offset 99654, broker 1) to cached BEGINNING offset 103712: "
            + "fetch failed due to requested offset not available on the broker: Broker: Offset out of range"
        let reset = KafkaOffsetReset(logLine: line)
        #expect(
            reset
                == KafkaOffsetReset(
                    topic: "bench.flood", partition: 59, requestedOffset: 99654, resetOffset: 103712,
                    reason: "fetch failed due to requested offset not available on the broker: Broker: Offset out of range"
                )
        )
        #expect(reset?.skippedEvents == 4058)
    }

    @Test func aResetToTheEndNamesNoOffsetAndCountsNothing() {
        let reset = KafkaOffsetReset(logLine: "[thrd:main]: events [3]: offset reset (at offset 10, broker 1) to END: no longer available")
        #expect(reset?.topic == "events")
        #expect(reset?.partition == 3)
        #expect(reset?.requestedOffset == 10)
        #expect(reset?.resetOffset == nil)
        #expect(reset?.skippedEvents == nil)
    }

    @Test func otherLogLinesAreNotResets() {
        #expect(KafkaOffsetReset(logLine: "127.0.0.1:9092/1: Fetch topic events [5] at offset 3125 (v4)") == nil)
        #expect(KafkaOffsetReset(logLine: "events: offset reset (at offset 1, broker 1) to END: x") == nil)
    }

    /// The embedded broker keeps about 5 MB per partition: a member whose committed offset has
    /// been deleted since is reset past it, and is told how far.
    @Test func aMemberWhoseCommittedOffsetWasDeletedIsToldWhatItSkipped() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("retained", partitions: 1)
        let producer = try makeProducer(cluster)
        let topic = try producer.topic(named: "retained")
        let partition = KafkaTopicPartition(topic: "retained", partition: 0)
        do {
            try producer.send("first", to: topic, token: 0)
            try expectAllDelivered(producer)
            let consumer = try makeConsumer(cluster, group: "retained")
            try consumer.subscribe(to: ["retained"])
            let batch = KafkaMessageBatch(capacity: 1)
            var seen: [ReceivedMessage] = []
            try repeatUntil("the first event", { !seen.isEmpty }) { seen += try consumer.pollCopying(batch) }
            try consumer.commit()
            try consumer.close()
        }
        let padding = String(repeating: "x", count: 20_000)
        for index in 1...600 { try producer.send("\(index) \(padding)", to: topic, token: UInt64(index)) }
        try expectAllDelivered(producer)

        let resets = Mutex<[KafkaOffsetReset]>([])
        let consumer = try makeConsumer(cluster, group: "retained") { configuration in
            configuration.offsetResetHandler = { reset in resets.withLock { $0.append(reset) } }
        }
        try consumer.subscribe(to: ["retained"])
        let batch = KafkaMessageBatch(capacity: 100)
        var received: [ReceivedMessage] = []
        try repeatUntil("events after the reset", { !received.isEmpty }) { received += try consumer.pollCopying(batch) }
        let reported = resets.withLock { $0 }
        // A reset to a log start cached from an older fetch can be followed by another.
        try #require(!reported.isEmpty)
        #expect(reported.allSatisfy { $0.topic == "retained" && $0.partition == 0 }, "\(reported)")
        #expect(reported[0].requestedOffset == 1)
        let resumedAt = received[0].offset
        #expect(reported.last?.resetOffset == resumedAt)
        #expect(reported.compactMap(\.skippedEvents).reduce(0, +) == resumedAt - 1)
        #expect(resumedAt > 1)
        #expect(resumedAt >= (try consumer.watermarks(for: partition, timeout: patience).low))
        try consumer.close()
    }
}
