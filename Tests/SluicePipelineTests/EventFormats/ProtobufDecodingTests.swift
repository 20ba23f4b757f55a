import Foundation
import Testing
@testable import SluicePipeline

/// Protobuf messages made by the `protobuf` package decode, with their descriptor set, into
/// exactly the rows of the same events as JSON; malformed ones fail with the right class.
@Suite struct ProtobufDecodingTests {
    let json = try! FeatureDecoder(spec: EventFormatFixtures.demoSpec)

    func decoder(_ descriptorSet: String = "fraud.desc", message: String = "sluice.demo.Transaction") throws -> EventDecoder {
        let bytes = try [UInt8](Data(contentsOf: EventFormatFixtures.directory.appendingPathComponent(descriptorSet)))
        return EventDecoder(json: json, schemas: .localProtobuf(descriptorSet: bytes, message: message))
    }

    @Test func theDemoEventsAsProtobufDecodeIntoTheRowsOfTheSameEventsAsJSON() throws {
        // The messages also carry fields the features do not name (a nested message with a map,
        // repeated strings, an enum, sint32 and fixed32), and leave merchant_risk (proto3
        // optional) out where the JSON has null and hour out where it is 0.
        let decoder = try decoder()
        let rows = try EventFormatFixtures.avroEvents("events-proto.hex").map { try decoder.row($0) }
        #expect(rows == (try EventFormatFixtures.jsonEvents.map { try json.decode($0) }))
    }

    @Test func aMessageTypeWithoutADefaultedFeatureSkipsItsFieldAndTakesTheDefault() throws {
        let decoder = try decoder("fraud-without-risk.desc")
        let rows = try EventFormatFixtures.avroEvents("events-proto.hex").map { try decoder.row($0) }
        let expected = try EventFormatFixtures.jsonEvents.map { event in
            var row = try json.decode(event)
            row[EventFormatFixtures.merchantRiskColumn] = 0
            return row
        }
        #expect(rows == expected)
    }

    @Test func everyMalformedMessageFailsWithItsClass() throws {
        let decoder = try decoder()
        for line in EventFormatFixtures.lines("malformed-proto.tsv") {
            let fields = line.split(separator: "\t").map(String.init)
            do {
                _ = try decoder.row(EventFormatFixtures.bytes(hex: fields[1]))
                Issue.record("\(fields[2]): decoded")
            } catch {
                guard case .undecodable(let error) = error else { Issue.record("\(fields[2]): \(error)"); continue }
                #expect(error.errorClass == fields[0], "\(fields[2]): \(error)")
            }
        }
    }

    @Test func aMessageNameTheDescriptorSetLacksIsRefusedNamingTheOnesItHas() throws {
        let bytes = try [UInt8](Data(contentsOf: EventFormatFixtures.directory.appendingPathComponent("fraud.desc")))
        #expect { try ProtobufPlan(descriptorSet: bytes, message: "Transaction", features: try FeatureDecoder(spec: EventFormatFixtures.demoSpec)) } throws: { error in
            "\(error)".contains("no message Transaction") && "\(error)".contains("sluice.demo.Transaction")
        }
    }

    @Test func aStringFieldForAFeatureIsAWrongTypeAndANestedMessageFillsADottedPath() throws {
        let spec = FeatureSpec([.init(path: "currency"), .init(path: "device.trusted", defaultValue: -1)])
        let bytes = try [UInt8](Data(contentsOf: EventFormatFixtures.directory.appendingPathComponent("fraud.desc")))
        let plan = try ProtobufPlan(descriptorSet: bytes, message: "sluice.demo.Transaction", features: try FeatureDecoder(spec: FeatureSpec([spec.features[1]])))
        let events = EventFormatFixtures.avroEvents("events-proto.hex")
        var row: [Float] = [0]
        for (index, event) in events.prefix(4).enumerated() {
            try event.withUnsafeBytes { payload in try row.withUnsafeMutableBufferPointer { try plan.decode(payload, from: 0, into: $0) } }
            #expect(row == [index % 2 == 0 ? 1 : -1], "event \(index): device only in even events, trusted")
        }
        let decoder = EventDecoder(json: try FeatureDecoder(spec: spec), schemas: .localProtobuf(descriptorSet: bytes, message: "sluice.demo.Transaction"))
        #expect { try decoder.row(events[0]) } throws: { error in
            guard case .undecodable(let error) = error as? EventDecoder.Failure else { return false }
            return error.kind == .wrongType && error.path == "currency"
        }
    }
}
