import CRdKafka

/// Owns an `rd_kafka_topic_partition_list_t` and destroys it when released.
final class RDKafkaTopicPartitionList {
    /// The list; valid for the lifetime of this object. Do not destroy it.
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    /// An empty list with room for `capacity` elements before librdkafka reallocates it.
    init(capacity: Int = 1) {
        pointer = rd_kafka_topic_partition_list_new(Int32(clamping: capacity))
    }

    /// Takes ownership of a list librdkafka handed over.
    init(owning pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        self.pointer = pointer
    }

    /// A copy of a list librdkafka lends (for example to a rebalance callback).
    convenience init(copying pointer: UnsafePointer<rd_kafka_topic_partition_list_t>) {
        self.init(owning: rd_kafka_topic_partition_list_copy(pointer))
    }

    convenience init(_ partitions: some Sequence<KafkaTopicPartition>) {
        self.init(capacity: partitions.underestimatedCount)
        for partition in partitions { add(partition) }
    }

    convenience init(_ offsets: some Sequence<KafkaPartitionOffset>) {
        self.init(capacity: offsets.underestimatedCount)
        for offset in offsets { add(offset.topicPartition, offset: offset.offset) }
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    func add(_ partition: KafkaTopicPartition, offset: Int64? = nil) {
        let element = rd_kafka_topic_partition_list_add(pointer, partition.topic, partition.partition)!
        if let offset { element.pointee.offset = offset }
    }

    var count: Int { Int(pointer.pointee.cnt) }

    /// The partitions in list order.
    var partitions: [KafkaTopicPartition] { Self.partitions(in: pointer) }

    /// The partitions of a list librdkafka lends, in list order.
    static func partitions(in list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [KafkaTopicPartition] {
        UnsafeBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt)).map {
            KafkaTopicPartition(topic: String(cString: $0.topic), partition: $0.partition)
        }
    }

    /// The partitions with their offsets, in list order.
    var offsets: [KafkaPartitionOffset] {
        elements.map {
            KafkaPartitionOffset(topic: String(cString: $0.topic), partition: $0.partition, offset: $0.offset)
        }
    }

    /// The first per-partition error in the list, as a `KafkaError` naming the partition.
    func firstError(_ context: String) -> KafkaError? {
        for element in elements where element.err != RD_KAFKA_RESP_ERR_NO_ERROR {
            return KafkaError(element.err, "\(context) \(String(cString: element.topic))[\(element.partition)]")
        }
        return nil
    }

    private var elements: UnsafeBufferPointer<rd_kafka_topic_partition_t> {
        UnsafeBufferPointer(start: pointer.pointee.elems, count: count)
    }
}
