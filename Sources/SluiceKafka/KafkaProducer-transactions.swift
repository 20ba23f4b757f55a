import CRdKafka

/// Kafka transactions (KIP-98, with KIP-447's consumer-group fencing): a producer configured with
/// a `transactional.id` writes records and consumer offsets that read_committed consumers see all
/// together once ``commitTransaction(timeout:)`` returns, or never.
///
/// Every call blocks the calling thread for at most its timeout and throws
/// ``KafkaTransactionFailure``, which says whether to abort, stop or retry. Needs brokers 2.5 or
/// newer.
extension KafkaProducer {
    /// Registers the `transactional.id` with its coordinator, which fences every older producer
    /// with the same id and aborts the transaction such a producer left open. Call once, before
    /// the first ``beginTransaction()``.
    public func initTransactions(timeout: Duration) throws(KafkaTransactionFailure) {
        if let error = rd_kafka_init_transactions(rdKafkaClient.handle, timeout.timeoutMilliseconds) {
            throw KafkaTransactionFailure(consuming: error, "cannot initialise transactions")
        }
    }

    /// Starts a transaction: every message sent until it commits or aborts belongs to it. Local:
    /// does not block.
    public func beginTransaction() throws(KafkaTransactionFailure) {
        if let error = rd_kafka_begin_transaction(rdKafkaClient.handle) {
            throw KafkaTransactionFailure(consuming: error, "cannot begin a transaction")
        }
    }

    /// Adds the consumer group's offsets (each the next offset to read) to the open transaction,
    /// so that they are committed exactly when its records are. `groupMetadata` must be taken
    /// from the consumer just before the call: it names the group generation the offsets belong
    /// to, and the coordinator refuses them once the group has moved on (a zombie's offsets).
    public func sendOffsetsToTransaction(
        _ offsets: [KafkaPartitionOffset],
        groupMetadata: KafkaConsumerGroupMetadata,
        timeout: Duration
    ) throws(KafkaTransactionFailure) {
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList(offsets)
        if let error = rd_kafka_send_offsets_to_transaction(
            rdKafkaClient.handle, list.pointer, groupMetadata.pointer, timeout.timeoutMilliseconds
        ) {
            throw KafkaTransactionFailure(consuming: error, "cannot add offsets \(offsets) to the transaction")
        }
    }

    /// Flushes the transaction's messages and commits it. On ``KafkaTransactionFailure/retriable(_:)``
    /// the outcome is not known yet: call it again.
    public func commitTransaction(timeout: Duration) throws(KafkaTransactionFailure) {
        if let error = rd_kafka_commit_transaction(rdKafkaClient.handle, timeout.timeoutMilliseconds) {
            throw KafkaTransactionFailure(consuming: error, "cannot commit the transaction")
        }
    }

    /// Drops every message waiting to be sent or acknowledged; each gets a delivery report that
    /// says so (``KafkaError/Code/purgedInQueue`` or ``KafkaError/Code/purgedInFlight``). A
    /// transaction that can only abort sends nothing more, and its abort waits until every
    /// message's report is collected: purge, collect the reports, then abort.
    public func purgeOutstanding() throws(KafkaError) {
        let result = rd_kafka_purge(rdKafkaClient.handle, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
        if let error = KafkaError(checking: result, "cannot purge the producer's messages") { throw error }
    }

    /// Aborts the open transaction: messages not yet sent are purged (their delivery reports
    /// say so) and those written stay invisible to read_committed consumers.
    public func abortTransaction(timeout: Duration) throws(KafkaTransactionFailure) {
        if let error = rd_kafka_abort_transaction(rdKafkaClient.handle, timeout.timeoutMilliseconds) {
            throw KafkaTransactionFailure(consuming: error, "cannot abort the transaction")
        }
    }
}
