import SluicePipeline

/// How ``FraudEventProducer`` encodes the demo's events.
public enum FraudEventFormat: Sendable {
    /// As ``FraudEventGenerator`` writes them.
    case json
    /// Avro records of ``FraudEventAvro/schema``: in the Schema Registry wire format with this
    /// schema id, or bare with `nil`. A malformed event becomes a truncated record.
    case avro(schemaID: Int32?)
    /// Protobuf messages of ``FraudEventProtobuf/schema``: in the Schema Registry wire format with
    /// this schema id (message index 0), or bare with `nil`. A malformed event becomes a
    /// truncated message.
    case protobuf(schemaID: Int32?)

    /// Lends `json`, in this format, to `body`.
    func withValue<R>(ofJSON json: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        // 0xFF alone is a varint cut short: the processor's malformed_payload.
        let value: [UInt8]
        switch self {
        case .json:
            return try body(json)
        case .avro(let schemaID):
            let record = FraudEventAvro.record(ofJSON: Array(json)) ?? [0xFF]
            value = schemaID.map { ConfluentFraming.frame(schemaID: $0, body: record) } ?? record
        case .protobuf(let schemaID):
            let message = FraudEventProtobuf.message(ofJSON: Array(json)) ?? [0xFF]
            value = schemaID.map { ConfluentFraming.frame(schemaID: $0, messageIndexes: [0], body: message) } ?? message
        }
        return try value.withUnsafeBytes(body)
    }
}
