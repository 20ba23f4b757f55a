import CRdKafka

/// The broker's verdict on one sent message, carrying the token the caller gave to
/// ``KafkaProducer/send(to:partition:key:value:headers:token:)`` so it can tell which of its inputs
/// the message belonged to.
///
/// Every message sent gets exactly one report: acknowledged, or failed after librdkafka gave up.
/// A report is a few plain integers, so collecting one per message costs no allocation.
public struct KafkaDeliveryReport: Sendable {
    /// The caller's token, as given to `send`.
    public var token: UInt64
    /// The partition the message was written to (or was meant for, when it failed).
    public var partition: Int32
    /// The message's offset in its partition, when acknowledged (`-1001` when unknown).
    public var offset: Int64
    /// The message's topic when it failed; `nil` when acknowledged, as naming it costs a string.
    public var failedTopic: String?
    private var errorCode: rd_kafka_resp_err_t

    init(token: UInt64, partition: Int32, offset: Int64, errorCode: rd_kafka_resp_err_t, failedTopic: String? = nil) {
        self.token = token
        self.partition = partition
        self.offset = offset
        self.errorCode = errorCode
        self.failedTopic = failedTopic
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
