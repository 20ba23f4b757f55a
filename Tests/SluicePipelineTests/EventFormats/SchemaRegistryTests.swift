import Foundation
import Testing
@testable import SluicePipeline

/// The Schema Registry client against a registry served over real HTTP in the test process, and
/// Avro events in the Confluent wire format decoded with its schemas.
@Suite struct SchemaRegistryTests {
    let json = try! FeatureDecoder(spec: EventFormatFixtures.demoSpec)

    @Test func fetchesASchemaByIdOnceWithBasicAuthenticationAndKeepsIt() async throws {
        let registry = try await TestSchemaRegistry(schemas: EventFormatFixtures.registrySchemas)
        let client = SchemaRegistryClient(settings: .init(url: registry.url + "/", username: "key", password: "secret"))
        let first = try client.schema(id: 2)
        let again = try client.schema(id: 2)
        #expect(first == again && first.type == "AVRO" && first.text == EventFormatFixtures.text("fraud-v2.avsc"))
        #expect(registry.requests == 1)
        #expect(registry.lastAuthorization == "Basic " + Data("key:secret".utf8).base64EncodedString())
        try await registry.stop()
    }

    @Test func anUnknownIdIsNotFoundAndAFailingOrStoppedRegistryIsUnavailable() async throws {
        let registry = try await TestSchemaRegistry(schemas: EventFormatFixtures.registrySchemas)
        let client = SchemaRegistryClient(settings: .init(url: registry.url))
        #expect(throws: SchemaLookupError.notFound("Schema 99 not found")) { try client.schema(id: 99) }
        registry.isFailing = true
        #expect { try client.schema(id: 1) } throws: { error in
            guard case .unavailable(let message) = error as? SchemaLookupError else { return false }
            return message.contains("HTTP 503") && message.contains("forwarding the request")
        }
        try await registry.stop()
        #expect { try client.schema(id: 1) } throws: { error in
            guard case .unavailable = error as? SchemaLookupError else { return false }
            return true
        }
    }

    @Test func framedEventsOfThreeWriterSchemasDecodeIntoTheJSONRows() async throws {
        let registry = try await TestSchemaRegistry(schemas: EventFormatFixtures.registrySchemas)
        let decoder = EventDecoder(json: json, schemas: .registryAvro(SchemaRegistryClient(settings: .init(url: registry.url))))
        let jsonRows = try EventFormatFixtures.jsonEvents.map { try json.decode($0) }
        for (id, file) in [(Int32(1), "events-v1.hex"), (2, "events-v2.hex"), (3, "events-v0.hex")] {
            let rows = try EventFormatFixtures.avroEvents(file).map { try decoder.row(ConfluentFraming.frame(schemaID: id, body: $0)) }
            let expected = id == 3 ? jsonRows.map { row in var row = row; row[EventFormatFixtures.merchantRiskColumn] = 0; return row } : jsonRows
            #expect(rows == expected, "schema \(id)")
        }
        #expect(registry.requests == 3, "each schema fetched once")
        try await registry.stop()
    }

    @Test func everyMalformedEventFailsWithItsClass() async throws {
        let registry = try await TestSchemaRegistry(schemas: EventFormatFixtures.registrySchemas)
        let decoder = EventDecoder(json: json, schemas: .registryAvro(SchemaRegistryClient(settings: .init(url: registry.url))))
        let cases = EventFormatFixtures.malformed
        #expect(Set(cases.map(\.errorClass)) == ["invalid_wire_format", "unknown_schema", "malformed_payload", "wrong_length", "out_of_range", "missing_feature", "wrong_type"])
        for malformed in cases {
            do {
                _ = try decoder.row(malformed.payload)
                Issue.record("\(malformed.what): decoded")
            } catch {
                guard case .undecodable(let error) = error else { Issue.record("\(malformed.what): \(error)"); continue }
                #expect(error.errorClass == malformed.errorClass, "\(malformed.what): \(error)")
            }
        }
        try await registry.stop()
    }

    @Test func aSchemaTheRegistryCannotGiveNowIsUnavailableNotADeadLetter() async throws {
        let registry = try await TestSchemaRegistry(schemas: EventFormatFixtures.registrySchemas)
        let decoder = EventDecoder(json: json, schemas: .registryAvro(SchemaRegistryClient(settings: .init(url: registry.url))))
        registry.isFailing = true
        let event = ConfluentFraming.frame(schemaID: 1, body: EventFormatFixtures.avroEvents("events-v1.hex")[0])
        #expect { try decoder.row(event) } throws: { error in
            guard case .schemaUnavailable(let reason) = error as? EventDecoder.Failure else { return false }
            return reason.contains("schema 1") && reason.contains("503")
        }
        registry.isFailing = false
        #expect(try decoder.row(event) == (try json.decode(EventFormatFixtures.jsonEvents[0])))
        try await registry.stop()
    }

    @Test func aSchemaOfAnotherTypeIsUnknownForAvroInput() async throws {
        let registry = try await TestSchemaRegistry(schemas: [7: ("PROTOBUF", "syntax = \"proto3\"; message M {}")])
        let decoder = EventDecoder(json: json, schemas: .registryAvro(SchemaRegistryClient(settings: .init(url: registry.url))))
        #expect { try decoder.row(ConfluentFraming.frame(schemaID: 7, body: [0])) } throws: { error in
            guard case .undecodable(let error) = error as? EventDecoder.Failure else { return false }
            return error.kind == .unknownSchema && error.detail == "schema 7 is a PROTOBUF schema, not Avro"
        }
        try await registry.stop()
    }
}

extension SchemaRegistryTests {
    @Test func registeringASchemaReturnsItsIdOnceAndTheSameIdAgain() async throws {
        let registry = try await TestSchemaRegistry(schemas: [:])
        let client = SchemaRegistryClient(settings: .init(url: registry.url))
        let schema = SchemaRegistryClient.Schema(type: "AVRO", text: EventFormatFixtures.text("fraud-v1.avsc"))
        let id = try client.register(subject: "events-value", schema: schema)
        #expect(try client.register(subject: "events-value", schema: schema) == id)
        #expect(registry.registered[id]?.text == schema.text)
        try await registry.stop()
    }
}
