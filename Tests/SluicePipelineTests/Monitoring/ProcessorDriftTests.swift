import Foundation
import SluiceKafka
import Testing
@testable import SluicePipeline

/// Drift monitoring wired into the processor: a drift record per window on the drift topic, quiet
/// while the stream looks like the profile, naming the feature that moved once it does.
@Suite(.serialized) struct ProcessorDriftTests {
    @Test func aMonitoredProcessorWritesADriftRecordPerWindowNamingTheShiftedFeature() async throws {
        // One input partition: the windows hold the events in the order they were produced.
        let cluster = try makeProcessorCluster(inputPartitions: 1)
        try cluster.createTopic("drift", partitions: 1)
        var configuration = try processorConfiguration(cluster, group: "drift")
        // The profile is made of the very events of the first window, so that window cannot drift.
        var builder = ProfileBuilder(decoder: try FeatureDecoder(spec: configuration.featureSpec), model: fraudModel)
        for index in 0 ..< 500 {
            var event = fraudEvent(index)
            try event.withUTF8 { try builder.add(event: UnsafeRawBufferPointer($0)) }
        }
        let profilePath = FileManager.default.temporaryDirectory.appendingPathComponent("profile-\(UUID().uuidString).json").path
        try builder.finish().jsonData().write(to: URL(fileURLWithPath: profilePath))
        defer { try? FileManager.default.removeItem(atPath: profilePath) }
        configuration.monitoring = .init(profile: profilePath)
        configuration.monitoring?.window = 500

        // Then the same events with every amount 10,000 higher: beyond anything in the profile.
        let shifted = (0 ..< 500).map { fraudEvent($0).replacingOccurrences(of: #"{"amount":"#, with: #"{"amount":1000"#) }
        _ = try produceEvents((0 ..< 500).map(fraudEvent) + shifted, to: cluster, partitions: 1)
        let processor = try Processor(configuration: configuration, model: fraudModel, logger: silentLogger)
        let running = Task { try await processor.run() }
        let reader = try OutputReader(cluster, topics: ["drift"])
        var readFailure: (any Error)?
        do {
            try await reader.read(until: "2 drift records") { $0.count("drift") >= 2 }
        } catch {
            readFailure = error
        }
        processor.stop()
        // A processor that stopped on an error says why before the reader's timeout does.
        try await running.value
        if let readFailure { throw readFailure }

        let records = try reader["drift"].map { try JSONDecoder().decode(DriftRecord.self, from: Data($0.value)) }
        #expect(records.count == 2)
        // Reports follow the batches (of up to 32 events) that complete 500 and 1,000 events.
        #expect(records.map(\.report.window) == [500, 500])
        #expect(records[0].report.events >= 500 && records[0].report.events < 532 && records[1].report.events == 1000)
        #expect(records[0].drifted == [])
        #expect(records[1].drifted.first == "amount")
        #expect(records[1].report.features.dropFirst().allSatisfy { !$0.drifted })
        #expect(records[1].report.features[0].outOfRangeTotal == 500)
        #expect(records[1].report.model.sha256 == fraudModel.identity.sha256)
        let validation = try RecordSchemaTests.validate("drift.schema.json", reader["drift"].map(\.text))
        #expect(validation.status == 0, "\(validation.output)")
    }
}
