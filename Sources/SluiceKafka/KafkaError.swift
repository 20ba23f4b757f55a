import CRdKafka

/// The one error type of SluiceKafka: librdkafka's error code and name, a readable message, and
/// whether retrying can help or the client is unusable.
///
/// A `KafkaError` also records the Swift file and line that made it, so a log line leads to the
/// call that failed.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// librdkafka's error code (`rd_kafka_resp_err_t`): negative values are librdkafka's own
    /// (`_QUEUE_FULL`, `_TIMED_OUT`, …), positive values are Kafka protocol errors.
    public var code: Code
    /// A readable explanation naming what failed (the property, topic or request).
    public var message: String
    /// Whether the same operation may succeed when retried.
    public var isRetriable: Bool
    /// Whether the client that raised it can no longer be used and must be recreated.
    public var isFatal: Bool
    /// The Swift file that made the error.
    public var file: String
    /// The line in `file` that made the error.
    public var line: UInt

    /// Makes an error from a librdkafka code and a message.
    public init(
        code: Code,
        message: String,
        isRetriable: Bool = false,
        isFatal: Bool = false,
        file: String = #fileID,
        line: UInt = #line
    ) {
        self.code = code
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
        self.file = file
        self.line = line
    }

    /// librdkafka's symbolic name for `code`, such as `"_QUEUE_FULL"` or `"UNKNOWN_TOPIC_OR_PART"`.
    public var name: String { code.name }

    public var description: String {
        var text = "KafkaError(\(name)): \(message)"
        if isFatal { text += " [fatal]" } else if isRetriable { text += " [retriable]" }
        return text
    }
}

extension KafkaError {
    /// A librdkafka error code (`rd_kafka_resp_err_t`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The raw `rd_kafka_resp_err_t` value.
        public var rawValue: Int32

        public init(rawValue: Int32) { self.rawValue = rawValue }

        init(_ error: rd_kafka_resp_err_t) { self.rawValue = error.rawValue }

        var rdKafkaValue: rd_kafka_resp_err_t { rd_kafka_resp_err_t(rawValue: rawValue) }

        /// librdkafka's symbolic name for the code.
        public var name: String { String(cString: rd_kafka_err2name(rdKafkaValue)) }
        /// librdkafka's human-readable description of the code.
        public var summary: String { String(cString: rd_kafka_err2str(rdKafkaValue)) }
        public var description: String { name }

        /// Local: the producer's queue is full; poll delivery reports and try again.
        public static let queueFull = Code(RD_KAFKA_RESP_ERR__QUEUE_FULL)
        /// Local: the operation timed out.
        public static let timedOut = Code(RD_KAFKA_RESP_ERR__TIMED_OUT)
        /// Local: a message was not delivered within `message.timeout.ms`.
        public static let messageTimedOut = Code(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)
        /// Local: an invalid argument or configuration value.
        public static let invalidArgument = Code(RD_KAFKA_RESP_ERR__INVALID_ARG)
        /// Local: all brokers are down.
        public static let allBrokersDown = Code(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
        /// Local: a fatal error was raised; the client must be recreated.
        public static let fatal = Code(RD_KAFKA_RESP_ERR__FATAL)
        /// Broker: the topic or partition does not exist.
        public static let unknownTopicOrPartition = Code(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
        /// Broker: the topic already exists.
        public static let topicAlreadyExists = Code(RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
        /// Broker: not enough in-sync replicas to accept the write.
        public static let notEnoughReplicas = Code(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS)
        /// Broker: the broker is not the partition's leader.
        public static let notLeaderForPartition = Code(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION)
        /// Broker: the partition has no leader at the moment (for example during an election).
        public static let leaderNotAvailable = Code(RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE)
        /// Broker: the request timed out on the broker.
        public static let requestTimedOut = Code(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT)
        /// Broker: the message is larger than the topic accepts.
        public static let messageTooLarge = Code(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
        /// Local: the message was dropped before it was sent (a purge, an aborted transaction).
        public static let purgedInQueue = Code(RD_KAFKA_RESP_ERR__PURGE_QUEUE)
        /// Local: the message was dropped while its request was in flight (a purge, an aborted
        /// transaction); the broker may have written it.
        public static let purgedInFlight = Code(RD_KAFKA_RESP_ERR__PURGE_INFLIGHT)
        /// Local: the operation is not allowed in the client's state (a transactional producer
        /// whose transaction can only abort takes no more records).
        public static let invalidState = Code(RD_KAFKA_RESP_ERR__STATE)
        /// Broker: the record failed the broker's validation; not retriable.
        public static let invalidRecord = Code(RD_KAFKA_RESP_ERR_INVALID_RECORD)
    }
}

extension KafkaError {
    /// Makes an error from a `rd_kafka_resp_err_t` and context naming the failed operation.
    init(_ error: rd_kafka_resp_err_t, _ context: String, file: String = #fileID, line: UInt = #line) {
        let code = Code(error)
        self.init(
            code: code,
            message: "\(context): \(code.summary)",
            isRetriable: code.isRetriableByNature,
            isFatal: error == RD_KAFKA_RESP_ERR__FATAL,
            file: file,
            line: line
        )
    }

    /// Takes ownership of `error`, destroys it, and returns its Swift face.
    init(consuming error: OpaquePointer, _ context: String, file: String = #fileID, line: UInt = #line) {
        defer { rd_kafka_error_destroy(error) }
        self.init(
            code: Code(rd_kafka_error_code(error)),
            message: "\(context): \(String(cString: rd_kafka_error_string(error)))",
            isRetriable: rd_kafka_error_is_retriable(error) != 0,
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            file: file,
            line: line
        )
    }

    /// The fatal error raised on `client`, or `nil` when the client is healthy.
    static func fatal(on client: RDKafkaClient, file: String = #fileID, line: UInt = #line) -> KafkaError? {
        let (code, reason) = withRDKafkaReason { rd_kafka_fatal_error(client.handle, $0, $1) }
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return KafkaError(
            code: Code(code),
            message: "fatal error: \(reason)",
            isFatal: true,
            file: file,
            line: line
        )
    }
}

extension KafkaError.Code {
    /// Codes that describe a passing condition, for errors made from a bare code without
    /// librdkafka's `rd_kafka_error_t` verdict.
    var isRetriableByNature: Bool {
        switch self {
        case .queueFull, .timedOut, .allBrokersDown, .notLeaderForPartition, .leaderNotAvailable, .requestTimedOut,
            .notEnoughReplicas, .messageTimedOut:
            true
        default:
            false
        }
    }
}
