import Foundation
import SluiceKafka
import Testing
@testable import SluicePipeline

/// A reload while the processor runs over the embedded cluster: nothing lost or duplicated, and
/// every record names the model that scored its batch.
@Suite(.serialized) struct ProcessorModelReloadTests {
    @Test func aReloadMidStreamLosesAndDuplicatesNothingAndRecordsSwitchDigestBetweenBatches() async throws {
        let fixtures = try ModelFixtures()
        let cluster = try makeProcessorCluster()
        var configuration = try processorConfiguration(cluster, group: "reloading", maxSize: 8)
        configuration.model.path = try fixtures.write(ModelFixtures.repositoryModel("fraud-mlp.onnx"), to: "model.onnx")
        let processor = try Processor(configuration: configuration, model: fraudModel, logger: silentLogger)
        let reloader = ModelReloader(configuration: configuration, holder: processor.models, observer: nil, logger: silentLogger)
        let oldDigest = processor.models.served.sha256
        let running = Task { try await processor.run() }

        let firstWave = try produceEvents((0..<400).map(fraudEvent), to: cluster)
        try await waitUntil("the first wave is being scored") { processor.statistics.predictions >= 40 }
        try fixtures.write(ModelFixtures.fraudVariant("reloaded"), to: "model.onnx")
        guard case .served(let served, _) = await reloader.reload(.fileChanged) else {
            Issue.record("the new model was refused")
            return
        }
        let secondWave = try produceEvents((400..<800).map(fraudEvent), to: cluster)
        let reader = try OutputReader(cluster)
        try await reader.read(until: "800 predictions and audits") { $0.count("predictions") >= 800 && $0.count("audit") >= 800 }
        processor.stop()
        try await running.value

        let inputs = firstWave + secondWave
        let predictionIDs = reader["predictions"].compactMap { $0.header(RecordHeaderName.predictionID) }
        #expect(predictionIDs.count == 800)
        #expect(Set(predictionIDs) == Set(inputs.map(\.predictionID)), "every event scored once")
        #expect(reader["audit"].count == 800)

        var digestsByBatch: [Int: Set<String>] = [:]
        var digestByInput: [InputCoordinates: String] = [:]
        for audit in reader["audit"] {
            let input = audit.json["input"] as? [String: Any]
            let coordinates = InputCoordinates(partition: Int32(input?["partition"] as? Int ?? -1), offset: Int64(input?["offset"] as? Int ?? -1))
            let digest = (audit.json["model"] as? [String: Any])?["sha256"] as? String ?? "none"
            let batch = (audit.json["batch"] as? [String: Any])?["id"] as? Int ?? -1
            digestsByBatch[batch, default: []].insert(digest)
            digestByInput[coordinates] = digest
        }
        #expect(digestsByBatch.values.allSatisfy { $0.count == 1 }, "a batch is scored by one model")
        #expect(Set(digestByInput.values) == [oldDigest, served.sha256])
        for input in secondWave { #expect(digestByInput[input] == served.sha256, "\(input.predictionID) came after the reload") }
        // In each partition's order, the old model's records come first, then the new one's only.
        for (_, partition) in Dictionary(grouping: inputs, by: \.partition) {
            let digests = partition.sorted().map { digestByInput[$0] }
            let firstNew = digests.firstIndex(of: served.sha256) ?? digests.endIndex
            #expect(digests[..<firstNew].allSatisfy { $0 == oldDigest })
            #expect(digests[firstNew...].allSatisfy { $0 == served.sha256 })
        }
        let ends = Dictionary(grouping: inputs, by: \.partition).mapValues { $0.map(\.offset).max()! + 1 }
        #expect(try committedOffsets(cluster, group: "reloading") == ends)
        #expect(processor.statistics.modelReplacements == 1)
    }
}
