import Foundation
import Testing
@testable import SluicePipeline

/// Protobuf events in the Confluent wire format through a Schema Registry (served over real HTTP
/// in the test process): the schema read in its serialized form, the message type named by each
/// event's message-index list.
@Suite struct RegistryProtobufTests {
    typealias Fixtures = TypedInputEventFormatTests

    @Test func eventsDecodeIntoTheJSONRowsAndWhatTheRegistryCannotNameIsUnknown() async throws {
        let file = try Data(contentsOf: Fixtures.directory.appendingPathComponent("typed-file.bin"))
        let registry = try await TestSchemaRegistry(schemas: [7: ("PROTOBUF", file.base64EncodedString()), 1: (nil, EventFormatFixtures.text("fraud-v1.avsc"))])
        let model = try Fixtures.model("column-transformer-logistic")
        let features = try FeatureDecoder(inputs: try SluiceConfiguration().inputSpecs(for: model))
        let decoder = EventDecoder(json: features, schemas: .registryProtobuf(SchemaRegistryClient(settings: .init(url: registry.url))))
        // Schema 7, message-index list [1]: Transaction, the file's second message.
        let rows = try decoder.rows(Fixtures.events("registry-proto.hex"))
        let expected = try EventDecoder(json: features, schemas: .json).rows(Fixtures.events("transactions.jsonl"))
        #expect(Fixtures.rowBytes(rows, count: 20) == Fixtures.rowBytes(expected, count: 20))
        #expect(registry.requests == 2, "the schema, then its serialized form, once for 20 events")

        let message = Fixtures.events("transactions-proto.hex")[0]
        for (payload, what) in [
            (ConfluentFraming.frame(schemaID: 7, messageIndexes: [5], body: message), "schema 7, message [5]: message index 5 at depth 0, where the schema has 3"),
            (ConfluentFraming.frame(schemaID: 1, messageIndexes: [0], body: message), "schema 1 is a AVRO schema, not Protobuf"),
            (ConfluentFraming.frame(schemaID: 99, messageIndexes: [0], body: message), "schema 99: Schema 99 not found"),
        ] {
            #expect {
                try decoder.rows([payload])
            } throws: { error in
                guard case .undecodable(let failure) = error as? EventDecoder.Failure else { return false }
                return failure.errorClass == "unknown_schema" && failure.detail.hasPrefix(what)
            }
        }
        registry.isFailing = true
        // TwoInputs ([2]) has not been compiled yet: its serialized schema must be asked for.
        #expect {
            try decoder.rows([ConfluentFraming.frame(schemaID: 7, messageIndexes: [2], body: [])])
        } throws: { error in
            guard case .schemaUnavailable(let reason) = error as? EventDecoder.Failure else { return false }
            return reason.contains("schema 7") && reason.contains("503")
        }
        try await registry.stop()
    }
}
