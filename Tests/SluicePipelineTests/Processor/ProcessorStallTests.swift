import Foundation
import SluiceKafka
import Testing
@testable import SluicePipeline

extension ProcessorTests {
    /// A broker that hangs past the group's session timeout; nested in ``ProcessorTests`` so that
    /// it runs serialized with the other processor tests.
    @Suite struct BrokerHang {
        /// The partitions are lost while back-pressure holds the input (acknowledgements stopped
        /// with the broker), then assigned again: librdkafka keeps a partition's pause across
        /// that, so a loop that forgot it had paused them never consumed from them again.
        @Test func partitionsLostWhileTheInputIsHeldAreConsumedAgainOnceReassigned() async throws {
            let cluster = try makeProcessorCluster()
            var inputs = try produceEvents((0..<3000).map(fraudEvent), to: cluster)
            // Slow acknowledgements keep the input held by back-pressure most of the time.
            try cluster.setRoundTripTime(.milliseconds(50), forBroker: 1)
            let log = LogRecorder()
            var configuration = try processorConfiguration(cluster, group: "hang", maxSize: 16, maxInFlight: 48, resumeAt: 16)
            // Pause at once instead of holding first, and refetch quickly after each pause.
            configuration.backpressure.pauseAfterMilliseconds = 0
            configuration.kafka.properties["fetch.wait.max.ms"] = "5"
            let processor = try Processor(configuration: configuration, model: fraudModel, logger: log.logger)
            let running = Task { try await processor.run() }
            try await waitUntil("back-pressure paused the input mid-stream") { processor.statistics.eventsIn >= 100 && processor.statistics.isPaused }

            try cluster.takeBrokerDown(1)
            try await waitUntil("the group session timed out and the partitions were lost") { processor.statistics.abandoned > 0 }
            try cluster.bringBrokerUp(1)
            try cluster.setRoundTripTime(.zero, forBroker: 1)
            inputs += try produceEvents((3000..<3300).map(fraudEvent), to: cluster)

            let reader = try OutputReader(cluster)
            try await reader.readPredictionsAndAudits(of: inputs)
            processor.stop()
            try await running.value

            #expect(Set(reader.predictionIDs("predictions")) == Set(inputs.map(\.predictionID)))
            #expect(try committedOffsets(cluster, group: "hang") == partitionEnds(inputs))
        }
    }
}
