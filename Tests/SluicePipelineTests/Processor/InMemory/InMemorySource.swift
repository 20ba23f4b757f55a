import SluiceKafka
import Synchronization
@testable import SluicePipeline

/// A consumer-group member over an ``InMemoryBroker``, alone in its group: its first poll assigns
/// it every partition of its topics, starting at the committed offsets. A test can script a
/// revoke at a chosen poll, and reads back what the loop did: stored and committed offsets,
/// pauses, and each revoked partition's committed offset at the moment it was released.
///
/// It cannot signal the loop's wakeup, so the loop polls it at least every idle wait
/// (`batching.max_delay`); the tests set that to 1 ms.
final class InMemorySource: RecordSource, Sendable {
    private struct State {
        var topics: [String] = []
        var hasJoined = false
        var polls = 0
        var assigned: [KafkaTopicPartition] = []
        var positions: [KafkaTopicPartition: Int64] = [:]
        var paused: Set<KafkaTopicPartition> = []
        var stored: [KafkaTopicPartition: Int64] = [:]
        var revokes: [(atPoll: Int, partitions: [KafkaTopicPartition])] = []
        var released: [KafkaTopicPartition: (position: Int64, committed: Int64?)] = [:]
        var pauses = 0
    }

    let broker: InMemoryBroker
    private let state = Mutex(State())

    init(broker: InMemoryBroker) {
        self.broker = broker
    }

    /// Revokes `partitions` in the poll numbered `poll` (from 1), as a rebalance would.
    func revoke(_ partitions: [KafkaTopicPartition], atPoll poll: Int) {
        state.withLock { $0.revokes.append((poll, partitions)) }
    }

    /// For each partition revoked so far: how far it had been read, and the group's committed
    /// offset when it was released.
    var released: [KafkaTopicPartition: (position: Int64, committed: Int64?)] {
        state.withLock { $0.released }
    }

    /// How many times the loop paused partitions.
    var pauses: Int { state.withLock { $0.pauses } }

    func makeBatch(capacity: Int) -> InMemoryBatch {
        InMemoryBatch(capacity: capacity)
    }

    func subscribe(to topics: [String]) throws(KafkaError) {
        state.withLock { $0.topics = topics }
    }

    func poll(into batch: InMemoryBatch, timeout: Duration, onRebalance: (KafkaRebalanceEvent) -> Void) throws(KafkaError) -> Int {
        batch.release()
        let (joining, revoking) = state.withLock { state in
            state.polls += 1
            let joining = state.hasJoined ? [] : state.topics.flatMap(broker.partitions(of:))
            state.hasJoined = true
            let poll = state.polls
            let revoking = state.revokes.filter { $0.atPoll == poll }.flatMap { $0.partitions }.filter(state.assigned.contains)
            return (joining, revoking)
        }
        if !joining.isEmpty {
            let committed = broker.committed
            state.withLock { state in
                state.assigned += joining
                for partition in joining { state.positions[partition] = committed[partition] ?? 0 }
            }
            onRebalance(.assigned(joining))
        }
        if !revoking.isEmpty {
            onRebalance(.revoked(revoking))
            let committed = broker.committed
            state.withLock { state in
                for partition in revoking {
                    state.released[partition] = (state.positions[partition] ?? 0, committed[partition])
                }
                state.assigned.removeAll(where: revoking.contains)
            }
        }
        return state.withLock { state in
            var isDrained = false
            while batch.count < batch.capacity, !isDrained {
                isDrained = true
                for partition in state.assigned where !state.paused.contains(partition) && batch.count < batch.capacity {
                    let position = state.positions[partition] ?? 0
                    guard let record = broker.record(at: position, of: partition) else { continue }
                    batch.append(InMemoryRecord(record, of: partition, at: position))
                    state.positions[partition] = position + 1
                    isDrained = false
                }
            }
            return batch.count
        }
    }

    func pause(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        state.withLock { state in
            state.paused.formUnion(partitions)
            state.pauses += 1
        }
    }

    func resume(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        state.withLock { $0.paused.subtract(partitions) }
    }

    func storeOffsets(_ offsets: [KafkaPartitionOffset]) throws(KafkaError) {
        state.withLock { state in
            for offset in offsets { state.stored[offset.topicPartition] = offset.offset }
        }
    }

    func commit() throws(KafkaError) {
        broker.commit(state.withLock { $0.stored })
    }

    /// Commits at once: the in-memory group answers before returning.
    func commitAsync() throws(KafkaError) {
        try commit()
    }

    func commit(_ offsets: [KafkaPartitionOffset]) throws(KafkaError) {
        broker.commit(Dictionary(offsets.map { ($0.topicPartition, $0.offset) }) { $1 })
    }

    func close(onRebalance: (KafkaRebalanceEvent) -> Void) throws(KafkaError) {
        let assigned = state.withLock { $0.assigned }
        if !assigned.isEmpty { onRebalance(.revoked(assigned)) }
        state.withLock { $0.assigned = [] }
    }

    func wake(_ wakeup: KafkaQueueWakeup) {}

    /// Moves each partition's position to its offset.
    func seek(_ offsets: [KafkaPartitionOffset], timeout: Duration) throws(KafkaError) {
        state.withLock { state in
            for offset in offsets { state.positions[offset.topicPartition] = offset.offset }
        }
    }
}

/// The records of one poll of an ``InMemorySource``.
final class InMemoryBatch: RecordBatch {
    let capacity: Int
    private var records: [InMemoryRecord] = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { records.count }

    subscript(index: Int) -> InMemoryRecord { records[index] }

    func append(_ record: InMemoryRecord) {
        records.append(record)
    }

    func release() {
        records.removeAll()
    }
}
