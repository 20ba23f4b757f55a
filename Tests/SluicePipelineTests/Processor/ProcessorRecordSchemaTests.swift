import Foundation
import SluiceKafka
import Testing
@testable import SluicePipeline

extension ProcessorTests {
    /// What the processor actually writes, read back from the output topics, against the JSON
    /// Schemas in `Topics/schemas`, validated as ``RecordSchemaTests`` validates the encoder's output.
    @Suite struct WrittenRecords {
        @Test func predictionsAuditsAndDeadLettersReadBackFromTheTopicsMatchTheirSchemas() async throws {
            let cluster = try makeProcessorCluster()
            var payloads = (0..<40).map(fraudEvent)
            payloads[3] = #"{"amount":12.5,"features":[1,2"#
            payloads[17] = #"{"features":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"hour":1,"account_age_days":3}"#
            payloads[28] = #"{"amount":"12.50","features":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"hour":1,"account_age_days":3}"#
            payloads[39] = #"{"amount":1,"features":[0,0,0],"hour":1,"account_age_days":3}"#
            _ = try produceEvents(payloads, to: cluster)
            let processor = try Processor(configuration: processorConfiguration(cluster, group: "schemas"), model: fraudModel, logger: silentLogger)
            let running = Task { try await processor.run() }
            let reader = try OutputReader(cluster)
            try await reader.read(until: "36 predictions and audits and 4 dead letters") {
                $0.count("predictions") >= 36 && $0.count("audit") >= 36 && $0.count("events.dlq") >= 4
            }
            processor.stop()
            try await running.value

            let predictions = reader["predictions"]
            let audits = reader["audit"]
            let deadLetters = reader["events.dlq"]
            #expect(predictions.count == 36 && audits.count == 36 && deadLetters.count == 4)
            let predictionResult = try RecordSchemaTests.validate("prediction.schema.json", predictions.map(\.text))
            #expect(predictionResult.status == 0, "\(predictionResult.output)")
            let auditResult = try RecordSchemaTests.validate("audit.schema.json", audits.map(\.text))
            #expect(auditResult.status == 0, "\(auditResult.output)")
            let headers = try deadLetters.map { letter in
                let text = letter.headers.mapValues { String(decoding: $0, as: UTF8.self) }
                return String(decoding: try JSONSerialization.data(withJSONObject: text), as: UTF8.self)
            }
            let deadLetterResult = try RecordSchemaTests.validate("dead-letter.schema.json", headers)
            #expect(deadLetterResult.status == 0, "\(deadLetterResult.output)")
            #expect(Set(deadLetters.compactMap { $0.header(RecordHeaderName.errorClass) }) == ["invalid_json", "missing_feature", "wrong_type", "wrong_length"])
            for record in predictions {
                #expect(record.header(RecordHeaderName.predictionID) == record.json["prediction_id"] as? String)
                #expect(record.header(RecordHeaderName.model) == "fraud:1")
            }
            let auditsWithHeaders = audits.filter { !$0.headers.isEmpty }.count
            #expect(auditsWithHeaders == 0, "the audit record's value holds its prediction id and model")
        }
    }
}
