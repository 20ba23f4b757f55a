/// One partition of one topic.
public struct KafkaTopicPartition: Hashable, Sendable, CustomStringConvertible {
    /// The topic's name.
    public var topic: String
    /// The partition number, from 0.
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)[\(partition)]" }
}

/// An offset in one partition: the position of a message, or the next offset to read.
public struct KafkaPartitionOffset: Hashable, Sendable, CustomStringConvertible {
    /// The partition the offset belongs to.
    public var topicPartition: KafkaTopicPartition
    /// The offset. Negative values are librdkafka's logical offsets (`KafkaPartitionOffset.invalid`
    /// for "none", `-1` end, `-2` beginning).
    public var offset: Int64

    public init(_ topicPartition: KafkaTopicPartition, offset: Int64) {
        self.topicPartition = topicPartition
        self.offset = offset
    }

    public init(topic: String, partition: Int32, offset: Int64) {
        self.init(KafkaTopicPartition(topic: topic, partition: partition), offset: offset)
    }

    /// librdkafka's "no offset" marker (`RD_KAFKA_OFFSET_INVALID`), reported for a partition
    /// without a committed offset or position.
    public static let invalid: Int64 = -1001

    public var description: String { "\(topicPartition)@\(offset)" }
}

/// The low and high watermarks of a partition: the first retained offset and the offset the next
/// produced message will get. `high - (committed offset)` is the consumer's lag.
public struct KafkaWatermarks: Hashable, Sendable {
    /// The first offset still retained.
    public var low: Int64
    /// The offset after the last message.
    public var high: Int64

    public init(low: Int64, high: Int64) {
        self.low = low
        self.high = high
    }
}
