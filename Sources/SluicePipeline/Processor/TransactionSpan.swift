import SluiceKafka

/// The input a ``ProcessorLoop`` has taken since its last transaction committed, in exactly-once
/// delivery: where each partition's span began (the offset to rewind to when the transaction
/// aborts), the offsets it completes (committed inside the transaction), how many events it
/// holds and when it began. Used only on the loop's thread.
struct TransactionSpan {
    /// Whether a transaction is open on the producer.
    private(set) var isOpen = false
    /// When the open transaction began.
    private(set) var beganAt: ContinuousClock.Instant?
    /// Events taken since the transaction began.
    private(set) var events = 0
    /// The first offset taken in this span, per partition: its last committed offset.
    private(set) var startOffsets: [InputPartition: Int64] = [:]
    /// The next offset to read, per partition, once everything before it is acknowledged.
    private(set) var completedOffsets: [KafkaTopicPartition: Int64] = [:]

    /// Notes a transaction begun at `now`.
    mutating func began(at now: ContinuousClock.Instant) {
        isOpen = true
        beganAt = now
    }

    /// Notes polled messages about to be taken in.
    mutating func taking(_ messages: some RecordBatch, assignment: PartitionAssignment) {
        events += messages.count
        var previous: InputPartition?
        for index in 0..<messages.count {
            let message = messages[index]
            let partition = InputPartition(topic: assignment.topicIndex(of: message), partition: message.partition)
            // Polled messages come in runs of one partition: look each run up once.
            guard partition != previous else { continue }
            previous = partition
            if startOffsets[partition] == nil { startOffsets[partition] = message.offset }
        }
    }

    /// Notes offsets that became committable.
    mutating func completed(_ offsets: [KafkaPartitionOffset]) {
        for offset in offsets { completedOffsets[offset.topicPartition] = offset.offset }
    }

    /// The offsets to commit with the transaction.
    var offsetsToCommit: [KafkaPartitionOffset] {
        completedOffsets.map { KafkaPartitionOffset($0.key, offset: $0.value) }
    }

    /// Where to rewind each assigned partition the span took events from.
    func rewindOffsets(_ assignment: PartitionAssignment) -> [KafkaPartitionOffset] {
        assignment.assigned.compactMap { partition in
            assignment.inputPartition(partition).flatMap { startOffsets[$0] }.map { KafkaPartitionOffset(partition, offset: $0) }
        }
    }

    /// Whether the open transaction is due to commit: it began `interval` ago or holds
    /// `maxEvents` events.
    func isDue(now: ContinuousClock.Instant, interval: Duration, maxEvents: Int) -> Bool {
        guard isOpen, let beganAt else { return false }
        return events >= maxEvents || now - beganAt >= interval
    }

    /// Forgets partitions given up: their work is redone by their next owner.
    mutating func forget(_ partitions: [KafkaTopicPartition], _ assignment: PartitionAssignment) {
        for partition in partitions {
            if let input = assignment.inputPartition(partition) { startOffsets[input] = nil }
            completedOffsets[partition] = nil
        }
    }

    /// Starts a new span after a commit or an abort.
    mutating func reset() {
        self = TransactionSpan()
    }
}
