import Foundation

/// What an audit record says about one prediction, read back for ``AuditVerifier``: the input it
/// came from (with the payload's SHA-256), the model that scored it, and the SHA-256 of the
/// decoded feature row. Other fields of the record are not needed to replay it.
public struct AuditedPrediction: Sendable, Hashable, Decodable {
    /// The input record an audit record names.
    public struct Input: Sendable, Hashable, Decodable {
        public var topic: String
        public var partition: Int32
        public var offset: Int64
        /// SHA-256 of the input payload, 64 lower-case hex digits.
        public var sha256: String
    }

    /// The model an audit record names.
    public struct Model: Sendable, Hashable, Decodable {
        public var name: String
        public var version: String
        /// SHA-256 of the model file.
        public var sha256: String
    }

    public var predictionID: String
    public var input: Input
    public var model: Model
    /// SHA-256 of the decoded feature row.
    public var featuresSHA256: String

    enum CodingKeys: String, CodingKey {
        case predictionID = "prediction_id"
        case input, model
        case featuresSHA256 = "features_sha256"
    }

    /// Reads an audit record's value.
    ///
    /// - Throws: `DecodingError` when the value is not an audit record.
    public init(record value: [UInt8]) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(value))
    }
}
