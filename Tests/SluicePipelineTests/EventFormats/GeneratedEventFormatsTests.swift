import Foundation
import SluiceRandom
import Testing
@testable import SluiceDemoEvents
@testable import SluicePipeline

/// `sluice generate --format avro|protobuf`: each of the demo's events as an Avro record of
/// `config/demo-events.avsc` or a Protobuf message of `config/demo-events.proto` decodes to exactly
/// the feature row of the same event as JSON, and the malformed ones become payloads the processor
/// dead-letters.
@Suite struct GeneratedEventFormatsTests {
    enum Format: CaseIterable {
        case avro
        case protobuf
    }

    @Test(arguments: Format.allCases)
    func theGeneratorsEventsDecodeToTheFeatureRowsOfItsJSONEvents(format: Format) throws {
        let json = try FeatureDecoder(spec: EventFormatFixtures.demoSpec)
        let schemas: EventSchemas
        switch format {
        case .avro:
            schemas = .localAvro(FraudEventAvro.schema)
        case .protobuf:
            let descriptors = try [UInt8](Data(contentsOf: packageRoot.appendingPathComponent("config/demo-events.desc")))
            schemas = .localProtobuf(descriptorSet: descriptors, message: FraudEventProtobuf.message)
        }
        let decoder = EventDecoder(json: json, schemas: schemas)
        var generator = FraudEventGenerator(seed: 11, malformedEvery: 97)
        var event: [UInt8] = []
        var key: [UInt8] = []
        var compared = 0
        for _ in 0..<3_000 {
            let kind = generator.next(event: &event, key: &key)
            let payload = format == .avro ? FraudEventAvro.record(ofJSON: event) : FraudEventProtobuf.message(ofJSON: event)
            guard kind == .valid else {
                #expect(payload == nil, "a malformed event has no record: \(String(decoding: event, as: UTF8.self))")
                continue
            }
            let row = try decoder.row(try #require(payload))
            var jsonRow = [Float](repeating: .nan, count: json.width)
            try event.withUnsafeBytes { payload in try jsonRow.withUnsafeMutableBufferPointer { try json.decode(payload, into: $0) } }
            #expect(row.map(\.bitPattern) == jsonRow.map(\.bitPattern))
            compared += 1
        }
        #expect(compared == 3_000 - generator.malformedCount)
        #expect(generator.malformedCount == 30)
    }

    @Test func theProtobufSchemaTheGeneratorRegistersIsTheOneInConfig() throws {
        let file = try String(contentsOf: packageRoot.appendingPathComponent("config/demo-events.proto"), encoding: .utf8)
        let declarations = file.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("//") }.joined(separator: "\n")
        #expect(declarations.trimmingCharacters(in: .whitespacesAndNewlines) == FraudEventProtobuf.schema)
    }

    @Test func theGeneratorsDecimalsAreReadAsSwiftParsesThem() throws {
        var random = SplitMix64(seed: 3)
        for _ in 0..<20_000 {
            let value = (random.uniform() - 0.5) * pow(10, Double(Int(random.next() % 12)))
            let text = String(format: "%.\(Int(random.next() % 7))f", value)
            let fields = try #require(GeneratedEventFields(json: Array(#"{"n":\#(text)}"#.utf8)))
            guard case .number(let read) = fields["n"] else { Issue.record("\(text) not read"); continue }
            #expect(read.bitPattern == Double(text)!.bitPattern, "\(text)")
        }
    }
}
