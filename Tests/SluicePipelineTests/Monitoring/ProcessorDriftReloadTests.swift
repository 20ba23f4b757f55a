import Foundation
import SluiceModel
import Testing
@testable import SluicePipeline

/// A reload that brings a new model and its new profile (the same `monitoring.profile` path,
/// rewritten) switches drift monitoring to that profile from the new model's first batch.
@Suite struct ProcessorDriftReloadTests {
    @Test func driftRecordsAfterAReloadCompareWithTheProfileReadWithTheNewModel() async throws {
        let fixtures = try ModelFixtures()
        let broker = makeInMemoryBroker()
        broker.createTopic("drift", partitions: 1)
        var configuration = try processorConfiguration(bootstrap: "in-memory:9092", group: "g", maxSize: 4)
        let profilePath = fixtures.path("profile.json")
        configuration.monitoring = .init(profile: profilePath)
        configuration.monitoring?.window = 100
        try writeProfile(of: fraudModel, configuration: configuration, to: profilePath)
        let variant = try ModelFile.load(try fixtures.write(ModelFixtures.fraudVariant("v2"), to: "fraud-v2.onnx"))
        for index in 0 ..< 200 { broker.append(.init(key: nil, value: Array(fraudEvent(index).utf8)), to: "events", partition: Int32(index % 3)) }

        let source = InMemorySource(broker: broker)
        let processor = try Processor(
            configuration: configuration, model: fraudModel, options: .init(), logger: silentLogger,
            source: { source }, sink: { InMemorySink(broker: broker) }
        )
        let running = Task { try await processor.run() }
        defer { processor.stop() }
        try await waitUntil("the first 200 events are scored") { processor.statistics.predictions == 200 }
        try writeProfile(of: variant, configuration: configuration, to: profilePath)
        processor.models.replace(with: variant, profiles: try ModelProfiles(configuration, model: variant))
        for index in 200 ..< 400 { broker.append(.init(key: nil, value: Array(fraudEvent(index).utf8)), to: "events", partition: Int32(index % 3)) }
        try await waitUntil("all 400 events are scored") { processor.statistics.predictions == 400 }
        processor.stop()
        try await running.value

        let records = try broker.records(of: "drift").map { try JSONDecoder().decode(DriftRecord.self, from: Data($0.value)) }
        #expect(records.map(\.report.model.sha256) == [fraudModel, fraudModel, variant, variant].map(\.identity.sha256))
        // A report follows the batch (of up to 4 events) that completes a window.
        let events = records.map(\.report.events)
        #expect(
            events.count == 4 && (100 ..< 104).contains(events[2]) && (200 ..< 204).contains(events[3]),
            "the new profile's windows start at the swap: \(events)"
        )
    }

    private func writeProfile(of model: Model, configuration: SluiceConfiguration, to path: String) throws {
        var builder = ProfileBuilder(decoder: try FeatureDecoder(spec: configuration.featureSpec), model: model)
        for index in 0 ..< 300 {
            var event = fraudEvent(index)
            try event.withUTF8 { try builder.add(event: UnsafeRawBufferPointer($0)) }
        }
        try builder.finish().jsonData().write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
