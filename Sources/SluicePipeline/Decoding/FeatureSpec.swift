import SluiceKernels

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
        /// The value used when a feature of a string input is missing, as ``defaultValue`` is for
        /// numbers.
        public var defaultString: String?

        public init(path: String, length: Int? = nil, defaultValue: Float? = nil, defaultString: String? = nil) {
            self.path = path
            self.length = length
            self.defaultValue = defaultValue
            self.defaultString = defaultString
        }

        /// The default as a column value, if the feature has one.
        var defaultInputValue: InputValue? {
            if let defaultString { return .string(defaultString) }
            return defaultValue.map { .number(Double($0)) }
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

/// One model input and the event fields that fill it, in the input's row order.
public struct InputSpec: Sendable, Hashable {
    /// The model input's name.
    public var name: String
    /// The input's element type: numbers convert to it, strings stay strings.
    public var elementType: ElementType
    /// The input's dimensions after the batch dimension (`[3]` for `[N, 3]`); `nil` for
    /// `[features.width]`. Its elements must be as many as the features' columns.
    public var rowShape: [Int]?
    /// The fields, in the input's row order.
    public var features: FeatureSpec

    public init(name: String, elementType: ElementType = .float, rowShape: [Int]? = nil, features: FeatureSpec) {
        self.name = name
        self.elementType = elementType
        self.rowShape = rowShape
        self.features = features
    }
}
