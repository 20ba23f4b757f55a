import SluiceKafka
import Synchronization
import Testing
@testable import SluicePipeline

/// Exactly-once delivery through the real loop over an in-memory broker that models transactions
/// as Kafka keeps them, which librdkafka's mock does not: what read_committed consumers see.
@Suite struct ProcessorExactlyOnceInMemoryTests {
    @Test func anInstanceKilledAtItsCommitAndANewOneInTheGroupLeaveEveryInputExactlyOnceInTheCommittedOutputs() async throws {
        let (broker, malformed) = makeBroker()
        let configuration = try exactlyOnceConfiguration()

        let killed = InMemoryTransactionalSink(broker: broker, refuseFirstCommit: KafkaTransactionFailure.fatal)
        let first = try Processor(
            configuration: configuration, model: fraudModel, options: .init(), logger: silentLogger, source: { InMemorySource(broker: broker) }, sink: { killed }
        )
        await #expect(throws: KafkaTransactionFailure.self) { try await first.run() }
        #expect(first.statistics.eventsIn > 0)
        #expect(broker.records(of: "predictions").isEmpty && broker.committed.isEmpty, "nothing of the killed instance is visible")

        let sink = InMemoryTransactionalSink(broker: broker)
        _ = try await runUntilTheInputIsCommitted(broker, sink: sink)

        expectEveryInputOnce(broker, malformed: malformed)
    }

    @Test func aRefusedCommitIsAbortedAndRedoneAndNothingOfItIsVisible() async throws {
        let (broker, malformed) = makeBroker()
        let sink = InMemoryTransactionalSink(broker: broker, refuseFirstCommit: KafkaTransactionFailure.abortable)
        let statistics = try await runUntilTheInputIsCommitted(broker, sink: sink)

        #expect(statistics.transactionsAborted == 1 && statistics.eventsIn > 90, "the aborted span was taken again")
        expectEveryInputOnce(broker, malformed: malformed)
    }

    @Test func anOutputRefusedForGoodInsideATransactionAbortsItAndItsEventIsDeadLetteredOnTheRedo() async throws {
        let (broker, malformed) = makeBroker()
        let poison = "events-1-7"
        let sink = InMemoryTransactionalSink(broker: broker, refuse: { topic, _, record in
            topic == "predictions" && record.header("sluice-prediction-id") == poison ? .messageTooLarge : nil
        })
        let statistics = try await runUntilTheInputIsCommitted(broker, sink: sink)

        #expect(statistics.transactionsAborted == 1, "one abort, not one per redo")
        expectEveryInputOnce(broker, malformed: malformed.union([poison]))
        let letter = broker.records(of: "events.dlq").first { $0.header("sluice-source-offset") == "7" && $0.header("sluice-source-partition") == "1" }
        #expect(letter?.header("sluice-error-class") == "output_rejected")
        #expect(letter?.value == Array(fraudEvent(22).utf8), "the event itself, as any dead letter carries it")
    }

    @Test func anOutputThatTimedOutInsideATransactionAbortsItAndTheRedoDeliversIt() async throws {
        let (broker, malformed) = makeBroker()
        let timedOut = Mutex(false)
        let sink = InMemoryTransactionalSink(broker: broker, refuse: { topic, _, record in
            guard topic == "audit", record.value.count > 0 else { return nil }
            return timedOut.withLock { done in
                defer { done = true }
                return done ? nil : .messageTimedOut
            }
        })
        let statistics = try await runUntilTheInputIsCommitted(broker, sink: sink)

        #expect(statistics.transactionsAborted == 1)
        expectEveryInputOnce(broker, malformed: malformed)
    }

    /// Runs an exactly-once processor over `broker`'s events and `sink` until the group has
    /// committed the whole input, then stops it; returns its final statistics.
    private func runUntilTheInputIsCommitted(_ broker: InMemoryBroker, sink: InMemoryTransactionalSink) async throws -> ProcessorStatistics {
        let processor = try Processor(
            configuration: exactlyOnceConfiguration(), model: fraudModel, options: .init(), logger: silentLogger,
            source: { InMemorySource(broker: broker) }, sink: { sink }
        )
        let running = Task { try await processor.run() }
        try await waitUntil("the input is committed to its end") { broker.committed == broker.ends(of: "events") }
        processor.stop()
        try await running.value
        return processor.statistics
    }

    /// 90 events over 3 partitions, every 11th malformed; returns the malformed ones' ids.
    private func makeBroker() -> (InMemoryBroker, Set<String>) {
        let broker = InMemoryBroker()
        broker.createTopic("events", partitions: 3)
        for topic in ["predictions", "audit", "events.dlq"] { broker.createTopic(topic, partitions: 1) }
        var malformed = Set<String>()
        for index in 0..<90 {
            var value = Array(fraudEvent(index).utf8)
            if index % 11 == 4 { value.removeLast() }
            let offset = broker.append(InMemoryBroker.Record(key: nil, value: value), to: "events", partition: Int32(index % 3))
            if index % 11 == 4 { malformed.insert("events-\(index % 3)-\(offset)") }
        }
        return (broker, malformed)
    }

    private func exactlyOnceConfiguration() throws -> SluiceConfiguration {
        var configuration = try processorConfiguration(bootstrap: "in-memory:9092", group: "g", maxSize: 4)
        configuration.delivery = .exactlyOnce
        return configuration
    }

    /// Each input offset has exactly one prediction and audit record, or one dead letter, in the
    /// committed outputs.
    private func expectEveryInputOnce(_ broker: InMemoryBroker, malformed: Set<String>, sourceLocation: SourceLocation = #_sourceLocation) {
        let predictions = broker.records(of: "predictions").compactMap { $0.header("sluice-prediction-id") }
        let deadLetters = broker.records(of: "events.dlq").compactMap { letter in
            letter.header("sluice-source-partition").flatMap { partition in letter.header("sluice-source-offset").map { "events-\(partition)-\($0)" } }
        }
        #expect(predictions.count + deadLetters.count == 90, "one record per input offset", sourceLocation: sourceLocation)
        #expect(Set(predictions).count == predictions.count && Set(deadLetters) == malformed, sourceLocation: sourceLocation)
        #expect(broker.records(of: "audit").count == predictions.count, sourceLocation: sourceLocation)
    }
}
