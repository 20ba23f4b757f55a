import Foundation
import SluiceKernels
import SluiceModel
import Testing
@testable import SluicePipeline

/// Avro and Protobuf events made by fastavro and protobuf (Tests/Generators/
/// make_typed_input_fixtures.py) fill every typed, named model input exactly as the same events as
/// JSON do, so models with several inputs score them to the same predictions; schema evolution
/// and type mismatches behave as for a single float input.
@Suite struct TypedInputEventFormatTests {
    static let directory = EventFormatFixtures.directory.deletingLastPathComponent().appendingPathComponent("TypedInputs")

    static func text(_ name: String) -> String {
        try! String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func events(_ name: String) -> [[UInt8]] {
        let lines = text(name).split(separator: "\n").map(String.init)
        return name.hasSuffix(".jsonl") ? lines.map { Array($0.utf8) } : lines.map(EventFormatFixtures.bytes(hex:))
    }

    static var descriptorSet: [UInt8] { try! [UInt8](Data(contentsOf: directory.appendingPathComponent("typed.desc"))) }

    static func protobuf(_ message: String) -> EventSchemas {
        .localProtobuf(descriptorSet: descriptorSet, message: "sluice.typed.\(message)")
    }

    static func model(_ name: String) throws -> Model {
        try Model(contentsOf: packageRoot.appendingPathComponent("Models/\(name).onnx").path)
    }

    /// Every row's values, as bytes (the row digest's input): equal exactly when every column is.
    static func rowBytes(_ rows: InputRows, count: Int) -> [[UInt8]] {
        (0..<count).map { row in
            var bytes: [UInt8] = []
            rows.appendRowBytes(row, to: &bytes)
            return bytes
        }
    }

    /// The model's outputs for the rows, as text that is equal exactly when every value is.
    static func predictions(_ model: Model, _ rows: InputRows, count: Int) throws -> [String] {
        try model.makeSession().predict(rows, rows: 0..<count).map { String(describing: $0) }
    }

    /// Decodes `events` in each format with the same features and expects the JSON rows and
    /// predictions exactly.
    static func expectSameAsJSON(model: Model, inputs: [InputSpec], json: String, others: [(EventSchemas, String)]) throws {
        let features = try FeatureDecoder(inputs: inputs)
        let jsonEvents = events(json)
        let expected = try EventDecoder(json: features, schemas: .json).rows(jsonEvents)
        let expectedPredictions = try predictions(model, expected, count: jsonEvents.count)
        for (schemas, file) in others {
            let payloads = events(file)
            #expect(payloads.count == jsonEvents.count, "\(file)")
            let rows = try EventDecoder(json: features, schemas: schemas).rows(payloads)
            #expect(rowBytes(rows, count: payloads.count) == rowBytes(expected, count: jsonEvents.count), "\(file)")
            #expect(try predictions(model, rows, count: payloads.count) == expectedPredictions, "\(file)")
        }
    }

    @Test(arguments: ["column-transformer-logistic", "column-transformer-boosting"])
    func aColumnTransformerScoresAvroAndProtobufEventsExactlyAsTheSameEventsAsJSON(_ name: String) throws {
        let model = try Self.model(name)
        // No features mapping: each input from the field of its name, two floats and two strings
        // (channel an Avro enum, read as its symbol's name).
        let inputs = try SluiceConfiguration().inputSpecs(for: model)
        #expect(inputs.map(\.elementType) == [.float, .float, .string, .string])
        try Self.expectSameAsJSON(
            model: model, inputs: inputs, json: "transactions.jsonl",
            others: [
                (.localAvro(Self.text("transactions-v1.avsc")), "transactions-v1.hex"),
                (.localAvro(Self.text("transactions-v2.avsc")), "transactions-v2.hex"),
                (Self.protobuf("Transaction"), "transactions-proto.hex"),
            ]
        )
    }

    @Test func anOlderWriterWithoutAStringInputsFieldTakesItsDefaultAsJSONDoes() throws {
        let model = try Self.model("column-transformer-logistic")
        var inputs = try SluiceConfiguration().inputSpecs(for: model)
        inputs[3].features = FeatureSpec([.init(path: "channel", defaultString: "web")])
        try Self.expectSameAsJSON(
            model: model, inputs: inputs, json: "transactions-v0.jsonl",
            others: [(.localAvro(Self.text("transactions-v0.avsc")), "transactions-v0.hex")]
        )
    }

    @Test func aTwoInputNetworkScoresArraysAndNestedRecordsOfEachFormatAlike() throws {
        let inputs = [
            InputSpec(name: "transaction", features: FeatureSpec([.init(path: "tx", length: 6)])),
            InputSpec(name: "history", rowShape: [4], features: FeatureSpec([.init(path: "past.values", length: 4)])),
        ]
        try Self.expectSameAsJSON(
            model: try Self.model("torch-two-inputs"), inputs: inputs, json: "two-inputs.jsonl",
            others: [(.localAvro(Self.text("two-inputs.avsc")), "two-inputs-avro.hex"), (Self.protobuf("TwoInputs"), "two-inputs-proto.hex")]
        )
    }

    static let kindInputs = [
        InputSpec(name: "d", elementType: .double, features: FeatureSpec([.init(path: "d")])),
        InputSpec(name: "i64", elementType: .int64, features: FeatureSpec([.init(path: "i64")])),
        InputSpec(name: "i32", elementType: .int32, features: FeatureSpec([.init(path: "i32")])),
        InputSpec(name: "b", elementType: .bool, features: FeatureSpec([.init(path: "b")])),
        InputSpec(name: "s", elementType: .string, features: FeatureSpec([.init(path: "s")])),
        InputSpec(name: "ids", elementType: .int64, features: FeatureSpec([.init(path: "ids", length: 3)])),
    ]

    /// `kinds` as `format` ("avro" or "protobuf"), and the schemas to decode them with.
    static func kindEvents(_ format: String) -> [[UInt8]] { events(format == "avro" ? "kinds-avro.hex" : "kinds-proto.hex") }

    @Test(arguments: ["avro", "protobuf"])
    func everyElementTypeTakesItsValuesExactlyAtTheEdgesOfItsRange(_ format: String) throws {
        let features = try FeatureDecoder(inputs: Self.kindInputs)
        let json = try EventDecoder(json: features, schemas: .json).rows(Self.events("kinds.jsonl"))
        let schemas: EventSchemas = format == "avro" ? .localAvro(Self.text("kinds.avsc")) : Self.protobuf("Kinds")
        let rows = try EventDecoder(json: features, schemas: schemas).rows(Self.kindEvents(format))
        #expect(Self.rowBytes(rows, count: 3) == Self.rowBytes(json, count: 3))
        let tensors = rows.tensors(rows: 0..<3)
        guard case .int64(let i64) = tensors[1].storage, case .string(let strings) = tensors[4].storage, case .int64(let ids) = tensors[5].storage else {
            Issue.record("element types \(tensors.map(\.elementType))")
            return
        }
        #expect(i64 == [9_007_199_254_740_993, .min, 0], "beyond 2^53, read without rounding through a Double")
        #expect(strings == ["FR", "", "Zürich ✓"])
        #expect(ids == [1, -2, 3, 0, 0, 999_999_999_999_999_999, 7, 8, 9])
    }

    @Test(arguments: [
        ("avro", "i64", ElementType.int32, "out_of_range"),
        ("protobuf", "i64", ElementType.int32, "out_of_range"),
        ("avro", "d", ElementType.int64, "wrong_type"),
        ("protobuf", "d", ElementType.int64, "wrong_type"),
        ("avro", "s", ElementType.float, "wrong_type"),
        ("protobuf", "s", ElementType.int64, "wrong_type"),
        ("avro", "d", ElementType.string, "wrong_type"),
        ("protobuf", "b", ElementType.string, "wrong_type"),
    ])
    func aValueItsInputCannotTakeFailsTheEventWithTheClassJSONWouldGive(format: String, field: String, type: ElementType, errorClass: String) throws {
        let features = try FeatureDecoder(inputs: [InputSpec(name: "x", elementType: type, features: FeatureSpec([.init(path: field)]))])
        let schemas: EventSchemas = format == "avro" ? .localAvro(Self.text("kinds.avsc")) : Self.protobuf("Kinds")
        let decoder = EventDecoder(json: features, schemas: schemas)
        #expect {
            try decoder.rows([Self.kindEvents(format)[0]])
        } throws: { error in
            guard case .undecodable(let failure) = error as? EventDecoder.Failure else { return false }
            return failure.errorClass == errorClass && failure.path == field
        }
    }

