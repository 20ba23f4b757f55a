import SluiceKafka

/// What a ``Processor``'s loop consumes from: a consumer-group member that it polls for records,
/// pauses and resumes for back-pressure, and stores and commits offsets through. Sluice runs on
/// ``KafkaConsumer``; tests drive the real loop over an in-memory source.
///
/// The loop calls it only from its own thread.
protocol RecordSource: AnyObject, Sendable {
    associatedtype Batch: RecordBatch

    /// An empty batch for ``poll(into:timeout:onRebalance:)``, reused for every poll.
    func makeBatch(capacity: Int) -> Batch

    /// Joins the group for `topics`; partitions arrive as ``KafkaRebalanceEvent/assigned(_:)``
    /// during a later poll.
    func subscribe(to topics: [String]) throws(KafkaError)

    /// Releases what `batch` held and fills it with up to its capacity of records, in offset order
    /// per partition, waiting at most `timeout`. Rebalances are handed to `onRebalance` on this
    /// thread before the poll returns, revokes before their partitions are released. Returns how
    /// many items it took: fewer than the capacity means none was left waiting.
    func poll(into batch: Batch, timeout: Duration, onRebalance: (KafkaRebalanceEvent) -> Void) throws(KafkaError) -> Int

    /// Stops fetching from `partitions` until ``resume(_:)``.
    func pause(_ partitions: [KafkaTopicPartition]) throws(KafkaError)

    /// Fetches from `partitions` again where they stopped.
    func resume(_ partitions: [KafkaTopicPartition]) throws(KafkaError)

    /// Marks the offsets (each the next one to read) as the ones to commit next.
    func storeOffsets(_ offsets: [KafkaPartitionOffset]) throws(KafkaError)

    /// Commits the stored offsets synchronously.
    func commit() throws(KafkaError)

    /// Starts committing the stored offsets without waiting for the answer.
    func commitAsync() throws(KafkaError)

    /// Commits `offsets` synchronously.
    func commit(_ offsets: [KafkaPartitionOffset]) throws(KafkaError)

    /// Leaves the group, handing the revoke of every assigned partition to `onRebalance` first.
    func close(onRebalance: (KafkaRebalanceEvent) -> Void) throws(KafkaError)

    /// Has `wakeup` signalled when records or events arrive while none wait to be polled. A
    /// source that cannot signal leaves the loop to wake at its idle wait.
    func wake(_ wakeup: KafkaQueueWakeup)
}

/// The records of one poll, lent until the next poll or ``release()``.
protocol RecordBatch: AnyObject {
    associatedtype Record: SourceRecord

    /// The most records one poll may return.
    var capacity: Int { get }
    /// How many records the batch holds.
    var count: Int { get }
    /// The record at `index` (`0..<count`).
    subscript(index: Int) -> Record { get }
    /// Lets the records go now instead of at the next poll.
    func release()
}

extension RecordBatch {
    var isEmpty: Bool { count == 0 }
}

/// A consumed record, lent by its batch: the buffers it returns are valid until the batch is
/// refilled or released.
protocol SourceRecord: InputHeaders {
    var topic: String { get }
    var partition: Int32 { get }
    var offset: Int64 { get }
    var topicPartition: KafkaTopicPartition { get }
    var key: UnsafeRawBufferPointer? { get }
    var value: UnsafeRawBufferPointer { get }
    var timestampMilliseconds: Int64? { get }
    /// The last header named `name`: `.some(nil)` when present with a null value, `nil` when absent.
    func header(named name: String) -> UnsafeRawBufferPointer??
}

extension KafkaConsumer: RecordSource {
    func makeBatch(capacity: Int) -> KafkaMessageBatch {
        KafkaMessageBatch(capacity: capacity)
    }
}

extension KafkaMessageBatch: RecordBatch {}

extension KafkaMessage: SourceRecord {}
