import CRdKafka

/// A consumer's group membership at one moment (group, generation, member id), for
/// ``KafkaProducer/sendOffsetsToTransaction(_:groupMetadata:timeout:)``: the group coordinator
/// accepts offsets in a transaction only from the group's current generation, which is what
/// fences a processor that lost its partitions in a rebalance it did not see.
public final class KafkaConsumerGroupMetadata: Sendable {
    nonisolated(unsafe) let pointer: OpaquePointer

    init(owning pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// The membership of group `groupID` without a generation: for a consumer in another process,
    /// or none. The coordinator then cannot fence a zombie by its generation.
    public convenience init(groupID: String) {
        self.init(owning: rd_kafka_consumer_group_metadata_new(groupID))
    }

    deinit {
        rd_kafka_consumer_group_metadata_destroy(pointer)
    }
}

extension KafkaConsumer {
    /// The consumer's current group membership; take it anew for every transaction, as it
    /// changes with every rebalance.
    public func groupMetadata() throws(KafkaError) -> KafkaConsumerGroupMetadata {
        guard let pointer = rd_kafka_consumer_group_metadata(rdKafkaClient.handle) else {
            throw KafkaError(code: .invalidArgument, message: "the consumer belongs to no group")
        }
        return KafkaConsumerGroupMetadata(owning: pointer)
    }

    /// Moves the consumer's position in each partition to its offset (the next to read): the
    /// next poll returns messages from there, and messages fetched before the seek are dropped.
    /// Blocks for up to `timeout`.
    public func seek(_ offsets: [KafkaPartitionOffset], timeout: Duration) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList(offsets)
        if let error = rd_kafka_seek_partitions(rdKafkaClient.handle, list.pointer, timeout.timeoutMilliseconds) {
            throw KafkaError(consuming: error, "cannot seek to \(offsets)")
        }
        if let error = list.firstError("cannot seek") { throw error }
    }
}
