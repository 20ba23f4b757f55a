/// The size Kafka counts for one record, so that a record can be made to fit before it is sent.
///
/// Two limits apply to a record. The producer refuses it at once (`MSG_SIZE_TOO_LARGE`) when
/// librdkafka's worst-case wire size of the record exceeds its `message.max.bytes`: 36 bytes of
/// per-record overhead in the v2 format (the varint length, attributes, timestamp and offset
/// deltas, key and value lengths, header count, each at its largest), plus the key, the value and
/// the headers' serialized size. The broker refuses a record batch larger than the topic's
/// `max.message.bytes` (after compression): a batch adds a 61-byte header to its records. A record
/// whose ``bytes(key:value:headers:)`` is at most the smaller of the two settings passes both,
/// even alone in its batch; uncompressed sizes are counted, which compression does not increase
/// for text-like data.
public enum KafkaRecordSize {
    /// librdkafka's worst-case per-record overhead in the v2 record format
    /// (`RD_KAFKAP_MESSAGE_V2_MAX_OVERHEAD`).
    public static let recordOverhead = 36
    /// The record batch header of the v2 format, which the broker counts against the topic's
    /// `max.message.bytes`.
    public static let batchOverhead = 61

    /// The bytes a record of this key, value and headers' serialized size (see
    /// ``header(nameBytes:valueBytes:)``) counts against `message.max.bytes` and
    /// `max.message.bytes`: both overheads included.
    public static func bytes(key: Int, value: Int, headers: Int) -> Int {
        batchOverhead + recordOverhead + key + value + headers
    }

    /// The serialized size of one header, as librdkafka counts it: the name and the value, each
    /// after its length as a zigzag varint (a null value counts as empty).
    public static func header(nameBytes: Int, valueBytes: Int) -> Int {
        varintSize(nameBytes) + nameBytes + varintSize(valueBytes) + valueBytes
    }

    /// The bytes of `length` as a zigzag varint: 7 bits of `2 × length` per byte.
    static func varintSize(_ length: Int) -> Int {
        var rest = UInt64(length) << 1
        var size = 1
        while rest >= 0x80 {
            rest >>= 7
            size += 1
        }
        return size
    }
}
