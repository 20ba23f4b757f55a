import SluicePipeline

/// How ``FraudEventProducer`` encodes the demo's events.
public enum FraudEventFormat: Sendable {
    /// As ``FraudEventGenerator`` writes them.
    case json
    /// Avro records of ``FraudEventAvro/schema``: in the Schema Registry wire format with this
    /// schema id, or bare with `nil`. A malformed event becomes a truncated record.
    case avro(schemaID: Int32?)

    /// Lends `json`, in this format, to `body`.
    func withValue<R>(ofJSON json: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard case .avro(let schemaID) = self else { return try body(json) }
        // 0xFF alone is a varint cut short: the processor's malformed_payload.
        let record = FraudEventAvro.record(ofJSON: Array(json)) ?? [0xFF]
        let value = schemaID.map { ConfluentFraming.frame(schemaID: $0, body: record) } ?? record
        return try value.withUnsafeBytes(body)
    }
}
