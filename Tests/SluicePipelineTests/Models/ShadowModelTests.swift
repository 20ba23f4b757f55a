import Foundation
import SluiceKafka
import SluiceKernels
import Testing
@testable import SluicePipeline

/// The shadow model: scored on the same batches, one shadow record per event on its own topic,
/// counted by the offset ledger like any other output, and compared with the serving model.
@Suite(.serialized) struct ShadowModelTests {
    @Test func everyEventGetsOneShadowRecordOnItsTopicAndOffsetsCommitOnlyOnceShadowRecordsAreAcknowledged() async throws {
        let fixtures = try ModelFixtures()
        let cluster = try makeProcessorCluster()
        try cluster.createTopic("predictions.shadow", partitions: 2)
        var configuration = try processorConfiguration(cluster, group: "shadowed")
        var shadow = SluiceConfiguration.Model.Shadow(path: try fixtures.write(ModelFixtures.fraudVariant("shadow"), to: "candidate.onnx"))
        shadow.name = "candidate"
        shadow.version = "2"
        configuration.model.shadow = shadow
        let shadowModel = try ModelCandidate.prepare(path: shadow.path, configuration: configuration, validating: false)
        #expect(throws: ShadowModelMissing.self) { try Processor(configuration: configuration, model: fraudModel, logger: silentLogger) }

        let inputs = try produceEvents((0..<300).map(fraudEvent), to: cluster)
        let processor = try Processor(configuration: configuration, model: fraudModel, shadow: shadowModel, logger: silentLogger)
        #expect(processor.shadowModel?.name == "candidate")
        let running = Task { try await processor.run() }
        let reader = try OutputReader(cluster, topics: ["predictions", "audit", "predictions.shadow"])
        try await reader.read(until: "300 of each output") {
            $0.count("predictions") >= 300 && $0.count("audit") >= 300 && $0.count("predictions.shadow") >= 300
        }
        try await waitUntil("every output is acknowledged") { processor.statistics.acknowledgedOutputs == 900 }
        processor.stop()
        try await running.value

        let shadows = reader["predictions.shadow"]
        #expect(shadows.count == 300)
        #expect(Set(shadows.compactMap { $0.header(RecordHeaderName.predictionID) }) == Set(inputs.map(\.predictionID)))
        let predictions = Dictionary(uniqueKeysWithValues: reader["predictions"].map { ($0.header(RecordHeaderName.predictionID) ?? "", $0) })
        for record in shadows {
            #expect(record.header(RecordHeaderName.model) == "candidate:2")
            let prediction = predictions[record.header(RecordHeaderName.predictionID) ?? ""]
            #expect(record.key == prediction?.key, "keyed like its prediction")
            // The same model in another file: the same outputs.
            #expect(
                (record.json["outputs"] as? [String: [Double]]) == (prediction?.json["outputs"] as? [String: [Double]]), "\(record.text)"
            )
        }
        let ends = Dictionary(grouping: inputs, by: \.partition).mapValues { $0.map(\.offset).max()! + 1 }
        #expect(try committedOffsets(cluster, group: "shadowed") == ends)
        #expect(processor.statistics.shadowRecords == 300)
        #expect(Processor.producerQueueBound(for: configuration) == 3 * (20_000 + 2 * 32))
    }

    @Test func theComparisonCountsAgreeingLabelsAndTheLargestScoreDifferencePerRow() {
        let served = [Tensor(shape: [3], int64s: [1, 0, 1]), Tensor(shape: [3, 2], floats: [0.2, 0.8, 0.9, 0.1, 0.4, 0.6])]
        let shadow = [Tensor(shape: [3], int64s: [1, 1, 1]), Tensor(shape: [3, 2], floats: [0.2, 0.8, 0.4, 0.6, 0.5, 0.5])]
        let comparison = ShadowComparison(served: served, shadow: shadow, rows: 3)
        #expect(comparison.scored)
        #expect(comparison.labelsCompared == 3 && comparison.labelsAgreeing == 2)
        #expect(comparison.scoreDifferences.count == 3)
        #expect(comparison.scoreDifferences[0] == 0)
        #expect(abs(comparison.scoreDifferences[1] - 0.5) < 1e-6 && abs(comparison.scoreDifferences[2] - 0.1) < 1e-6)
        let failed = ShadowComparison(served: served, shadow: nil, rows: 3)
        #expect(!failed.scored && failed.labelsCompared == 0 && failed.scoreDifferences.isEmpty)
    }
}
