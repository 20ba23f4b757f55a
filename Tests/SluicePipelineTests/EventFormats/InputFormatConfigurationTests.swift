import Foundation
import Testing
@testable import SluicePipeline

/// `input.format`, `input.schema`, `input.message` and `input.schema_registry` as read from YAML.
@Suite struct InputFormatConfigurationTests {
    func parse(_ input: String) throws(ConfigurationError) -> SluiceConfiguration {
        try SluiceConfiguration.parse(yaml: "input: \(input)\nfeatures: [{path: amount}]", environment: ["SR_SECRET": "s3cret"])
    }

    @Test func aRegistryWithBasicAuthenticationFromTheEnvironment() throws {
        let configuration = try parse(#"{format: avro, schema_registry: {url: "https://sr:8081", username: key, password: "${SR_SECRET}", timeout: 2s}}"#)
        #expect(configuration.input.format == .avro)
        #expect(configuration.input.schemaRegistry?.url == "https://sr:8081")
        #expect(configuration.input.schemaRegistry?.password == "s3cret")
        #expect(configuration.input.schemaRegistry?.timeout == .seconds(2))
        #expect(!configuration.redactedYAML.contains("s3cret"))
    }

    @Test(arguments: [
        ("{format: avro}", "input.format", "avro input needs input.schema or input.schema_registry"),
        ("{format: avro, schema: a.avsc, schema_registry: {url: 'http://sr'}}", "input.schema_registry", "give either input.schema"),
        ("{format: protobuf, schema: a.desc}", "input.format", "protobuf input needs input.message"),
        ("{format: json, schema: a.avsc}", "input.schema", "does not apply to json input"),
        ("{format: avro, schema_registry: {url: 'sr:8081'}}", "input.schema_registry.url", "expected an http:// or https:// URL"),
        ("{format: avro, schema_registry: {url: 'http://sr'}, framing: confluent}", "input.framing", "applies to a local schema"),
        ("{format: json, framing: confluent}", "input.framing", "does not apply to json input"),
        ("{format: protobuf, message: a.B, schema_registry: {url: 'http://sr'}}", "input.message", "applies to a local schema"),
        ("{format: protobuf, message: a.B}", "input.format", "protobuf input needs input.schema or input.schema_registry"),
        ("{format: avro, schema: a.avsc, framing: magic}", "input.framing", "must be one of bare, confluent"),
    ])
    func fieldsThatDoNotFitTheFormatAreRefusedNamingTheField(input: String, field: String, problem: String) {
        #expect { try parse(input) } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.field == field && error.problem.hasPrefix(problem)
        }
    }

    @Test func protobufInputTakesARegistryInsteadOfALocalSchema() throws {
        let configuration = try parse("{format: protobuf, schema_registry: {url: 'http://sr:8081'}}")
        #expect(configuration.input.schemaRegistry?.url == "http://sr:8081" && configuration.input.schema == nil)
    }

    @Test func aLocalSchemaTakesTheConfluentFramingAndSaysSoInTheEffectiveConfiguration() throws {
        let configuration = try parse("{format: protobuf, schema: a.desc, message: a.B, framing: confluent}")
        #expect(configuration.input.framing == .confluent)
        #expect(configuration.redactedYAML.contains("framing: confluent"))
        #expect(try parse("{format: avro, schema: a.avsc}").input.framing == .bare)
    }

    @Test func aLocalSchemaIsRelativeToTheConfigurationFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("sluice.yaml")
        try "input: {format: protobuf, schema: events.desc, message: a.B}\nfeatures: [{path: amount}]\n".write(to: file, atomically: true, encoding: .utf8)
        let configuration = try SluiceConfiguration.load(path: file.path)
        #expect(configuration.input.schema == directory.appendingPathComponent("events.desc").path)
        #expect(configuration.input.message == "a.B")
    }
}
