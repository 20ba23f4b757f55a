/// A ``FeatureSpec`` that cannot be compiled into a decoder: which feature, and why.
public struct FeatureSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The index of the offending feature in the spec.
    public var featureIndex: Int
    /// The feature's field at fault (`path`, `length` or `default`).
    public var field: String
    /// What is wrong.
    public var detail: String

    public init(featureIndex: Int, field: String, detail: String) {
        self.featureIndex = featureIndex
        self.field = field
        self.detail = detail
    }

    public var description: String { "features[\(featureIndex)].\(field): \(detail)" }
}
