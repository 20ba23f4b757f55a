/// Why an event goes to the dead-letter topic: the `sluice-error-class` value, stable for alerting
/// and dashboards, and the `sluice-error-message` text for a human.
public struct DeadLetterReason: Sendable, Hashable, CustomStringConvertible {
    /// Every class of dead letter: the decoding errors' kinds, then the outcomes that only show
    /// after decoding.
    public enum Class: Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// The event could not be decoded: `invalid_json`, `missing_feature`, `wrong_type`,
        /// `wrong_length` or `out_of_range`, the kind's name (``FeatureDecodingError/Kind``).
        case decoding(FeatureDecodingError.Kind)
        /// `non_finite_output`: the model's output for the event is NaN or infinite. No
        /// prediction is written, since JSON has no number for it and a `null` would pass for a
        /// score.
        case nonFiniteOutput
        /// `output_rejected`: the broker refused the event's prediction or audit record for good
        /// (too large for its topic, a topic that does not exist, not authorised).
        case outputRejected

        public static var allCases: [Class] {
            FeatureDecodingError.Kind.allCases.map(Class.decoding) + [.nonFiniteOutput, .outputRejected]
        }

        /// The `sluice-error-class` value.
        public var name: String {
            switch self {
            case .decoding(let kind): kind.rawValue
            case .nonFiniteOutput: "non_finite_output"
            case .outputRejected: "output_rejected"
            }
        }

        public var description: String { name }
    }

    /// The class, in the `sluice-error-class` header.
    public var errorClass: Class
    /// What went wrong, in the `sluice-error-message` header: always `where: what`.
    public var message: String

    public init(_ errorClass: Class, message: String) {
        self.errorClass = errorClass
        self.message = message
    }

    /// A decoding error's class, and its message: the feature path, the problem and the byte
    /// offset.
    public init(_ error: FeatureDecodingError) {
        self.init(.decoding(error.kind), message: error.message)
    }

    /// Element `element` (`nil` for a scalar) of the model output named `output` is `value`,
    /// which is NaN or infinite: e.g. `probabilities[1]: nan is not a finite number`.
    public static func nonFiniteOutput(output: String, element: Int?, value: Double) -> DeadLetterReason {
        let location = element.map { "\(output)[\($0)]" } ?? output
        return DeadLetterReason(.nonFiniteOutput, message: "\(location): \(value) is not a finite number")
    }

    /// The broker refused the event's record for `topic` for good, saying `reason`: e.g.
    /// `predictions: Broker: Message size too large`.
    public static func outputRejected(topic: String, reason: String) -> DeadLetterReason {
        DeadLetterReason(.outputRejected, message: "\(topic): \(reason)")
    }

    public var description: String { "\(errorClass.name): \(message)" }
}
