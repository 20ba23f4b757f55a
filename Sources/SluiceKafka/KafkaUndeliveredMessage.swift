import CRdKafka

/// A copy of a message the broker did not take, carried by its failed ``KafkaDeliveryReport`` so
/// that the caller can send it again with ``KafkaProducer/send(_:)`` after the producer's own
/// retries gave up. Only failed reports carry one, so delivered messages cost no copy.
public final class KafkaUndeliveredMessage: Sendable {
    /// The topic it was sent to.
    public let topic: String
    /// The partition it was meant for, or `nil` when none was chosen before it failed.
    public let partition: Int32?
    /// The key's bytes, or `nil` for a message without a key.
    public let key: [UInt8]?
    /// The value's bytes, or `nil` for a null value.
    public let value: [UInt8]?
    /// The headers in order, each value `nil` when null.
    public let headers: [(name: String, value: [UInt8]?)]
    /// The caller's token, as given to `send`.
    public let token: UInt64
    /// Whether the broker may have written the message despite the failure (it was in flight
    /// when it failed): sending it again may then duplicate it.
    public let isPossiblyPersisted: Bool

    /// A message that a stand-in for librdkafka did not deliver (an in-memory sink in tests).
    public init(
        topic: String,
        partition: Int32?,
        key: [UInt8]?,
        value: [UInt8]?,
        headers: [(name: String, value: [UInt8]?)],
        token: UInt64,
        isPossiblyPersisted: Bool = false
    ) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.token = token
        self.isPossiblyPersisted = isPossiblyPersisted
    }

    /// Copies a failed message out of its delivery report.
    init(copying message: UnsafePointer<rd_kafka_message_t>) {
        topic = String(cString: rd_kafka_topic_name(message.pointee.rkt))
        partition = message.pointee.partition >= 0 ? message.pointee.partition : nil
        key = message.pointee.key.map { Array(UnsafeRawBufferPointer(start: $0, count: message.pointee.key_len)) }
        value = message.pointee.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: message.pointee.len)) }
        var headers: [(name: String, value: [UInt8]?)] = []
        var list: OpaquePointer?
        if rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list {
            var index = 0
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                headers.append((String(cString: name!), value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }))
                index += 1
            }
        }
        self.headers = headers
        token = UInt64(UInt(bitPattern: message.pointee._private))
        isPossiblyPersisted = rd_kafka_message_status(message) != RD_KAFKA_MSG_STATUS_NOT_PERSISTED
    }
}

extension KafkaProducer {
    /// Sends a message the broker did not take once more, with its token, to the partition it was
    /// meant for (so keyed order stays per partition); its new ``KafkaDeliveryReport`` follows as
    /// for any send.
    ///
    /// - Returns: ``KafkaSendOutcome/enqueued``, or ``KafkaSendOutcome/queueFull`` when it was not
    ///   taken and must be sent again after serving delivery reports.
    /// - Throws: ``KafkaError`` when the message can never be sent.
    public func send(_ message: KafkaUndeliveredMessage) throws(KafkaError) -> KafkaSendOutcome {
        let topic = try topic(named: message.topic)
        // One buffer for every header value, so that they can all be lent at once.
        var headerBytes: [UInt8] = []
        let headerRanges = message.headers.map { header in
            header.value.map { value in
                headerBytes.append(contentsOf: value)
                return (headerBytes.count - value.count)..<headerBytes.count
            }
        }
        // Array's pointer methods rethrow untyped errors: the send's outcome leaves them as a Result.
        let outcome = headerBytes.withUnsafeBytes { headerBytes in
            let headers = zip(message.headers, headerRanges).map { header, range in
                KafkaHeader(name: header.name, value: range.map { UnsafeRawBufferPointer(rebasing: headerBytes[$0]) })
            }
            return Self.withOptionalBytes(message.key) { key in
                Self.withOptionalBytes(message.value) { value in
                    Result { () throws(KafkaError) in
                        try send(to: topic, partition: message.partition, key: key, value: value, headers: headers, token: message.token)
                    }
                }
            }
        }
        return try outcome.get()
    }

    private static func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        guard let bytes else { return body(nil) }
        return bytes.withUnsafeBytes { body($0) }
    }
}
