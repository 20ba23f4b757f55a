import Foundation
import SluiceKafka
import Testing
@testable import SluicePipeline

extension ProcessorTests {
    /// Output topics that the broker does not have; nested in ``ProcessorTests`` so that it runs
    /// serialized with the other processor tests.
    @Suite struct OutputTopics {
        @Test func aMissingOutputTopicStopsTheProcessorAtStartNamingTheFieldAndTopic() async throws {
            let cluster = try MockKafkaCluster()
            try cluster.createTopic("events", partitions: 1)
            try cluster.createTopic("predictions", partitions: 1)
            try cluster.createTopic("events.dlq", partitions: 1)
            var configuration = try processorConfiguration(cluster, group: "missing-output")
            configuration.outputs.audit = "audit-misspelt"
            let processor = try Processor(configuration: configuration, model: fraudModel, logger: silentLogger)
            await #expect {
                try await processor.run()
            } throws: { error in
                guard case ProcessorError.outputTopicMissing(let field, let topic) = error else { return false }
                return field == "outputs.audit" && topic == "audit-misspelt"
                    && "\(error)".contains("does not exist; create it (sluice topics apply")
            }
            #expect(processor.statistics.eventsIn == 0)
        }
    }
}
