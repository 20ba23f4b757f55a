import Foundation
import SluiceKafka
import SluiceModel
import Testing
@testable import SluicePipeline

/// Avro events for a model with several typed inputs, end to end on the embedded cluster: the
/// processor decodes them into every input and scores onnxruntime's reference predictions.
@Suite(.serialized) struct ProcessorTypedAvroInputTests {
    @Test func aColumnTransformerScoresAvroEventsAsItsReferenceDoes() async throws {
        let name = "column-transformer-logistic"
        let reference = try ProcessorTests.TypedInputs.Reference(name)
        let cluster = try makeProcessorCluster()
        let landed = try produceEvents(TypedInputEventFormatTests.events("transactions-v2.hex"), to: cluster)
        let schema = TypedInputEventFormatTests.directory.appendingPathComponent("transactions-v2.avsc").path
        var configuration = try processorConfiguration(cluster, group: "typed-avro", maxSize: 8)
        configuration.features = []
        configuration.input.format = .avro
        configuration.input.schema = schema
        configuration.model.path = "Models/\(name).onnx"
        configuration.model.name = name
        let model = try Model(contentsOf: packageRoot.appendingPathComponent("Models/\(name).onnx").path)
        let processor = try Processor(configuration: configuration, model: model, logger: silentLogger)
        let running = Task { try await processor.run() }
        let reader = try OutputReader(cluster)
        try await reader.read(until: "\(landed.count) predictions") { $0.count("predictions") >= landed.count }
        processor.stop()
        try await running.value

        let byID = Dictionary(uniqueKeysWithValues: reader["predictions"].map { ($0.json["prediction_id"] as? String ?? "", $0.json) })
        for (row, place) in landed.enumerated() {
            let outputs = try #require(byID[place.predictionID]?["outputs"] as? [String: Any], "row \(row)")
            #expect(outputs["output_label"] as? String == reference.outputs["output_label"]?[row] as? String, "row \(row)")
            let probabilities = try #require(outputs["output_probability"] as? [String: Double], "row \(row)")
            let expected = try #require(reference.outputs["output_probability"]?[row] as? [String: Double])
            for (label, value) in expected {
                #expect(abs((probabilities[label] ?? -1) - value) <= 1e-5 * max(1, abs(value)), "row \(row) \(label)")
            }
        }
        #expect(reader["events.dlq"].isEmpty)
    }
}
