import Foundation
import Testing
@testable import SluicePipeline

/// Encoded records checked against `Topics/schemas` by the reference implementation of JSON
/// Schema 2020-12 (Python's `jsonschema`, through `Topics/schemas/validate.py`): writing our own
/// validator would test our reading of the spec rather than the records.
@Suite struct RecordSchemaTests {
    let fixture = EncodingFixture()
    static let schemas = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Topics/schemas")

    /// Runs the validator on `documents`; returns its exit status and output.
    static func validate(_ schema: String, _ documents: [String]) throws -> (status: Int32, output: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-schemas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for (index, document) in documents.enumerated() {
            let path = directory.appendingPathComponent("\(index).json")
            try Data(document.utf8).write(to: path)
            paths.append(path.path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.schemas.appendingPathComponent("validate.py").path, Self.schemas.appendingPathComponent(schema).path] + paths
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    func headersJSON(_ headers: [String: String]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: headers), as: UTF8.self)
    }

    @Test func predictionsMatchTheirSchema() throws {
        let result = try Self.validate("prediction.schema.json", [fixture.prediction(0), fixture.prediction(1)])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func auditRecordsMatchTheirSchema() throws {
        let result = try Self.validate("audit.schema.json", [fixture.audit(0), fixture.audit(1)])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func deadLetterHeadersMatchTheirSchema() throws {
        let decoder = try FeatureDecoder(spec: FeatureSpec([.init(path: "amount"), .init(path: "v", length: 2)]))
        var documents: [String] = []
        for payload in [#"{"amount":"x"}"#, #"{"#, #"{"v":[1,2]}"#, #"{"amount":1,"v":[1]}"#, #"{"amount":1e39,"v":[1,2]}"#] {
            let error = try #require(decoder.failure(payload))
            documents.append(try headersJSON(fixture.deadLetterHeaders(error)))
        }
        let result = try Self.validate("dead-letter.schema.json", documents)
        #expect(result.status == 0, "\(result.output)")
    }

    /// The first header of each name, as the schema sees a dead letter's headers.
    func headersJSON(_ letter: CopiedDeadLetter) throws -> String {
        var first: [String: String] = [:]
        for (name, value) in letter.headers where first[name] == nil {
            first[name] = String(decoding: value ?? [], as: UTF8.self)
        }
        return try headersJSON(first)
    }

    @Test func deadLettersOfEveryClassAndEveryShortenedFormMatchTheirSchema() throws {
        var builder = DeadLetterBuilder(inputTopics: ["events"], maxMessageBytes: DeadLetterBuilder.minimumMaxMessageBytes)
        let reasons = [
            DeadLetterReason.nonFiniteOutput(output: "probabilities", element: 1, value: .nan),
            .outputRejected(topic: "predictions", reason: "Broker: Message size too large"),
            .outputRejected(topic: "predictions", reason: String(repeating: "long ", count: 400)),
        ]
        let input: [(name: String, value: [UInt8]?)] = [("sluice-error-class", Array("spoofed".utf8)), ("traceparent", Array("00-ab".utf8))]
        var documents: [String] = []
        var reductions: DeadLetter.Reductions = []
        for reason in reasons {
            for (key, payload) in [(bytes("k"), bytes("{}")), (bytes("k"), [UInt8](repeating: 1, count: 5_000)), ([UInt8](repeating: 2, count: 2_000), bytes("{}"))] {
                let letter = builder.letter(key: key, value: payload, headers: input, reason: reason)
                reductions.formUnion(letter.reductions)
                documents.append(try headersJSON(letter))
            }
        }
        #expect(reductions == [.payloadTruncated, .keyDropped, .inputHeadersDropped, .messageTruncated], "every form is checked")
        let result = try Self.validate("dead-letter.schema.json", documents)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func theSchemasRejectRecordsThatBreakThem() throws {
        let broken = fixture.audit(0).replacingOccurrences(of: #""partition":3"#, with: #""partition":"3""#)
        #expect(try Self.validate("audit.schema.json", [broken]).status == 1)
        let extra = fixture.prediction(0).replacingOccurrences(of: #"{"prediction_id""#, with: #"{"surprise":1,"prediction_id""#)
        #expect(try Self.validate("prediction.schema.json", [extra]).status == 1)
        #expect(try Self.validate("dead-letter.schema.json", [try headersJSON(["sluice-error-class": "oops"])]).status == 1)
        let letter = [
            "sluice-error-class": "out_of_range", "sluice-error-message": "amount: 1e39 is beyond the range of a 32-bit float (±3.4028235e38) (at byte 10)",
            "sluice-source-topic": "events", "sluice-source-partition": "0", "sluice-source-offset": "7",
        ]
        #expect(try Self.validate("dead-letter.schema.json", [try headersJSON(letter)]).status == 0)
        let forged = letter.merging(["Sluice-Verdict": "fine"]) { $1 }
        let halfCut = letter.merging(["sluice-payload-truncated": "true"]) { $1 }
        let noOffset = letter.merging(["sluice-error-message": "amount: beyond range"]) { $1 }
        for broken in [forged, halfCut, noOffset] {
            #expect(try Self.validate("dead-letter.schema.json", [try headersJSON(broken)]).status == 1, "\(broken)")
        }
    }
}