    @Test func framedEventsWithALocalSchemaDecodeAsBareOnesWhateverTheirSchemaID() throws {
        let model = try Self.model("column-transformer-logistic")
        let features = try FeatureDecoder(inputs: try SluiceConfiguration().inputSpecs(for: model))
        let bare = try EventDecoder(json: features, schemas: Self.protobuf("Transaction")).rows(Self.events("transactions-proto.hex"))
        // Schema id 7 and the message-index list [1], as a registry's producer frames them.
        let framedProtobuf = EventDecoder(json: features, schemas: .localProtobuf(descriptorSet: Self.descriptorSet, message: "sluice.typed.Transaction", framing: .confluent))
        #expect(Self.rowBytes(try framedProtobuf.rows(Self.events("registry-proto.hex")), count: 20) == Self.rowBytes(bare, count: 20))
        let avro = Self.events("transactions-v1.hex")
        let framedAvro = EventDecoder(json: features, schemas: .localAvro(Self.text("transactions-v1.avsc"), framing: .confluent))
        let framed = avro.enumerated().map { ConfluentFraming.frame(schemaID: Int32($0.offset), body: $0.element) }
        let expected = try EventDecoder(json: features, schemas: .localAvro(Self.text("transactions-v1.avsc"))).rows(avro)
        #expect(Self.rowBytes(try framedAvro.rows(framed), count: 20) == Self.rowBytes(expected, count: 20))
        for (decoder, payload) in [(framedAvro, [1] + framed[0].dropFirst()), (framedProtobuf, [0, 0, 0]), (framedProtobuf, [0, 0, 0, 0, 7, 0x80])] {
            #expect {
                try decoder.rows([payload])
            } throws: { error in
                guard case .undecodable(let failure) = error as? EventDecoder.Failure else { return false }
                return failure.errorClass == "invalid_wire_format"
            }
        }
    }
}
