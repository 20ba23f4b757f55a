import Foundation
import SluiceKafka
import Testing
@testable import SluicePipeline

extension ProcessorTests {
    /// Events that no output can carry as they are; nested in ``ProcessorTests`` so that it runs
    /// serialized with the other processor tests.
    @Suite struct PoisonPills {
        @Test func anInvalidEventNearTheMaximumMessageSizeIsDeadLetteredInAFormThatFitsAndTheStreamGoesOn() async throws {
            let cluster = try makeProcessorCluster()
            var payloads = (0..<200).map(fraudEvent)
            // Invalid JSON as big as a message may be: with Sluice's headers its dead letter would not fit.
            payloads[50] = #"{"amount":"# + String(repeating: "x", count: 999_850)
            let inputs = try produceEvents(payloads, to: cluster)
            let processor = try Processor(configuration: processorConfiguration(cluster, group: "poison"), model: fraudModel, logger: silentLogger)
            let running = Task { try await processor.run() }
            let reader = try OutputReader(cluster)
            try await reader.read(until: "199 predictions and the dead letter") {
                $0.count("predictions") >= 199 && $0.count("audit") >= 199 && $0.count("events.dlq") >= 1
            }
            processor.stop()
            try await running.value

            let letter = try #require(reader["events.dlq"].first)
            #expect(letter.header(RecordHeaderName.errorClass) == "invalid_json")
            #expect(letter.header("sluice-payload-truncated") == "true")
            #expect(letter.header("sluice-payload-bytes") == "\(payloads[50].utf8.count)")
            #expect(letter.value.count < payloads[50].utf8.count)
            #expect(try committedOffsets(cluster, group: "poison") == partitionEnds(inputs))
        }

        @Test func outputsTheProducerRefusesForGoodAreReplacedByDeadLettersAndTheStreamGoesOn() async throws {
            let cluster = try makeProcessorCluster()
            let hugeKey = String(repeating: "k", count: 1_500)
            let inputs = try produceEvents((0..<100).map(fraudEvent), to: cluster) { $0 == 10 ? hugeKey : "card-\($0 % 7)" }
            var configuration = try processorConfiguration(cluster, group: "rejected")
            // librdkafka's smallest limit: the event's prediction and audit record, which carry its key, cannot be sent.
            configuration.kafka.properties["message.max.bytes"] = "1000"
            let processor = try Processor(configuration: configuration, model: fraudModel, logger: silentLogger)
            let running = Task { try await processor.run() }
            let reader = try OutputReader(cluster)
            try await reader.read(until: "99 predictions and the rejected event's dead letters") {
                $0.count("predictions") >= 99 && $0.count("audit") >= 99 && $0.count("events.dlq") >= 2
            }
            processor.stop()
            try await running.value

            let rejected = inputs[10]
            for letter in reader["events.dlq"] {
                #expect(letter.header(RecordHeaderName.errorClass) == "output_rejected")
                #expect(letter.header(RecordHeaderName.sourceOffset) == "\(rejected.offset)")
                #expect(letter.header("sluice-key-dropped") == "true", "the key alone is over the limit")
            }
            #expect(Set(reader["events.dlq"].compactMap { $0.header(RecordHeaderName.errorMessage)?.split(separator: ":").first }) == ["predictions", "audit"])
            #expect(try committedOffsets(cluster, group: "rejected") == partitionEnds(inputs))
        }

        @Test func withOnRejectedStopTheProcessorStopsNamingTheTopicTheInputAndTheSettingToChange() async throws {
            let cluster = try makeProcessorCluster()
            _ = try produceEvents((0..<20).map(fraudEvent), to: cluster) { $0 == 5 ? String(repeating: "k", count: 1_500) : "card" }
            var configuration = try processorConfiguration(cluster, group: "rejected-stop")
            configuration.kafka.properties["message.max.bytes"] = "1000"
            configuration.outputs.onRejected = .stop
            let processor = try Processor(configuration: configuration, model: fraudModel, logger: silentLogger)
            await #expect {
                try await processor.run()
            } throws: { error in
                guard case ProcessorError.outputRejected(_, let topic, _, _, _) = error else { return false }
                return topic == "events" && "\(error)".contains("max.message.bytes") && "\(error)".contains("outputs.on_rejected")
            }
        }
    }
}
