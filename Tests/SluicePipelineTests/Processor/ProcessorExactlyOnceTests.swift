import Foundation
import SluiceKafka
import Testing
@testable import SluicePipeline

extension ProcessorTests {
    /// `delivery: exactly_once` on the embedded cluster; nested in ``ProcessorTests`` so that it
    /// runs serialized with the other processor tests.
    ///
    /// librdkafka 2.0's mock serves the transaction protocol (producer ids, injected errors) but
    /// keeps no transaction state: aborted records stay visible to read_committed consumers,
    /// offsets committed in a transaction are not stored, and a second producer with the same
    /// transactional id does not fence the first. So these tests prove what Sluice does (what it
    /// writes, commits, aborts and redoes, and that a fenced instance stops), with the
    /// coordinator's refusals injected; that read_committed consumers then see each record once is
    /// the brokers' part.
    @Suite struct ExactlyOnce {
        func exactlyOnceConfiguration(_ cluster: MockKafkaCluster, group: String, transactionMilliseconds: Int = 20) throws -> SluiceConfiguration {
            var configuration = try processorConfiguration(cluster, group: group, maxSize: 16)
            configuration.delivery = .exactlyOnce
            configuration.transactionMilliseconds = transactionMilliseconds
            return configuration
        }

        /// The prediction id of each dead letter, from its source headers.
        func deadLetterIDs(_ reader: OutputReader) -> [String] {
            reader["events.dlq"].compactMap { letter in
                guard let partition = letter.header(RecordHeaderName.sourcePartition), let offset = letter.header(RecordHeaderName.sourceOffset)
                else { return nil }
                return "events-\(partition)-\(offset)"
            }
        }

