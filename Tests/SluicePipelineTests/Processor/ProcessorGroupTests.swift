import Foundation
import SluiceKafka
import Testing
@testable import SluicePipeline

extension ProcessorTests {
    /// Scaling out and broker outages; nested in ``ProcessorTests`` so that it runs serialized with
    /// the other processor tests instead of competing with them for the two cores.
    @Suite struct GroupAndOutage {
        @Test func twoProcessorsInOneGroupSplitThePartitionsAndNothingIsLostWhenOneStopsMidStream() async throws {
            let cluster = try makeProcessorCluster(inputPartitions: 6)
            var inputs = try produceEvents((0..<600).map(fraudEvent), to: cluster, partitions: 6)
            let configuration = try processorConfiguration(cluster, group: "pair", maxSize: 16, maxInFlight: 48, resumeAt: 16)
            let first = try Processor(configuration: configuration, model: fraudModel, logger: silentLogger)
            let second = try Processor(configuration: configuration, model: fraudModel, logger: silentLogger)
            let firstRun = Task { try await first.run() }
            let secondRun = Task { try await second.run() }
            try await waitUntil("both processors hold some of the 6 partitions") {
                let (a, b) = (first.statistics.assignedPartitions, second.statistics.assignedPartitions)
                return a > 0 && b > 0 && a + b == 6
            }

            // The stream goes on while the first processor stops, with work of its own in flight.
            let firstEventsBefore = first.statistics.eventsIn
            let wave = Task { try await onOwnThread { try produceEvents((600..<2400).map(fraudEvent), to: cluster, partitions: 6) } }
            try await waitUntil("the first processor takes events of the second wave") { first.statistics.eventsIn > firstEventsBefore }
            first.stop()
            try await firstRun.value
            let committedAtStop = try committedOffsets(cluster, group: "pair", partitions: 6)
            inputs += try await wave.value
            inputs += try produceEvents((2400..<3000).map(fraudEvent), to: cluster, partitions: 6)

            let reader = try OutputReader(cluster)
            try await reader.readPredictionsAndAudits(of: inputs)
            second.stop()
            try await secondRun.value

            #expect(first.statistics.eventsIn > 0 && second.statistics.eventsIn > 0, "both processors scored events")
            #expect(first.statistics.eventsIn < 3000, "the first processor stopped mid-stream")
            let ids = reader.predictionIDs("predictions") + reader.predictionIDs("audit")
            #expect(Set(ids) == Set(inputs.map(\.predictionID)))
            let byID = Dictionary(uniqueKeysWithValues: inputs.map { ($0.predictionID, $0) })
            for (id, count) in Dictionary(grouping: ids, by: { $0 }).mapValues(\.count) where count > 2 {
                let input = try #require(byID[id])
                #expect(input.offset >= committedAtStop[input.partition, default: 0], "\(id) was committed, yet scored twice")
            }
            #expect(try committedOffsets(cluster, group: "pair", partitions: 6) == partitionEnds(inputs))
        }

        @Test func processingResumesAfterTheBrokerWasDownMidStreamAndEveryOffsetGetsItsOutputs() async throws {
            let cluster = try makeProcessorCluster()
            var inputs = try produceEvents((0..<600).map(fraudEvent), to: cluster)
            let log = LogRecorder()
            let configuration = try processorConfiguration(cluster, group: "outage", maxSize: 16, maxInFlight: 48, resumeAt: 16)
            let processor = try Processor(configuration: configuration, model: fraudModel, logger: log.logger)
            let running = Task { try await processor.run() }
            try await waitUntil("the processor is mid-stream") { processor.statistics.eventsIn >= 100 }

            try cluster.takeBrokerDown(1)
            // Events keep arriving across the outage: this producer's flush waits for the broker.
            let wave = Task { try await onOwnThread { try produceEvents((600..<1200).map(fraudEvent), to: cluster) } }
            try await waitUntil("the processor notices that its broker is down") { log.contains("_TRANSPORT") || log.contains("_ALL_BROKERS_DOWN") }
            try cluster.bringBrokerUp(1)
            inputs += try await wave.value

            let reader = try OutputReader(cluster)
            try await reader.readPredictionsAndAudits(of: inputs)
            processor.stop()
            try await running.value

            #expect(Set(reader.predictionIDs("predictions")) == Set(inputs.map(\.predictionID)))
            #expect(Set(reader.predictionIDs("audit")) == Set(inputs.map(\.predictionID)))
            #expect(try committedOffsets(cluster, group: "outage") == partitionEnds(inputs))
            #expect(processor.statistics.inFlight == 0)
        }
    }
}
