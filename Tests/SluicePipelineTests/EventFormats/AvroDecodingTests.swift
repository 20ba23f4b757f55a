import Testing
@testable import SluicePipeline

/// Avro events made by fastavro decode into exactly the rows of the same events as JSON, under
/// the current, a newer and an older writer schema; what the features cannot use fails with the
/// right class.
@Suite struct AvroDecodingTests {
    let json = try! FeatureDecoder(spec: EventFormatFixtures.demoSpec)

    func localDecoder(_ schemaFile: String) -> EventDecoder {
        EventDecoder(json: json, schemas: .localAvro(EventFormatFixtures.text(schemaFile)))
    }

    func jsonRows() throws -> [[Float]] {
        try EventFormatFixtures.jsonEvents.map { try json.decode($0) }
    }

    @Test func theDemoEventsAsAvroDecodeIntoTheRowsOfTheSameEventsAsJSON() throws {
        let decoder = localDecoder("fraud-v1.avsc")
        let rows = try EventFormatFixtures.avroEvents("events-v1.hex").map { try decoder.row($0) }
        #expect(rows == (try jsonRows()))
    }

    @Test func aNewerWriterWithAddedFieldsOfEveryKindAndANullableFeatureDecodesAlike() throws {
        // v2 adds an enum, a nullable record with fixed, boolean and map fields, a string array
        // and bytes, and makes merchant_risk nullable: null in every fourth event, as in the JSON.
        let decoder = localDecoder("fraud-v2.avsc")
        let rows = try EventFormatFixtures.avroEvents("events-v2.hex").map { try decoder.row($0) }
        #expect(rows == (try jsonRows()))
    }

    @Test func anOlderWriterWithoutADefaultedFeatureTakesTheDefault() throws {
        let decoder = localDecoder("fraud-v0.avsc")
        let rows = try EventFormatFixtures.avroEvents("events-v0.hex").map { try decoder.row($0) }
        let expected = try jsonRows().map { row in
            var row = row
            row[EventFormatFixtures.merchantRiskColumn] = 0
            return row
        }
        #expect(rows == expected)
    }

    @Test(arguments: [
        ("fraud-no-amount.avsc", "missing_feature", "amount: absent or null, and no default"),
        ("fraud-amount-string.avsc", "wrong_type", "amount: expected a number or a boolean, the writer's schema has string"),
    ])
    func aWriterSchemaTheFeaturesCannotUseFailsEveryEventWithItsClass(schema: String, errorClass: String, message: String) throws {
        let decoder = localDecoder(schema)
        let payload = Array(EventFormatFixtures.malformed.first { $0.errorClass == errorClass }!.payload.dropFirst(5))
        #expect(throws: EventDecoder.Failure.self) { try decoder.row(payload) }
        guard case .undecodable(let error)? = failure(decoder, payload) else { return }
        #expect(error.errorClass == errorClass)
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }

    @Test func nestedRecordsBooleansNullableRecordsAndRecursiveSkippedTypesResolveByName() throws {
        let schema = #"""
            {"type": "record", "name": "E", "fields": [
              {"name": "next", "type": ["null", "E"]},
              {"name": "card", "type": ["null", {"type": "record", "name": "Card", "fields": [
                {"name": "meta", "type": {"type": "map", "values": {"type": "array", "items": "E"}}},
                {"name": "risk", "type": "float"},
                {"name": "blocked", "type": "boolean"}]}]},
              {"name": "n", "type": "long"}]}
            """#
        let spec = FeatureSpec([.init(path: "card.risk", defaultValue: -1), .init(path: "card.blocked"), .init(path: "n")])
        let decoder = EventDecoder(json: try FeatureDecoder(spec: spec), schemas: .localAvro(schema))
        // next: branch 1, an E whose next is null, card null and n 7; card: branch 1, an empty
        // map, risk 0.25, blocked; n: -3.
        var event: [UInt8] = [2, 0, 0, 14, 2, 0]
        AvroWriter.appendFloat(0.25, to: &event)
        event += [1]
        AvroWriter.appendLong(-3, to: &event)
        #expect(try decoder.row(event) == [0.25, 1, -3])
        // card null: risk takes its default, blocked has none.
        guard case .undecodable(let error)? = failure(decoder, [0, 0, 5]) else { Issue.record("decoded"); return }
        #expect(error.kind == .missingFeature && error.path == "card.blocked")
    }

    @Test func aFloodOfZeroByteItemsIsMalformedNotALongLoop() throws {
        let schema = #"{"type": "record", "name": "E", "fields": [{"name": "x", "type": {"type": "array", "items": "null"}}, {"name": "n", "type": "int"}]}"#
        let decoder = EventDecoder(json: try FeatureDecoder(spec: FeatureSpec([.init(path: "n")])), schemas: .localAvro(schema))
        var event: [UInt8] = []
        AvroWriter.appendLong(Int64.max / 2, to: &event)
        event += [0, 2]
        guard case .undecodable(let error)? = failure(decoder, event) else { Issue.record("decoded"); return }
        #expect(error.kind == .malformedPayload)
    }

    @Test func anInfiniteFloatIsOutOfRangeAndANaNIsMissing() throws {
        let schema = #"{"type": "record", "name": "E", "fields": [{"name": "x", "type": "float"}]}"#
        let withDefault = EventDecoder(json: try FeatureDecoder(spec: FeatureSpec([.init(path: "x", defaultValue: 4)])), schemas: .localAvro(schema))
        var nan: [UInt8] = []
        AvroWriter.appendFloat(.nan, to: &nan)
        #expect(try withDefault.row(nan) == [4])
        var infinity: [UInt8] = []
        AvroWriter.appendFloat(-.infinity, to: &infinity)
        guard case .undecodable(let error)? = failure(withDefault, infinity) else { Issue.record("decoded"); return }
        #expect(error.kind == .outOfRange && error.path == "x")
    }

    @Test(arguments: [
        (#"{"type": "record", "name": "A", "fields": [{"name": "x", "type": "B"}]}"#, "unknown type 'B'"),
        (#"{"type": "record", "name": "A"}"#, "record A needs fields"),
        (#"{"type": "enum", "name": "A", "symbols": []}"#, "an enum needs symbols"),
        (#"["int", {"type": "record", "name": "A", "fields": []}, "A"]"#, ""),
        ("{", "not JSON"),
    ])
    func schemaTextIsCheckedWhenParsed(text: String, problem: String) {
        do throws(AvroSchemaError) {
            _ = try AvroSchema.parse(json: text)
            #expect(problem.isEmpty, "parsed")
        } catch {
            #expect(!problem.isEmpty && error.description.hasPrefix(problem), "\(error)")
        }
    }

    private func failure(_ decoder: EventDecoder, _ payload: [UInt8]) -> EventDecoder.Failure? {
        do {
            _ = try decoder.row(payload)
            return nil
        } catch {
            return error
        }
    }
}
