/// Why an event could not be decoded into a feature row. Such an event goes to the dead-letter
/// topic with ``errorClass`` in the `sluice-error-class` header and ``message`` in
/// `sluice-error-message`.
public struct FeatureDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem, stable for alerting and dashboards.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The payload is not one well-formed JSON value (RFC 8259).
        case invalidJSON = "invalid_json"
        /// A feature without a default is absent or `null`.
        case missingFeature = "missing_feature"
        /// A feature (or a path's parent) has a JSON type the spec cannot use, e.g. a string where
        /// a number is expected, or the event is not a JSON object.
        case wrongType = "wrong_type"
        /// An array feature has a different number of elements than its `length`.
        case wrongLength = "wrong_length"
        /// A feature is a number beyond `Float`'s range: rounded to the nearest `Float`, its
        /// magnitude would be infinite (it is at least 2^128 − 2^103 ≈ 3.40282357e38), e.g. `1e39`,
        /// `-1e400` or a 400-digit integer. Tiny magnitudes round to zero and are accepted.
        case outOfRange = "out_of_range"
        /// An Avro or Protobuf event lacks the Schema Registry framing: shorter than its header,
        /// a magic byte other than 0, or an unusable Protobuf message-index list.
        case invalidWireFormat = "invalid_wire_format"
        /// The Schema Registry has no schema with the event's id, or the schema it has cannot be
        /// read (not valid Avro, or no such Protobuf message).
        case unknownSchema = "unknown_schema"
        /// The bytes of an Avro or Protobuf event do not match its writer schema: truncated, an
        /// invalid varint or union branch, a length beyond the payload, or bytes left over.
        case malformedPayload = "malformed_payload"
    }

    /// The kind of problem.
    public var kind: Kind
    /// The feature path concerned (`features[3]` for an array element), or `$` for the whole event.
    public var path: String
    /// The byte offset into the payload where the problem was found.
    public var offset: Int
    /// What is wrong, for a human.
    public var detail: String

    public init(_ kind: Kind, path: String, offset: Int, detail: String) {
        self.kind = kind
        self.path = path
        self.offset = offset
        self.detail = detail
    }

    /// The value of the `sluice-error-class` header.
    public var errorClass: String { kind.rawValue }

    /// The value of the `sluice-error-message` header: the path, the problem and the byte offset.
    public var message: String { "\(path): \(detail) (at byte \(offset))" }

    public var description: String { "\(errorClass): \(message)" }
}
