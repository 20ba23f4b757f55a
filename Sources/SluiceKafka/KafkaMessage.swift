import CRdKafka

/// A consumed message, lent by a ``KafkaMessageBatch``: its key, value and headers are read in place
/// from librdkafka's buffers, without copying.
///
/// A `KafkaMessage` and every buffer it returns are valid only until its batch is refilled or
/// released. Do not keep them: copy what must outlive the batch.
public struct KafkaMessage {
    let pointer: UnsafeMutablePointer<rd_kafka_message_t>

    /// The partition the message was read from.
    public var partition: Int32 { pointer.pointee.partition }
    /// The message's offset in its partition.
    public var offset: Int64 { pointer.pointee.offset }
    /// The offset to store once this message's work is done: the next one to read.
    public var nextOffset: Int64 { pointer.pointee.offset + 1 }

    /// The topic's name. Allocates a `String`: on hot paths prefer ``partition``/``offset`` and
    /// the topic names the caller subscribed to.
    public var topic: String { String(cString: rd_kafka_topic_name(pointer.pointee.rkt)) }

    /// The topic and partition the message was read from.
    public var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: partition) }

    /// The key's bytes, or `nil` for a message without a key. Borrowed from the batch.
    public var key: UnsafeRawBufferPointer? {
        guard let key = pointer.pointee.key else { return nil }
        return UnsafeRawBufferPointer(start: key, count: pointer.pointee.key_len)
    }

    /// The value's bytes (empty for a null value). Borrowed from the batch.
    public var value: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: pointer.pointee.payload, count: pointer.pointee.payload == nil ? 0 : pointer.pointee.len)
    }

    /// The message's timestamp in milliseconds since the Unix epoch, when it has one.
    public var timestampMilliseconds: Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(pointer, &type)
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp
    }

    /// The last header named `name`: `.some(nil)` when present with a null value, `nil` when
    /// absent. Borrowed from the batch.
    public func header(named name: String) -> UnsafeRawBufferPointer?? {
        guard let headers = parsedHeaders else { return nil }
        var value: UnsafeRawPointer?
        var size = 0
        guard rd_kafka_header_get_last(headers, name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR else {
            return nil
        }
        return .some(value.map { UnsafeRawBufferPointer(start: $0, count: size) })
    }

    /// Calls `body` with every header in order: its name as a C string and its value (`nil` for a
    /// null value). Both are borrowed from the batch.
    public func forEachHeader(_ body: (UnsafePointer<CChar>, UnsafeRawBufferPointer?) throws -> Void) rethrows {
        guard let headers = parsedHeaders else { return }
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(headers, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            try body(name!, value.map { UnsafeRawBufferPointer(start: $0, count: size) })
            index += 1
        }
    }

    /// The headers as name/value pairs, copied: for tests and cold paths.
    public var copiedHeaders: [(name: String, value: [UInt8]?)] {
        var result: [(name: String, value: [UInt8]?)] = []
        forEachHeader { name, value in result.append((String(cString: name), value.map { Array($0) })) }
        return result
    }

    private var parsedHeaders: OpaquePointer? {
        var headers: OpaquePointer?
        guard rd_kafka_message_headers(pointer, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return headers
    }
}
