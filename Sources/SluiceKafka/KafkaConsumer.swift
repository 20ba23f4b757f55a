import CRdKafka
import Logging
import Synchronization

/// A consumer-group member that reads messages in batches, lending their bytes without copying.
///
/// One thread owns the loop: it calls ``poll(into:timeout:onRebalance:)``, does the work, stores
/// offsets with ``storeOffsets(_:)`` once the work is done (at-least-once), and receives rebalance
/// events inside `poll`. librdkafka fetches on its own threads.
///
/// Every method that takes a timeout, and ``close(onRebalance:)``, blocks the calling thread:
/// call them from a dedicated thread, not from Swift concurrency's cooperative pool.
public final class KafkaConsumer: Sendable {
    private let client: RDKafkaClient
    private let queue: RDKafkaQueue
    private let context: RDKafkaConsumerContext
    /// Set while a thread is inside `poll` or `close`, the only calls that run callbacks.
    private let isServingCallbacks = Atomic<Bool>(false)
    private let isClosed = Atomic<Bool>(false)

    /// Creates a consumer in `configuration.groupID`; it joins the group on ``subscribe(to:)``.
    /// Fails with an error naming the property librdkafka rejected.
    public init(configuration: KafkaConsumerConfiguration, logger: Logger) throws(KafkaError) {
        let conf = try RDKafkaConfiguration(configuration.librdkafkaProperties)
        RDKafkaConsumerContext.install(on: conf)
        context = RDKafkaConsumerContext(
            logger: logger, statisticsHandler: configuration.statisticsHandler, commitHandler: configuration.commitHandler,
            offsetResetHandler: configuration.offsetResetHandler,
            connectivityLog: KafkaConnectivityLog(
                bootstrapServers: configuration.bootstrapServers, client: "consumer", handler: configuration.brokerConnectivityHandler,
                logger: logger
            ),
            isCooperativeByConfiguration: configuration.assignmentStrategy == .cooperativeSticky
        )
        client = try RDKafkaClient(type: RD_KAFKA_CONSUMER, configuration: conf, callbackContext: context)
        // Routes the main queue (rebalances, errors, commit results) into the consumer queue, so
        // one batch poll serves them all on the loop's thread.
        rd_kafka_poll_set_consumer(client.handle)
        queue = RDKafkaQueue(consumerQueueOf: client)
    }

    deinit {
        if !isClosed.load(ordering: .acquiring) {
            rd_kafka_consumer_close(client.handle)
        }
    }

