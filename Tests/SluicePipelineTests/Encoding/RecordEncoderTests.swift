import Crypto
import Foundation
import Testing
@testable import SluicePipeline

@Suite struct RecordEncoderTests {
    let fixture = EncodingFixture()

    func hex(_ digest: SHA256Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    @Test func predictionIDsNameTheInputDeterministically() {
        #expect(String(decoding: fixture.predictionID(0).bytes, as: UTF8.self) == "events-3-1234")
        #expect(String(decoding: fixture.predictionID(1).bytes, as: UTF8.self) == "more.events-0-7")
    }

    @Test func encodesPredictionsWithTheModelsOutputsForTheRow() {
        #expect(
            fixture.prediction(0)
                == #"{"prediction_id":"events-3-1234","model":{"name":"fraud","version":"1"},"outputs":{"label":0,"probabilities":[0.9,0.1]}}"#
        )
        #expect(
            fixture.prediction(1)
                == #"{"prediction_id":"more.events-0-7","model":{"name":"fraud","version":"1"},"outputs":{"label":1,"probabilities":[0.25,0.75]}}"#
        )
    }

    @Test func encodesAuditRecordsWithFullLineage() throws {
        let payloadHash = hex(SHA256.hash(data: Data(fixture.payloads[0].utf8)))
        let rowHash = hex(SHA256.hash(data: [Float(12.5), 1, -0.5].withUnsafeBytes { Data($0) }))
        #expect(
            fixture.audit(0)
                == #"{"prediction_id":"events-3-1234","input":{"topic":"events","partition":3,"offset":1234,"timestamp":1732350000123,"key":"card-1","sha256":""#
                + payloadHash
                + #""},"model":{"name":"fraud","version":"1","sha256":""# + String(repeating: "ab", count: 32)
                + #""},"features_sha256":""# + rowHash
                + #"","batch":{"id":17,"size":2,"queue_wait_us":812,"compute_us":95},"processor":{"instance":"host-a/42","version":"0.1.0"},"output":{"topic":"predictions"}}"#
        )
    }

    @Test func readsThePredictionIDBackFromEitherRecordsValue() {
        #expect(RecordEncoder.predictionID(inRecord: Array(fixture.prediction(1).utf8)) == "more.events-0-7")
        #expect(RecordEncoder.predictionID(inRecord: Array(fixture.audit(0).utf8)) == "events-3-1234")
        #expect(RecordEncoder.predictionID(inRecord: Array(#"{"input":{},"prediction_id":"x-0-1"}"#.utf8)) == nil)
        #expect(RecordEncoder.predictionID(inRecord: Array(#"{"prediction_id":"unterminated"#.utf8)) == nil)
    }

    @Test func writesABinaryKeyInBase64() throws {
        let audit = try #require(try JSONSerialization.jsonObject(with: Data(fixture.audit(1).utf8)) as? [String: Any])
        let input = try #require(audit["input"] as? [String: Any])
        #expect(input["key"] is NSNull)
        #expect(input["key_base64"] as? String == Data([0xFF, 0x00, 0x41]).base64EncodedString())
        #expect(input["timestamp"] is NSNull)
    }

    @Test func addsKafkaConnectStyleHeadersToDeadLetters() {
        let error = FeatureDecodingError(.wrongLength, path: "features", offset: 57, detail: "expected 16 elements, found 15")
        #expect(
            fixture.deadLetterHeaders(error, topic: 1, partition: 2, offset: 99)
                == [
                    "sluice-error-class": "wrong_length",
                    "sluice-error-message": "features: expected 16 elements, found 15 (at byte 57)",
                    "sluice-source-topic": "more.events",
                    "sluice-source-partition": "2",
                    "sluice-source-offset": "99",
                ]
        )
    }

    @Test func escapesNamesFromConfigurationAndModels() throws {
        let encoder = RecordEncoder(
            context: RecordContext(
                inputTopics: ["events"],
                predictionTopic: "p",
                auditTopic: "a",
                model: .init(name: "fr\"aud\n", version: "\u{01}", sha256: String(repeating: "0", count: 64)),
                processorInstance: "\\",
                processorVersion: "1"
            ),
            outputNames: ["out\"put"]
        )
        var id = JSONBuffer()
        encoder.writePredictionID(row: 0, of: fixture.batch, into: &id)
        var value = JSONBuffer()
        encoder.encodePrediction(row: 0, of: fixture.batch, predictionID: id, outputs: [fixture.outputs[0]], into: &value)
        let prediction = try #require(try JSONSerialization.jsonObject(with: Data(value.bytes)) as? [String: Any])
        #expect((prediction["model"] as? [String: Any])?["name"] as? String == "fr\"aud\n")
        #expect((prediction["outputs"] as? [String: Any])?["out\"put"] as? Int == 0)
        encoder.encodeAudit(row: 0, of: fixture.batch, predictionID: id, timing: fixture.timing, into: &value)
        let audit = try #require(try JSONSerialization.jsonObject(with: Data(value.bytes)) as? [String: Any])
        #expect((audit["processor"] as? [String: Any])?["instance"] as? String == "\\")
    }
}
