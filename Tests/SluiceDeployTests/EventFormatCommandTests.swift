import Foundation
import Testing

/// `sluice score --config` and `sluice config check` with Avro and Protobuf configurations: score
/// reads the configuration's events (hex lines) into the same predictions as the same events as
/// JSON, and config check reads the local schema and lists the inputs and their fields.
@Suite struct EventFormatCommandTests {
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures/TypedInputs")
    static let model = repositoryRoot.appendingPathComponent("Models/column-transformer-logistic.onnx").path

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    /// A configuration file with `input` as its input section, for the column transformer.
    static func configuration(_ input: String, features: String = "") throws -> String {
        let file = try temporaryDirectory().appendingPathComponent("sluice.yaml")
        try "input: \(input)\n\(features)model: {path: \(model)}\n".write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func scoreWithAnAvroOrProtobufConfigurationGivesTheJSONEventsPredictions() throws {
        let json = try SluiceExecutable.run(["score", "--model", Self.model], input: try Self.fixture("transactions.jsonl"))
        #expect(json.status == 0 && json.lines.count == 20, "\(json.standardError)")
        let avsc = Self.fixtures.appendingPathComponent("transactions-v2.avsc").path
        let avro = try SluiceExecutable.run(["score", "--config", try Self.configuration("{format: avro, schema: \(avsc)}")], input: try Self.fixture("transactions-v2.hex"))
        #expect(avro.status == 0, "\(avro.standardError)")
        #expect(avro.lines == json.lines)
        let descriptors = Self.fixtures.appendingPathComponent("typed.desc").path
        let protobufConfiguration = try Self.configuration("{format: protobuf, schema: \(descriptors), message: sluice.typed.Transaction, framing: confluent}")
        let protobuf = try SluiceExecutable.run(["score", "--config", protobufConfiguration], input: try Self.fixture("registry-proto.hex") + "00\nzz\n")
        #expect(protobuf.lines.dropLast(2) == json.lines[...])
        #expect(protobuf.lines.suffix(2).map { $0.hasPrefix(#"{"error":"invalid_wire_format"#) || $0.hasPrefix(#"{"error":"invalid_hex"#) } == [true, true], "\(protobuf.lines.suffix(2))")
    }

    @Test func configCheckListsEachInputsFieldsAndReadsTheLocalSchema() throws {
        let avsc = Self.fixtures.appendingPathComponent("transactions-v1.avsc").path
        let mapped = try Self.configuration(
            "{format: avro, schema: \(avsc)}",
            features: "features:\n  amount: {fields: [{path: amount}]}\n  account_age_days: {fields: [{path: age, default: 0}]}\n"
                + "  country: {type: string, fields: [{path: country}]}\n  channel: {type: string, fields: [{path: channel}]}\n"
        )
        let check = try SluiceExecutable.run(["config", "check", mapped])
        #expect(check.status == 0, "\(check.standardOutput)")
        #expect(check.standardOutput.contains("(avro, schema \(avsc))"), "\(check.standardOutput)")
        #expect(
            check.standardOutput.contains("4 inputs (amount: float from amount; account_age_days: float from age; country: string from country; channel: string from channel)"),
            "\(check.standardOutput)"
        )
        let missing = try SluiceExecutable.run(["config", "check", try Self.configuration("{format: avro, schema: /no/such.avsc}")])
        #expect(missing.status == 2)
        #expect(missing.standardOutput.contains("input.schema: cannot read '/no/such.avsc'"), "\(missing.standardOutput)")
    }
}
