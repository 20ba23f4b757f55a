import Foundation
import SluiceKafka
import Testing
@testable import SluicePipeline

extension ProcessorTests {
    /// Outputs the broker does not take: sent again while retriable, otherwise the processor stops;
    /// never skipped, and never an offset committed past them.
    @Suite struct DeliveryFailures {
        /// A configuration whose outputs fail fast: librdkafka gives up on an output after half a
        /// second instead of five minutes, so its failure reaches the processor.
        func configuration(_ cluster: MockKafkaCluster, group: String) throws -> SluiceConfiguration {
            var configuration = try processorConfiguration(cluster, group: group)
            configuration.kafka.properties["message.timeout.ms"] = "500"
            return configuration
        }

        @Test func outputsThatTimedOutAreSentAgainAndNoOffsetIsCommittedUntilTheyAreDelivered() async throws {
            let cluster = try makeProcessorCluster()
            let inputs = try produceEvents((0..<200).map(fraudEvent), to: cluster)
            // The producer cannot learn where the audit topic lives, so its audit records time out.
            cluster.setTopicError(.leaderNotAvailable, for: "audit")
            let retry = DeliveryRetryPolicy(maxResends: 1_000, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(100))
            let processor = try Processor(
                configuration: configuration(cluster, group: "resent"), model: fraudModel,
                options: .init(deliveryRetry: retry), logger: silentLogger
            )
            let running = Task { try await processor.run() }
            try await waitUntil("an audit record is sent again") { processor.statistics.deliveryRetries > 0 }
            #expect(
                try committedOffsets(cluster, group: "resent").values.allSatisfy { $0 == KafkaPartitionOffset.invalid },
                "no offset is committed while its audit record is undelivered"
            )

            cluster.setTopicError(nil, for: "audit")
            let reader = try OutputReader(cluster)
            try await reader.readPredictionsAndAudits(of: inputs)
            processor.stop()
            try await running.value

            #expect(Set(reader.predictionIDs("audit")) == Set(inputs.map(\.predictionID)))
            #expect(try committedOffsets(cluster, group: "resent") == partitionEnds(inputs))
            #expect(processor.statistics.inFlight == 0)
        }

        @Test func anOutputStillUndeliveredAfterItsResendsStopsTheProcessorNamingItsInputOffset() async throws {
            let cluster = try makeProcessorCluster()
            _ = try produceEvents((0..<50).map(fraudEvent), to: cluster)
            cluster.setTopicError(.leaderNotAvailable, for: "audit")
            let retry = DeliveryRetryPolicy(maxResends: 1, initialBackoff: .milliseconds(10))
            let processor = try Processor(
                configuration: configuration(cluster, group: "exhausted"), model: fraudModel,
                options: .init(deliveryRetry: retry), logger: silentLogger
            )
            let failure = try await #require(throws: ProcessorError.self) { try await processor.run() }

            guard case .deliveryFailed(let output, let topic, let partition, let offset, let resends, let cause) = failure else {
                Issue.record("unexpected failure: \(failure)")
                return
            }
            #expect(output == "audit" && topic == "events" && resends == 1)
            #expect(cause.code == .messageTimedOut && cause.isRetriable, "\(cause)")
            #expect(failure.kafkaError?.isRetriable == true, "the cause's retriable flag survives")
            #expect("\(failure)".contains("events[\(partition)]@\(offset)"))
            #expect(processor.statistics.deliveryRetries >= 1)
            let committed = try committedOffsets(cluster, group: "exhausted")
            #expect(committed.values.allSatisfy { $0 == KafkaPartitionOffset.invalid }, "\(committed)")
        }

        @Test func aRecordTheBrokerRefusesForGoodStopsTheProcessorAtOnceWithOnRejectedStopAndNothingPastItIsCommitted() async throws {
            let cluster = try makeProcessorCluster()
            _ = try produceEvents((0..<300).map(fraudEvent), to: cluster)
            cluster.pushRequestErrors([.messageTooLarge], for: .produce)
            var configuration = try processorConfiguration(cluster, group: "rejected")
            configuration.outputs.onRejected = .stop
            let processor = try Processor(configuration: configuration, model: fraudModel, logger: silentLogger)
            let failure = try await #require(throws: ProcessorError.self) { try await processor.run() }

            guard case .outputRejected(let output, let topic, let partition, let offset, let cause) = failure else {
                Issue.record("unexpected failure: \(failure)")
                return
            }
            #expect(["predictions", "audit"].contains(output) && topic == "events")
            #expect(cause.code == .messageTooLarge && !cause.isRetriable, "\(cause)")
            #expect("\(failure)".contains("MSG_SIZE_TOO_LARGE"), "the message still names the broker's error")
            #expect(processor.statistics.deliveryRetries == 0, "a non-retriable failure is not sent again")
            let committed = try committedOffsets(cluster, group: "rejected")
            #expect(committed[partition, default: KafkaPartitionOffset.invalid] <= offset, "offset \(offset) was committed: \(committed)")
        }
    }
}
