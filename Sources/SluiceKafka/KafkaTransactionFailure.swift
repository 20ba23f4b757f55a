import CRdKafka

/// Why a transactional call of ``KafkaProducer`` failed, sorted by what the caller must do next,
/// as librdkafka's transaction API classifies it.
public enum KafkaTransactionFailure: Error, Sendable, CustomStringConvertible {
    /// The transaction cannot commit but the producer is sound: call
    /// ``KafkaProducer/abortTransaction(timeout:)``, rewind the input to its last committed
    /// offsets and redo the work.
    case abortable(KafkaError)
    /// The producer can no longer be used: it was fenced by a newer producer with the same
    /// `transactional.id`, or hit another fatal error. Its open transaction is aborted by the
    /// brokers; stop without committing anything else.
    case fatal(KafkaError)
    /// The call did not finish in time (or met a passing condition); the same call may be made
    /// again.
    case retriable(KafkaError)

    /// The underlying error.
    public var error: KafkaError {
        switch self {
        case .abortable(let error), .fatal(let error), .retriable(let error): error
        }
    }

    public var description: String {
        switch self {
        case .abortable(let error): "transaction must be aborted: \(error)"
        case .fatal(let error): "transactional producer unusable: \(error)"
        case .retriable(let error): "transactional call may be retried: \(error)"
        }
    }

    /// Classifies and destroys a librdkafka `rd_kafka_error_t`.
    init(consuming error: OpaquePointer, _ context: String, file: String = #fileID, line: UInt = #line) {
        let isFatal = rd_kafka_error_is_fatal(error) != 0
        let requiresAbort = rd_kafka_error_txn_requires_abort(error) != 0
        let isRetriable = rd_kafka_error_is_retriable(error) != 0
        let kafkaError = KafkaError(consuming: error, context, file: file, line: line)
        if isFatal {
            self = .fatal(kafkaError)
        } else if requiresAbort {
            self = .abortable(kafkaError)
        } else if isRetriable {
            self = .retriable(kafkaError)
        } else {
            // librdkafka marks every recoverable transactional error as abortable or retriable;
            // anything else (a call in the wrong state) leaves the transaction unusable.
            self = .fatal(kafkaError)
        }
    }
}

extension KafkaError.Code {
    /// Broker: the producer's epoch is older than its transactional id's: a newer producer with
    /// the same id fenced it.
    public static let invalidProducerEpoch = KafkaError.Code(RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH)
}

extension KafkaRequestKind {
    public static let addPartitionsToTransaction = KafkaRequestKind(rawValue: 24)
    public static let addOffsetsToTransaction = KafkaRequestKind(rawValue: 25)
    public static let endTransaction = KafkaRequestKind(rawValue: 26)
    public static let transactionOffsetCommit = KafkaRequestKind(rawValue: 28)
}