        @Test func everyInputOffsetGetsExactlyOneRecordInEachOutputThroughCommittedTransactions() async throws {
            let cluster = try makeProcessorCluster()
            var payloads = (0..<600).map(fraudEvent)
            for index in stride(from: 7, to: 600, by: 50) { payloads[index] = #"{"amount":"not a number"}"# }
            let inputs = try produceEvents(payloads, to: cluster)
            let malformed = Set(stride(from: 7, to: 600, by: 50).map { inputs[$0].predictionID })
            let scored = Set(inputs.map(\.predictionID)).subtracting(malformed)
            let processor = try Processor(configuration: exactlyOnceConfiguration(cluster, group: "exactly-once"), model: fraudModel, logger: silentLogger)
            let running = Task { try await processor.run() }
            // librdkafka consumers read with isolation.level=read_committed unless told otherwise.
            let reader = try OutputReader(cluster)
            try await reader.read(until: "every input's records") {
                $0.count("predictions") >= scored.count && $0.count("audit") >= scored.count && $0.count("events.dlq") >= malformed.count
            }
            processor.stop()
            try await running.value

            let predictions = reader.predictionIDs("predictions")
            let audits = reader.predictionIDs("audit")
            let deadLetters = deadLetterIDs(reader)
            #expect(predictions.count == scored.count && Set(predictions) == scored)
            #expect(audits.count == scored.count && Set(audits) == scored)
            #expect(deadLetters.count == malformed.count && Set(deadLetters) == malformed)
            let statistics = processor.statistics
            #expect(statistics.transactionsCommitted >= 1 && statistics.transactionsAborted == 0)
            #expect(statistics.inFlight == 0 && statistics.storedOffsets == 0, "offsets go into transactions, never to the consumer's store")
        }

        @Test func aCommitTheCoordinatorRefusesIsAbortedAndItsInputRedone() async throws {
            let cluster = try makeProcessorCluster()
            let inputs = try produceEvents((0..<300).map(fraudEvent), to: cluster)
            // A refusal librdkafka handles as dooming the transaction, not the producer.
            cluster.pushRequestErrors([.invalidRecord], for: .endTransaction)
            let processor = try Processor(configuration: exactlyOnceConfiguration(cluster, group: "aborted"), model: fraudModel, logger: silentLogger)
            let running = Task { try await processor.run() }
            try await waitUntil("a transaction was aborted and a later one committed") {
                processor.statistics.transactionsAborted == 1 && processor.statistics.transactionsCommitted >= 1
            }
            let reader = try OutputReader(cluster)
            try await reader.readPredictionsAndAudits(of: inputs)
            try await waitUntil("everything is taken in and acknowledged") {
                processor.statistics.eventsIn > inputs.count && processor.statistics.inFlight == 0
            }
            processor.stop()
            try await running.value

            let statistics = processor.statistics
            #expect(statistics.transactionsAborted == 1)
            // The aborted span was taken again from where it began.
            #expect(statistics.eventsIn > inputs.count)
        }

        @Test func aRevokeCommitsTheOpenTransactionBeforeThePartitionsAreReleased() async throws {
            let cluster = try makeProcessorCluster(inputPartitions: 4)
            let inputs = try produceEvents((0..<400).map(fraudEvent), to: cluster, partitions: 4)
            // Never due by time: only the revoke (or the stop) ends the first instance's transaction.
            let configuration = try exactlyOnceConfiguration(cluster, group: "handover", transactionMilliseconds: 60_000)
            let first = try Processor(configuration: configuration, model: fraudModel, options: .init(instance: "first"), logger: silentLogger)
            let began = ContinuousClock.now
            let firstRun = Task { try await first.run() }
            try await waitUntil("the first instance holds every input in its open transaction") {
                first.statistics.acknowledgedOutputs == 2 * inputs.count
            }
            #expect(first.statistics.transactionsCommitted == 0)

            let second = try Processor(configuration: configuration, model: fraudModel, options: .init(instance: "second"), logger: silentLogger)
            let secondRun = Task { try await second.run() }
            try await waitUntil("the second instance is assigned some partitions") { second.statistics.assignedPartitions > 0 }
            // Statistics are published every 50 ms: wait for the snapshot, then check it came from
            // the revoke, long before the transaction interval.
            try await waitUntil("the first instance committed") { first.statistics.transactionsCommitted == 1 }
            #expect(ContinuousClock.now - began < .seconds(30), "the revoke, not the interval, committed the span")
            #expect(first.statistics.transactionsAborted == 0)
            first.stop()
            second.stop()
            try await firstRun.value
            try await secondRun.value
        }

        @Test func aFencedInstanceStopsWithoutCommittingAndTheNextOwnerDoesAllTheWork() async throws {
            let cluster = try makeProcessorCluster()
            let inputs = try produceEvents((0..<300).map(fraudEvent), to: cluster)
            let configuration = try exactlyOnceConfiguration(cluster, group: "zombies")
            // The mock does not fence by transactional id itself: this is the coordinator's answer
            // to a zombie once a newer instance registered the same id.
            cluster.pushRequestErrors([.invalidProducerEpoch], for: .endTransaction)
            let zombie = try Processor(configuration: configuration, model: fraudModel, logger: silentLogger)
            await #expect {
                try await zombie.run()
            } throws: { error in
                guard case KafkaTransactionFailure.fatal = error else { return false }
                return true
            }
            #expect(zombie.statistics.transactionsCommitted == 0 && zombie.statistics.eventsIn > 0)

            let successor = try Processor(configuration: configuration, model: fraudModel, logger: silentLogger)
            let successorRun = Task { try await successor.run() }
            let reader = try OutputReader(cluster)
            try await reader.readPredictionsAndAudits(of: inputs)
            try await waitUntil("the successor committed its work") {
                successor.statistics.predictions >= inputs.count && successor.statistics.transactionsCommitted >= 1
            }
            successor.stop()
            try await successorRun.value
            #expect(successor.statistics.predictions == inputs.count, "the zombie's span is redone in full, once")
        }
        /// librdkafka's own transaction state after a refused Produce request: the events whose
        /// outputs it held end as dead letters, and the stream goes on.
        @Test func outputsRefusedForGoodInsideATransactionAreDeadLetteredOnTheRedoAndTheStreamGoesOn() async throws {
            let cluster = try makeProcessorCluster()
            let inputs = try produceEvents((0..<300).map(fraudEvent), to: cluster)
            cluster.pushRequestErrors([.invalidRecord], for: .produce)
            let processor = try Processor(configuration: exactlyOnceConfiguration(cluster, group: "refused"), model: fraudModel, logger: silentLogger)
            let running = Task { try await processor.run() }
            let reader = try OutputReader(cluster)
            try await reader.read(until: "a prediction or a dead letter for every input") { reader in
                Set(reader.predictionIDs("predictions")).union(self.deadLetterIDs(reader)).isSuperset(of: inputs.map(\.predictionID))
                    && !reader["events.dlq"].isEmpty
            }
            try await waitUntil("everything is taken in and acknowledged") {
                processor.statistics.inFlight == 0 && processor.statistics.transactionsCommitted >= 1
            }
            processor.stop()
            try await running.value

            #expect(processor.statistics.transactionsAborted >= 1)
            #expect(reader["events.dlq"].allSatisfy { $0.header(RecordHeaderName.errorClass) == "output_rejected" })
        }
    }
}