    /// Joins the group for `topics`; partitions arrive as ``KafkaRebalanceEvent/assigned(_:)``
    /// during later polls.
    public func subscribe(to topics: [String]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList()
        for topic in topics { list.add(KafkaTopicPartition(topic: topic, partition: RD_KAFKA_PARTITION_UA)) }
        let result = rd_kafka_subscribe(client.handle, list.pointer)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(result, "cannot subscribe to \(topics)")
        }
    }

    /// Refills `batch` with up to `batch.capacity` messages, destroying the ones it held.
    ///
    /// Returns when the batch is full or `timeout` has passed, whichever comes first; blocks the
    /// calling thread meanwhile. Returns how many items it took from the queue: fewer than
    /// `batch.capacity` means the queue was left empty. Rebalances happening during the poll are
    /// applied and handed to `onRebalance` on this thread before `poll` returns. Partition-end
    /// markers are dropped; transient client errors (a broker going away) are logged, as
    /// librdkafka recovers from them.
    ///
    /// - Throws: ``KafkaError`` when the consumer hit a fatal error or a rebalance could not be
    ///   applied.
    @discardableResult
    public func poll(
        into batch: KafkaMessageBatch,
        timeout: Duration,
        onRebalance: (KafkaRebalanceEvent) -> Void
    ) throws(KafkaError) -> Int {
        batch.release()
        let filled = servingCallbacks(onRebalance) {
            rd_kafka_consume_batch_queue(queue.handle, timeout.timeoutMilliseconds, batch.slots, batch.capacity)
        }
        guard filled >= 0 else { throw KafkaError(rd_kafka_last_error(), "cannot poll the consumer queue") }
        batch.adopt(filled, from: client)
        if let failure = context.failure {
            context.failure = nil
            throw failure
        }
        try removeErrors(from: batch)
        return filled
    }

    /// Has `wakeup` signalled when messages or events arrive while none wait to be polled, so
    /// the thread that polls this consumer can wait for it and other clients at once. Call it
    /// once, before polling.
    public func wake(_ wakeup: KafkaQueueWakeup) {
        queue.wake(wakeup)
    }

    /// Stops fetching from `partitions` (messages already polled are unaffected) until ``resume(_:)``.
    public func pause(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(partitions)
        let result = rd_kafka_pause_partitions(client.handle, list.pointer)
        if let error = list.firstError("cannot pause") ?? KafkaError(checking: result, "cannot pause \(partitions)") {
            throw error
        }
    }

    /// Resumes fetching from `partitions` at the position where it stopped.
    public func resume(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(partitions)
        let result = rd_kafka_resume_partitions(client.handle, list.pointer)
        if let error = list.firstError("cannot resume") ?? KafkaError(checking: result, "cannot resume \(partitions)") {
            throw error
        }
    }

    /// The partitions currently assigned to this consumer.
    public func assignment() throws(KafkaError) -> [KafkaTopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let result = rd_kafka_assignment(client.handle, &list)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
            throw KafkaError(result, "cannot read the assignment")
        }
        return RDKafkaTopicPartitionList(owning: list).partitions
    }

    /// Leaves the group: revokes the partitions (handing ``KafkaRebalanceEvent/revoked(_:)`` to
    /// `onRebalance` first), commits stored offsets when auto-commit is on, and stops fetching.
    /// Blocks the calling thread until done. Further polls are not allowed.
    public func close(onRebalance: (KafkaRebalanceEvent) -> Void = { _ in }) throws(KafkaError) {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let result = servingCallbacks(onRebalance) { rd_kafka_consumer_close(client.handle) }
        if let error = KafkaError(checking: result, "cannot close the consumer") { throw error }
    }

    /// Fatal error check and offset access for the extensions in other files.
    var rdKafkaClient: RDKafkaClient { client }

    private func servingCallbacks<R>(_ onRebalance: (KafkaRebalanceEvent) -> Void, _ body: () -> R) -> R {
        precondition(
            !isServingCallbacks.exchange(true, ordering: .acquiring),
            "KafkaConsumer.poll or close called from two threads at once; one loop must own the consumer"
        )
        defer { isServingCallbacks.store(false, ordering: .releasing) }
        return withoutActuallyEscaping(onRebalance) { handler in
            context.rebalanceHandler = handler
            defer { context.rebalanceHandler = nil }
            return body()
        }
    }

    /// Takes error markers out of a freshly polled batch: partition ends are dropped, transient
    /// errors logged, fatal ones thrown.
    private func removeErrors(from batch: KafkaMessageBatch) throws(KafkaError) {
        var index = 0
        while index < batch.count {
            let message = batch.slots[index]!
            let code = message.pointee.err
            if code == RD_KAFKA_RESP_ERR_NO_ERROR {
                index += 1
                continue
            }
            if code != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                let reason = rd_kafka_message_errstr(message).map { String(cString: $0) } ?? ""
                if code == RD_KAFKA_RESP_ERR__FATAL {
                    throw KafkaError.fatal(on: client) ?? KafkaError(code, "consumer fatal error: \(reason)")
                }
                context.logger.warning(
                    "Kafka consumer error",
                    metadata: ["error": "\(KafkaError.Code(code).name)", "reason": "\(reason)"]
                )
            }
            batch.remove(at: index)
        }
    }
}

extension KafkaError {
    /// `nil` for `RD_KAFKA_RESP_ERR_NO_ERROR`, otherwise the error with `context`.
    init?(checking code: rd_kafka_resp_err_t, _ context: @autoclosure () -> String, file: String = #fileID, line: UInt = #line) {
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        self.init(code, context(), file: file, line: line)
    }
}
