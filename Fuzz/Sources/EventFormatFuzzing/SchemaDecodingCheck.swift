import Foundation
import SluicePipeline

/// What the Avro and Protobuf fuzz targets check of one input, the same for both formats.
public enum SchemaDecodingCheck {
    /// The classes schema-driven decoding may fail with, given a schema whose fields fit the features.
    public static let classes: Set<FeatureDecodingError.Kind> = [.malformedPayload, .missingFeature, .wrongLength, .outOfRange]

    /// The fixture file `name` of Tests/Fixtures/EventFormats.
    public static func fixture(_ name: String) -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Tests/Fixtures/EventFormats/\(name)")
        return try! [UInt8](Data(contentsOf: url))
    }

    /// The demo's features and a field of the fixtures' nested record or message.
    public static let spec = FeatureSpec([
        .init(path: "amount"), .init(path: "features", length: 16), .init(path: "merchant_risk", defaultValue: 0),
        .init(path: "hour"), .init(path: "account_age_days"), .init(path: "device.trusted", defaultValue: -1),
    ])

    /// Runs `decode` on the `count`-byte input into `row`: it must return; a decoded row has
    /// every column a finite number, and an error is of one of ``classes``, at an offset inside
    /// the payload, with a one-line message. Anything else traps, which libFuzzer reports.
    public static func check(count: Int, row: UnsafeMutableBufferPointer<Float>, _ decode: () throws(FeatureDecodingError) -> Void) {
        do throws(FeatureDecodingError) {
            try decode()
            precondition(row.allSatisfy(\.isFinite), "a decoded row with a column that is not a finite number")
        } catch {
            precondition(classes.contains(error.kind), "undocumented class \(error.kind)")
            precondition((0...count).contains(error.offset), "offset \(error.offset) outside a payload of \(count) bytes")
            precondition(!error.detail.isEmpty && !error.message.contains("\n"), "a detail that is not one line: \(error.detail)")
        }
    }
}
