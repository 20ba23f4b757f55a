import SluiceKafka

/// Why a ``Processor`` could not start or had to stop. Offsets are never committed past the work
/// concerned, so a restarted processor takes it up again.
///
/// A failure caused by another error keeps it (``cause``): a broker's refusal stays a
/// ``KafkaError`` with its code and whether it was retriable or fatal (``kafkaError``).
public enum ProcessorError: Error, Sendable, CustomStringConvertible {
    /// The `features:` spec makes rows of a different width than the model takes.
    case featureCountMismatch(features: Int, model: String, modelFeatures: Int)
    /// `features:` does not fit the model's inputs (names, element types or shapes).
    case inputMapping(String)
    /// The configured delivery mode is not available yet.
    case unsupportedDelivery(SluiceConfiguration.Delivery)
    /// An input topic is listed twice in `input.topics`.
    case duplicateInputTopic(String)
    /// The broker did not take an output (of topic `output`) of input `topic[partition]@offset`,
    /// even after the producer's own retries and `resends` more sends: the error was not
    /// retriable, or the ``DeliveryRetryPolicy`` was exhausted.
    case deliveryFailed(output: String, topic: String, partition: Int32, offset: Int64, resends: Int, cause: KafkaError)
    /// The broker refused an output (of topic `output`) of input `topic[partition]@offset` for
    /// good (too large, a topic that does not exist, not authorised), and `outputs.on_rejected`
    /// says to stop, or the dead letter standing in for it was refused too.
    case outputRejected(output: String, topic: String, partition: Int32, offset: Int64, cause: KafkaError)
    /// The model failed on a batch (for example NaN features a model cannot handle).
    case predictionFailed(batch: BatchID, rows: Int, cause: any Error)
    /// Outputs were still unacknowledged when the shutdown (or a revoke) ran out of time.
    case deliveriesTimedOut(inFlight: Int, after: Duration)

    public var description: String {
        switch self {
        case .featureCountMismatch(let features, let model, let modelFeatures):
            "features: the spec makes rows of \(features) floats, but model '\(model)' takes \(modelFeatures)"
        case .inputMapping(let problem):
            problem
        case .unsupportedDelivery(let delivery):
            "delivery: '\(delivery.rawValue)' is not available yet; use 'at_least_once'"
        case .duplicateInputTopic(let topic):
            "input.topics: '\(topic)' is listed twice"
        case .deliveryFailed(let output, let topic, let partition, let offset, let resends, let cause):
            "the \(output) record of \(topic)[\(partition)]@\(offset) was not delivered (sent again \(resends) times): \(cause)"
        case .outputRejected(let output, let topic, let partition, let offset, let cause):
            "topic '\(output)' refused the record of \(topic)[\(partition)]@\(offset) for good: \(cause). For a record too large, raise "
                + "the topic's max.message.bytes and kafka.properties.message.max.bytes; for a missing topic or a denied write, create it "
                + "or grant the write; outputs.on_rejected: dead_letter sends such an event to the dead-letter topic instead of stopping"
        case .predictionFailed(let batch, let rows, let cause):
            "the model failed on batch \(batch) (\(rows) rows): \(cause)"
        case .deliveriesTimedOut(let inFlight, let after):
            "\(inFlight) events still awaited their outputs' acknowledgements after \(after); their offsets stay uncommitted"
        }
    }

    /// The error that caused this one, if another did.
    public var cause: (any Error)? {
        switch self {
        case .deliveryFailed(_, _, _, _, _, let cause), .outputRejected(_, _, _, _, let cause): cause
        case .predictionFailed(_, _, let cause): cause
        case .featureCountMismatch, .inputMapping, .unsupportedDelivery, .duplicateInputTopic, .deliveriesTimedOut: nil
        }
    }

    /// The broker's or the client's error behind this one (its code, and whether retrying could
    /// help or the client is unusable), if a Kafka error caused it.
    public var kafkaError: KafkaError? { cause as? KafkaError }
}
