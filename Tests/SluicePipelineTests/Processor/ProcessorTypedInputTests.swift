import Foundation
import SluiceKafka
import SluiceModel
import Testing
@testable import SluicePipeline

extension ProcessorTests {
    /// Models with several named inputs of float and string elements, run by the processor over
    /// the mock cluster: predictions match onnxruntime's, ZipMap probabilities keyed by label.
    @Suite struct TypedInputs {
        /// A reference of `Models/references`: its input rows by name, and its outputs per row.
        struct Reference {
            var inputs: [(name: String, rows: [Any])]
            var outputs: [String: [Any]]

            init(_ name: String) throws {
                let url = packageRoot.appendingPathComponent("Models/references/\(name).json")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
                let inputs = try #require(json["inputs"] as? [[String: Any]])
                self.inputs = try inputs.map { (name: try #require($0["name"] as? String), rows: try #require($0["data"] as? [Any])) }
                let outputs = try #require(json["outputs"] as? [[String: Any]])
                self.outputs = try Dictionary(uniqueKeysWithValues: outputs.map { (try #require($0["name"] as? String), try #require($0["data"] as? [Any])) })
            }

            var rowCount: Int { inputs[0].rows.count }

            /// Row `row` as an event with each input in the field of its name: a scalar for an
            /// input of one value per row, else an array.
            func event(_ row: Int) throws -> String {
                var object: [String: Any] = [:]
                for (name, rows) in inputs {
                    let values = try #require(rows[row] as? [Any])
                    object[name] = values.count == 1 ? values[0] : values as Any
                }
                return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
            }
        }

        /// The prediction records by the input row they score (the event order of `produceEvents`).
        private func recordsByRow(_ reader: OutputReader, landed: [InputCoordinates]) -> [Int: [String: Any]] {
            let byID = Dictionary(uniqueKeysWithValues: reader["predictions"].map { ($0.json["prediction_id"] as? String ?? "", $0.json) })
            return Dictionary(uniqueKeysWithValues: landed.enumerated().compactMap { row, place in byID[place.predictionID].map { (row, $0) } })
        }

        @Test(arguments: ["column-transformer-logistic", "column-transformer-boosting"])
        func aColumnTransformerPipelineReadsEachInputFromTheFieldOfItsNameAndWritesProbabilitiesByLabel(_ name: String) async throws {
            let reference = try Reference(name)
            var events = try (0..<reference.rowCount).map(reference.event)
            events.append(#"{"amount":1,"account_age_days":2,"country":["FR"],"channel":"web"}"#)
            let cluster = try makeProcessorCluster()
            let landed = try produceEvents(events, to: cluster)
            let reader = try await runOn(cluster, model: name, features: "", expecting: reference.rowCount)
            let records = recordsByRow(reader, landed: landed)
            #expect(records.count == reference.rowCount)
            for row in 0..<reference.rowCount {
                let outputs = try #require(records[row]?["outputs"] as? [String: Any], "row \(row)")
                #expect(outputs["output_label"] as? String == reference.outputs["output_label"]?[row] as? String, "row \(row)")
                let probabilities = try #require(outputs["output_probability"] as? [String: Double], "row \(row): \(outputs)")
                let expected = try #require(reference.outputs["output_probability"]?[row] as? [String: Double])
                #expect(probabilities.keys.sorted() == ["fraud", "legit"])
                for (label, value) in expected {
                    #expect(abs((probabilities[label] ?? -1) - value) <= 1e-5 * max(1, abs(value)), "row \(row) \(label)")
                }
            }
            let schema = try RecordSchemaTests.validate("prediction.schema.json", reader["predictions"].map(\.text))
            #expect(schema.status == 0, "\(schema.output)")
            let deadLetters = reader["events.dlq"]
            #expect(deadLetters.map { $0.header(RecordHeaderName.errorClass) } == ["wrong_type"])
        }

        @Test func aTwoInputNetworkTakesEachInputFromItsMappedFields() async throws {
            let reference = try Reference("torch-two-inputs")
            let events = try (0..<reference.rowCount).map { row in
                let transaction = try #require(reference.inputs[0].rows[row] as? [Double])
                let history = try #require(reference.inputs[1].rows[row] as? [Double])
                return #"{"tx":\#(transaction),"past":{"values":\#(history)}}"#
            }
            let cluster = try makeProcessorCluster()
            let landed = try produceEvents(events, to: cluster)
            let features = """
                features:
                  transaction: {fields: [{path: tx, length: 6}]}
                  history: {type: float, shape: [4], fields: [{path: past.values, length: 4}]}
                """
            let reader = try await runOn(cluster, model: "torch-two-inputs", features: features, expecting: reference.rowCount)
            let records = recordsByRow(reader, landed: landed)
            for row in 0..<reference.rowCount {
                let outputs = try #require(records[row]?["outputs"] as? [String: Any], "row \(row)")
                let score = try #require(outputs["score"] as? Double, "row \(row): a [N, 1] output is one value per event")
                let expected = try #require((reference.outputs["score"]?[row] as? [Double])?.first)
                #expect(abs(score - expected) <= 1e-5, "row \(row)")
            }
        }

        private func runOn(_ cluster: MockKafkaCluster, model name: String, features: String, expecting count: Int) async throws -> OutputReader {
            let configuration = try SluiceConfiguration.parse(
                yaml: """
                    kafka:
                      bootstrap: '\(cluster.bootstrapServers)'
                      group: typed-\(name)
                      properties: {heartbeat.interval.ms: '100', session.timeout.ms: '6000', topic.metadata.refresh.interval.ms: '1000'}
                    \(features)
                    model: {path: Models/\(name).onnx, name: \(name), version: "1"}
                    batching: {max_size: 8, max_delay_ms: 1}
                    """
            )
            let model = try Model(contentsOf: packageRoot.appendingPathComponent("Models/\(name).onnx").path)
            let processor = try Processor(configuration: configuration, model: model, logger: silentLogger)
            let running = Task { try await processor.run() }
            let reader = try OutputReader(cluster)
            try await reader.read(until: "\(count) predictions") { $0.count("predictions") >= count && $0.count("audit") >= count }
            processor.stop()
            try await running.value
            return reader
        }
    }
}
