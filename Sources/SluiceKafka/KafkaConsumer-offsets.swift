import CRdKafka

extension KafkaConsumer {
    /// Marks work as done up to (not including) each offset: pass the message's
    /// ``KafkaMessage/nextOffset`` (offset + 1) once everything it produced is acknowledged.
    /// Stored offsets are committed in the background (auto-commit) or by ``commit()``.
    ///
    /// - Throws: ``KafkaError`` naming the first partition that is not assigned to this consumer.
    public func storeOffsets(_ offsets: [KafkaPartitionOffset]) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList(offsets)
        let result = rd_kafka_offsets_store(rdKafkaClient.handle, list.pointer)
        if let error = list.firstError("cannot store the offset of") ?? KafkaError(checking: result, "cannot store offsets") {
            throw error
        }
    }

    /// Commits the stored offsets and waits for the group coordinator's answer. Blocks the calling
    /// thread. Nothing stored since the last commit is not an error.
    public func commit() throws(KafkaError) {
        let result = rd_kafka_commit(rdKafkaClient.handle, nil, 0)
        guard result != RD_KAFKA_RESP_ERR__NO_OFFSET else { return }
        if let error = KafkaError(checking: result, "cannot commit offsets") { throw error }
    }

    /// Commits exactly `offsets` (each the next offset to read) and waits for the answer. Blocks
    /// the calling thread.
    public func commit(_ offsets: [KafkaPartitionOffset]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(offsets)
        let result = rd_kafka_commit(rdKafkaClient.handle, list.pointer, 0)
        if let error = list.firstError("cannot commit the offset of") ?? KafkaError(checking: result, "cannot commit \(offsets)") {
            throw error
        }
    }

    /// Starts committing the stored offsets without waiting; a failure is logged when a later
    /// poll serves the coordinator's answer.
    public func commitAsync() throws(KafkaError) {
        let result = rd_kafka_commit(rdKafkaClient.handle, nil, 1)
        guard result != RD_KAFKA_RESP_ERR__NO_OFFSET else { return }
        if let error = KafkaError(checking: result, "cannot commit offsets") { throw error }
    }

    /// The group's committed offsets for `partitions` (``KafkaPartitionOffset/invalid`` where none
    /// is committed), asked from the coordinator. Blocks for up to `timeout`.
    public func committedOffsets(
        for partitions: [KafkaTopicPartition],
        timeout: Duration
    ) throws(KafkaError) -> [KafkaPartitionOffset] {
        let list = RDKafkaTopicPartitionList(partitions)
        let result = rd_kafka_committed(rdKafkaClient.handle, list.pointer, timeout.timeoutMilliseconds)
        if let error = KafkaError(checking: result, "cannot read committed offsets") ?? list.firstError("cannot read the committed offset of") {
            throw error
        }
        return list.offsets
    }

    /// The consumer's position in each partition: the offset of the next message it will hand out
    /// (``KafkaPartitionOffset/invalid`` before the first). Does not block.
    public func positions(for partitions: [KafkaTopicPartition]) throws(KafkaError) -> [KafkaPartitionOffset] {
        let list = RDKafkaTopicPartitionList(partitions)
        let result = rd_kafka_position(rdKafkaClient.handle, list.pointer)
        if let error = KafkaError(checking: result, "cannot read positions") { throw error }
        return list.offsets
    }

    /// The partition's watermarks, asked from its leader. Blocks for up to `timeout`.
    public func watermarks(for partition: KafkaTopicPartition, timeout: Duration) throws(KafkaError) -> KafkaWatermarks {
        var low: Int64 = 0
        var high: Int64 = 0
        let result = rd_kafka_query_watermark_offsets(
            rdKafkaClient.handle, partition.topic, partition.partition, &low, &high, timeout.timeoutMilliseconds
        )
        if let error = KafkaError(checking: result, "cannot read the watermarks of \(partition)") { throw error }
        return KafkaWatermarks(low: low, high: high)
    }

    /// The partition's watermarks as last seen by fetches, without asking the broker; `nil` until
    /// the first fetch. Cheap enough for a lag gauge.
    public func cachedWatermarks(for partition: KafkaTopicPartition) -> KafkaWatermarks? {
        var low: Int64 = 0
        var high: Int64 = 0
        let result = rd_kafka_get_watermark_offsets(rdKafkaClient.handle, partition.topic, partition.partition, &low, &high)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { return nil }
        return KafkaWatermarks(low: low, high: high)
    }
}
