import CRdKafka

/// The broker's verdict on one sent message, carrying the token the caller gave to
/// ``KafkaProducer/send(to:partition:key:value:headers:token:)`` so it can tell which of its inputs
/// the message belonged to.
///
/// Every message sent gets exactly one report: acknowledged, or failed after librdkafka gave up.
/// A delivered message's report is a few plain integers, so collecting one per message costs no
/// allocation; a failed one also carries a copy of the message, to send again.
///
/// The producer is idempotent by default, so librdkafka itself retries retriable broker errors
/// until `message.timeout.ms`: a retriable failure reaching a report is then usually
/// ``KafkaError/Code/messageTimedOut``, and a non-retriable one the broker's verdict.
public struct KafkaDeliveryReport: Sendable {
    /// The caller's token, as given to `send`.
    public var token: UInt64
    /// The partition the message was written to (or was meant for, when it failed).
    public var partition: Int32
    /// The message's offset in its partition, when acknowledged (`-1001` when unknown).
    public var offset: Int64
    /// A copy of the message, exactly when it was not delivered, for ``KafkaProducer/send(_:)``.
    public private(set) var undeliveredMessage: KafkaUndeliveredMessage?
    private var errorCode: rd_kafka_resp_err_t

    init(token: UInt64, partition: Int32, offset: Int64, errorCode: rd_kafka_resp_err_t, undeliveredMessage: KafkaUndeliveredMessage? = nil) {
        self.token = token
        self.partition = partition
        self.offset = offset
        self.errorCode = errorCode
        self.undeliveredMessage = undeliveredMessage
    }

    /// A report made by a stand-in for librdkafka (an in-memory sink in tests): delivered when
    /// `error` is `nil`, otherwise failed with that code and carrying `undeliveredMessage`.
    public init(token: UInt64, partition: Int32, offset: Int64, error: KafkaError.Code?, undeliveredMessage: KafkaUndeliveredMessage? = nil) {
        self.init(
            token: token, partition: partition, offset: offset, errorCode: error?.rdKafkaValue ?? RD_KAFKA_RESP_ERR_NO_ERROR,
            undeliveredMessage: undeliveredMessage
        )
    }

    /// Whether the broker acknowledged the message.
    public var isDelivered: Bool { errorCode == RD_KAFKA_RESP_ERR_NO_ERROR }

    /// `nil` when the broker acknowledged the message; otherwise why it was not delivered.
    public var error: KafkaError? {
        KafkaError(checking: errorCode, "message for partition \(partition) not delivered")
    }
}

/// What became of a message handed to ``KafkaProducer/send(to:partition:key:value:headers:token:)``.
public enum KafkaSendOutcome: Sendable, Equatable {
    /// librdkafka holds the message; its ``KafkaDeliveryReport`` will follow.
    case enqueued
    /// The producer's queue is full and the message was **not** taken: serve delivery reports
    /// (``KafkaProducer/pollDeliveryReports(timeout:_:)``) and send it again. Nothing is dropped.
    case queueFull
}
