import Foundation
import SluiceKafka
import SluiceRandom
import Testing
@testable import SluicePipeline

/// The real processor loop driven over an in-memory source and sink: every event ends as a
/// prediction and an audit record or a dead letter, each partition commits exactly its end, a
/// revoke finishes its partition's work first, a full producer queue and resent outputs lose
/// nothing. No broker, so each run is quick and the same every time.
@Suite struct ProcessorInMemoryTests {
    static let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

    @Test func everyEventEndsAsAPredictionAndAnAuditRecordOrADeadLetterAndEachPartitionCommitsItsEnd() async throws {
        let broker = makeInMemoryBroker()
        var random = SplitMix64(seed: 5)
        var malformed = 0
        var traced: Set<String> = []
        for index in 0..<60 {
            let partition = Int32(random.next() % 3)
            var record = InMemoryBroker.Record(key: Array("card-\(index % 7)".utf8), value: Array(fraudEvent(index).utf8))
            if index % 9 == 4 {
                record.value = Array(#"{"amount":"oops"}"#.utf8)
                malformed += 1
            } else if index % 13 == 7 {
                record.value.removeLast()
                malformed += 1
            } else if index % 5 == 0 {
                record.headers = [("traceparent", Array(Self.traceparent.utf8))]
            }
            let offset = broker.append(record, to: "events", partition: partition)
            if record.header("traceparent") != nil { traced.insert("events-\(partition)-\(offset)") }
        }
        let configuration = try processorConfiguration(bootstrap: "in-memory:9092", group: "g", maxSize: 4, maxInFlight: 8, resumeAt: 4)
        // One acknowledgement per poll: outputs pile up until back-pressure holds the input.
        let sink = InMemorySink(broker: broker, reportsPerPoll: 1)
        let statistics = try await runUntilSettled(configuration, broker: broker, sink: sink) { $0.eventsIn == 60 }

        let predictions = broker.records(of: "predictions")
        let deadLetters = broker.records(of: "events.dlq")
        #expect(predictions.count + deadLetters.count == 60)
        #expect(broker.records(of: "audit").count == predictions.count)
        #expect(deadLetters.count == malformed)
        #expect(Set(deadLetters.compactMap { $0.header("sluice-error-class") }) == ["wrong_type", "invalid_json"])
        let ids = predictions.compactMap { $0.header("sluice-prediction-id") }
        #expect(Set(ids).count == predictions.count)
        #expect(predictions.allSatisfy { $0.header("sluice-model") == "fraud:1" })
        #expect(Set(predictions.filter { $0.header("traceparent") == Self.traceparent }.compactMap { $0.header("sluice-prediction-id") }) == traced)
        #expect(broker.committed == broker.ends(of: "events"))
        #expect(statistics.holds > 0, "the in-flight limit was reached and the stream still completed")
    }

    @Test func aRevokedPartitionHasItsConsumedEventsFinishedAndCommittedBeforeItIsReleased() async throws {
        let broker = makeInMemoryBroker()
        for index in 0..<120 {
            broker.append(InMemoryBroker.Record(key: nil, value: Array(fraudEvent(index).utf8)), to: "events", partition: Int32(index % 3))
        }
        let revoked = KafkaTopicPartition(topic: "events", partition: 0)
        let source = InMemorySource(broker: broker)
        source.revoke([revoked], atPoll: 5)
        let sink = InMemorySink(broker: broker, reportsPerPoll: 2)
        let configuration = try processorConfiguration(bootstrap: "in-memory:9092", group: "g", maxSize: 4)
        _ = try await runUntilSettled(configuration, broker: broker, source: source, sink: sink) { statistics in
            guard let position = source.released[revoked]?.position else { return false }
            return statistics.eventsIn == Int(position) + 80
        }

        let release = try #require(source.released[revoked])
        #expect(release.position > 0 && release.position < 40, "the revoke came mid-stream")
        #expect(release.committed == release.position, "everything consumed from the partition was committed before it was released")
        let predicted = Set(broker.records(of: "predictions").compactMap { $0.header("sluice-prediction-id") })
        #expect(predicted.filter { $0.hasPrefix("events-0-") }.count == Int(release.position))
        var ends = broker.ends(of: "events")
        ends[revoked] = release.position
        #expect(broker.committed == ends)
    }

    @Test func aFullProducerQueueIsServedUntilItTakesEveryRecord() async throws {
        let broker = makeInMemoryBroker()
        for index in 0..<30 {
            broker.append(InMemoryBroker.Record(key: nil, value: Array(fraudEvent(index).utf8)), to: "events", partition: 0)
        }
        let sink = InMemorySink(broker: broker, queueCapacity: 3)
        let configuration = try processorConfiguration(bootstrap: "in-memory:9092", group: "g", maxSize: 8)
        let statistics = try await runUntilSettled(configuration, broker: broker, sink: sink) { $0.eventsIn == 30 }

        #expect(sink.queueFullAnswers > 0)
        #expect(statistics.producerQueueFullWaits > 0)
        #expect(broker.records(of: "predictions").count == 30 && broker.records(of: "audit").count == 30)
        #expect(broker.committed == broker.ends(of: "events"))
    }

    @Test func anOutputTheSinkFailsRetriablyIsSentAgainOnceAndItsOffsetCommitsOnlyThen() async throws {
        let broker = makeInMemoryBroker()
        for index in 0..<20 {
            broker.append(InMemoryBroker.Record(key: nil, value: Array(fraudEvent(index).utf8)), to: "events", partition: Int32(index % 3))
        }
        let sink = InMemorySink(broker: broker) { topic, attempt, _ in topic == "audit" && attempt == 1 ? .messageTimedOut : nil }
        let configuration = try processorConfiguration(bootstrap: "in-memory:9092", group: "g", maxSize: 4)
        let retry = DeliveryRetryPolicy(maxResends: 1, initialBackoff: .milliseconds(1))
        let statistics = try await runUntilSettled(configuration, broker: broker, sink: sink, retry: retry) { $0.eventsIn == 20 }

        #expect(statistics.deliveryRetries == 20)
        let audited = broker.records(of: "audit").compactMap { try? JSONSerialization.jsonObject(with: Data($0.value)) as? [String: Any] }
        #expect(Set(audited.compactMap { $0["prediction_id"] as? String }).count == 20, "every audit record, each once")
        #expect(broker.committed == broker.ends(of: "events"))
    }

    /// The in-memory group commits only when told: the background commit never runs, so any
    /// commit before the stop is the loop's own, after the assignment.
    @Test func theFirstAcknowledgedOffsetsAfterAnAssignmentAreCommittedAtOnce() async throws {
        let broker = makeInMemoryBroker()
        for index in 0..<30 {
            broker.append(InMemoryBroker.Record(key: nil, value: Array(fraudEvent(index).utf8)), to: "events", partition: Int32(index % 3))
        }
        let source = InMemorySource(broker: broker)
        let configuration = try processorConfiguration(bootstrap: "in-memory:9092", group: "g", maxSize: 4)
        let processor = try Processor(
            configuration: configuration, model: fraudModel, options: .init(), logger: silentLogger,
            source: { source }, sink: { InMemorySink(broker: broker) }
        )
        let running = Task { try await processor.run() }
        defer { processor.stop() }
        try await waitUntil("an offset is committed while the processor runs") { !broker.committed.isEmpty }
        processor.stop()
        try await running.value
        let committed = broker.committed.values.reduce(0, +)
        #expect(Int64(broker.records(of: "predictions").count) == committed, "the stop committed exactly what was scored")
    }
}
