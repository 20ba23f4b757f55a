import Foundation
import SluiceModel
import Testing
@testable import SluicePipeline

extension ProcessorInMemoryTests {
    /// `audit.explain` through the real loop: a profile made by ``ProfileBuilder`` (which counts
    /// the tree covers), then every audit record carries the top attributions, valid against the
    /// audit schema, and with every feature listed they add up to the prediction.
    @Test func auditRecordsCarryTheTopAttributionsOfTheirPrediction() async throws {
        let model = try Model(contentsOf: packageRoot.appendingPathComponent("Models/random-forest-regressor.onnx").path)
        func event(_ index: Int) -> String {
            #"{"x":[\#((0 ..< 8).map { String(format: "%.3f", 2 * sin(Double(index * 8 + $0))) }.joined(separator: ","))]}"#
        }
        var configuration = try SluiceConfiguration.parse(
            yaml: """
                kafka: {bootstrap: 'in-memory:9092', group: explain}
                features: [{path: x, length: 8}]
                model: {path: Models/random-forest-regressor.onnx, name: forest, version: "1"}
                batching: {max_size: 8, max_delay_ms: 1}
                """
        )
        var builder = ProfileBuilder(decoder: try FeatureDecoder(spec: configuration.featureSpec), model: model)
        for index in 0 ..< 400 {
            var text = event(1000 + index)
            try text.withUTF8 { try builder.add(event: UnsafeRawBufferPointer($0)) }
        }
        let profile = try builder.finish()
        #expect(profile.treeCovers != nil)
        let profilePath = FileManager.default.temporaryDirectory.appendingPathComponent("explain-\(UUID().uuidString).json").path
        try profile.jsonData().write(to: URL(fileURLWithPath: profilePath))
        defer { try? FileManager.default.removeItem(atPath: profilePath) }

        for top in [3, 8] {
            let broker = makeInMemoryBroker()
            for index in 0 ..< 24 {
                broker.append(InMemoryBroker.Record(key: nil, value: Array(event(index).utf8)), to: "events", partition: Int32(index % 3))
            }
            configuration.explanations = .init(top: top, profile: profilePath)
            _ = try await runUntilSettled(configuration, model: model, broker: broker, sink: InMemorySink(broker: broker)) { $0.eventsIn == 24 }
            let audits = broker.records(of: "audit")
            #expect(audits.count == 24)
            let validation = try RecordSchemaTests.validate("audit.schema.json", audits.map(\.text))
            #expect(validation.status == 0, "\(validation.output)")
            let predictions = Dictionary(
                broker.records(of: "predictions").map { (RecordEncoder.predictionID(inRecord: $0.value)!, $0.text) }, uniquingKeysWith: { $1 }
            )
            for audit in audits {
                let record = try #require(try JSONSerialization.jsonObject(with: Data(audit.value)) as? [String: Any])
                let explanation = try #require(record["explanation"] as? [String: Any])
                let listed = try #require(explanation["top"] as? [[String: Any]])
                #expect(explanation["method"] as? String == "tree_shap")
                #expect(listed.count == top)
                let magnitudes = listed.map { abs($0["attribution"] as! Double) }
                #expect(magnitudes == magnitudes.sorted(by: >))
                guard top == 8 else { continue }
                let prediction = try #require(predictions[RecordEncoder.predictionID(inRecord: audit.value)!])
                let output = try #require(try JSONSerialization.jsonObject(with: Data(prediction.utf8)) as? [String: Any])
                let variable = try #require((output["outputs"] as? [String: Any])?["variable"] as? Double)
                let total = (explanation["expected_value"] as! Double) + listed.map { $0["attribution"] as! Double }.reduce(0, +)
                #expect(abs(total - variable) < 1e-3 * max(1, abs(variable)))
            }
        }
    }
}
