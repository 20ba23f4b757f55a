import Foundation
@testable import SluicePipeline

/// Tests/Fixtures/EventFormats, made by Tests/Generators/make_event_format_fixtures.py with
/// fastavro: the same 64 demo events as JSON and as Avro under three writer schemas, and
/// malformed Avro events with the class each must be dead-lettered with.
enum EventFormatFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/EventFormats")

    struct MalformedCase {
        var errorClass: String
        var schemaID: Int32
        var payload: [UInt8]
        var what: String
    }

    /// The demo's features (config/demo.yaml).
    static let demoSpec = FeatureSpec([
        .init(path: "amount"), .init(path: "features", length: 16), .init(path: "merchant_risk", defaultValue: 0),
        .init(path: "hour"), .init(path: "account_age_days"),
    ])
    /// The row column of `merchant_risk`, which the v0 writer lacks.
    static let merchantRiskColumn = 17

    static func text(_ name: String) -> String {
        try! String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func lines(_ name: String) -> [String] {
        text(name).split(separator: "\n").map(String.init)
    }

    static var jsonEvents: [[UInt8]] { lines("events.jsonl").map { Array($0.utf8) } }

    /// `events-v1.hex` and the like: bare Avro records.
    static func avroEvents(_ name: String) -> [[UInt8]] { lines(name).map(bytes(hex:)) }

    static var malformed: [MalformedCase] {
        lines("malformed.tsv").map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return MalformedCase(errorClass: fields[0], schemaID: Int32(fields[1])!, payload: bytes(hex: fields[2]), what: fields[3])
        }
    }

    /// The schemas the test registry serves, by id (registry.tsv).
    static var registrySchemas: [Int32: (type: String?, text: String)] {
        var schemas: [Int32: (type: String?, text: String)] = [:]
        for line in lines("registry.tsv") {
            let fields = line.split(separator: "\t")
            schemas[Int32(fields[0])!] = (nil, text(String(fields[1])))
        }
        return schemas
    }

    static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    /// The rows `decode` makes of `payloads`, or the failure of each that fails.
    static func rows(_ payloads: [[UInt8]], width: Int, _ decode: (UnsafeRawBufferPointer, UnsafeMutableBufferPointer<Float>) throws -> Void) -> [Result<[Float], any Error>] {
        payloads.map { payload in
            var row = [Float](repeating: -1, count: width)
            do {
                try payload.withUnsafeBytes { bytes in try row.withUnsafeMutableBufferPointer { try decode(bytes, $0) } }
                return .success(row)
            } catch {
                return .failure(error)
            }
        }
    }
}

extension EventDecoder {
    /// Decodes `payload` into a fresh row of floats, for tests of a layout of floats alone.
    func row(_ payload: [UInt8]) throws(Failure) -> [Float] {
        Array(try rows([payload]).floats.prefix(layout.lanes.float))
    }

    /// Decodes `payloads` into consecutive rows of the model's inputs; throws the first failure.
    func rows(_ payloads: [[UInt8]]) throws(Failure) -> InputRows {
        var rows = InputRows(layout: layout, capacity: max(payloads.count, 1))
        for (index, payload) in payloads.enumerated() {
            var failure: Failure?
            payload.withUnsafeBytes { bytes in
                do throws(Failure) {
                    try rows.withRow(index) { (writer) throws(Failure) in try decode(bytes, into: writer) }
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
        }
        return rows
    }
}
