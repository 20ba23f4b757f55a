import SluiceKafka

/// A dead letter ready to send, as ``DeadLetterBuilder`` lends it: valid only during the call that
/// receives it.
public struct DeadLetter {
    /// What had to be left out of the input record for the dead letter to fit the topic, in the
    /// order it is given up: the payload's tail, then the input's headers, then the key, and last
    /// the end of the error message. Empty for a whole record.
    public struct Reductions: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// The value is the payload's first bytes only (possibly none); the
        /// `sluice-payload-*` headers describe the whole payload.
        public static let payloadTruncated = Reductions(rawValue: 1 << 0)
        /// None of the input's headers are kept; `sluice-input-headers-dropped` counts them.
        public static let inputHeadersDropped = Reductions(rawValue: 1 << 1)
        /// The input's key is left out; `sluice-key-dropped` says so.
        public static let keyDropped = Reductions(rawValue: 1 << 2)
        /// `sluice-error-message` is cut short, ending with "…".
        public static let messageTruncated = Reductions(rawValue: 1 << 3)
    }

    /// The input's key, or `nil` when it had none or it was dropped.
    public var key: UnsafeRawBufferPointer?
    /// The input's value, or its first bytes when ``Reductions/payloadTruncated``.
    public var value: UnsafeRawBufferPointer
    /// Sluice's headers first, then the input's (reserved names renamed).
    public var headers: [KafkaHeader]
    /// What was left out; empty when the dead letter is the input record whole.
    public var reductions: Reductions
    /// The record's size as ``KafkaRecordSize/bytes(key:value:headers:)`` counts it: at most the
    /// builder's `maxMessageBytes`.
    public var size: Int
}
