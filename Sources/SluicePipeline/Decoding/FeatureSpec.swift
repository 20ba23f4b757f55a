/// The ordered features that make a model's float input row, read from each JSON event.
///
/// Features are laid out in the row in the order given; a feature with a ``Feature/length`` takes
/// that many consecutive columns (a JSON array expanded in place), every other feature one column.
public struct FeatureSpec: Sendable, Hashable {
    /// One feature: where it is in the event, how many columns it fills and what replaces it when
    /// it is missing.
    public struct Feature: Sendable, Hashable {
        /// The dotted path into nested objects, e.g. `card.risk.score`. A key that itself contains
        /// a dot cannot be addressed.
        public var path: String
        /// For a JSON array of numbers: its exact length, expanded into that many columns.
        /// `nil` for a single number or boolean.
        public var length: Int?
        /// The value used when the field is absent or `null` (for arrays: per missing or `null`
        /// element, and for every element of an absent array). `nil` sends such an event to the
        /// dead-letter topic.
        public var defaultValue: Float?

        public init(path: String, length: Int? = nil, defaultValue: Float? = nil) {
            self.path = path
            self.length = length
            self.defaultValue = defaultValue
        }

        /// The number of row columns this feature fills.
        public var width: Int { length ?? 1 }

        /// The path's keys, outermost first.
        public var keys: [Substring] { path.split(separator: ".", omittingEmptySubsequences: false) }
    }

    /// The features, in row order.
    public var features: [Feature]

    public init(_ features: [Feature]) {
        self.features = features
    }

    /// The row's width: the number of floats one event decodes into.
    public var width: Int { features.reduce(0) { $0 + $1.width } }
}
