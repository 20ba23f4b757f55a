import SluiceKafka
import Testing

/// The transactional producer against the embedded cluster. librdkafka 2.0's mock serves the
/// transaction protocol (coordinators, producer ids, injected errors) but neither stores offsets
/// committed in a transaction, nor hides aborted records from read_committed consumers, nor fences
/// a producer when another registers the same transactional id (it hands out a new producer id),
/// so these tests check what the client is told, with the coordinator's answers injected.
///
/// A commit flushes the transaction's messages, and with delivery reports as events librdkafka
/// counts uncollected reports as outstanding: each test collects them (`expectAllDelivered`)
/// before it commits, as the processor does.
@Suite(.serialized) struct TransactionTests {
    func makeTransactionalProducer(_ cluster: MockKafkaCluster, id: String) throws -> KafkaProducer {
        let producer = try makeProducer(cluster) { configuration in
            configuration.properties["transactional.id"] = id
            // librdkafka requires it within transaction.timeout.ms (60 s).
            configuration.messageTimeoutMilliseconds = 60_000
        }
        try producer.initTransactions(timeout: patience)
        return producer
    }

    /// A consumer of `input` that has been assigned its partition, for its group metadata.
    func makeAssignedConsumer(_ cluster: MockKafkaCluster, group: String) throws -> KafkaConsumer {
        let consumer = try makeConsumer(cluster, group: group)
        try consumer.subscribe(to: ["input"])
        let batch = KafkaMessageBatch(capacity: 16)
        var assigned = false
        try repeatUntil("the consumer is assigned", { assigned }) {
            try consumer.poll(into: batch, timeout: .milliseconds(50)) { event in
                if case .assigned = event { assigned = true }
            }
        }
        return consumer
    }

    @Test func recordsAndConsumerOffsetsCommitInOneTransaction() throws {
        let cluster = try MockKafkaCluster()
        try cluster.createTopic("input", partitions: 1)
        try cluster.createTopic("output", partitions: 1)
        let consumer = try makeAssignedConsumer(cluster, group: "transactions")
        let producer = try makeTransactionalProducer(cluster, id: "committer")
        let topic = try producer.topic(named: "output")

        try producer.beginTransaction()
        try producer.send("one", to: topic, token: 1)
        try producer.send("two", to: topic, token: 2)
        try expectAllDelivered(producer)
        try producer.sendOffsetsToTransaction(
            [KafkaPartitionOffset(topic: "input", partition: 0, offset: 2)], groupMetadata: consumer.groupMetadata(), timeout: patience
        )
        try producer.commitTransaction(timeout: patience)
        try consumer.close()
    }

    /// Sends one record in a new transaction and collects its report; the coordinator answers the
    /// commit with `refusal`. Returns how `commitTransaction` failed, the producer and its cluster
    /// (whose brokers stop when it is released).
    func commitRefused(
        with refusal: KafkaError.Code
    ) throws -> (failure: KafkaTransactionFailure?, producer: KafkaProducer, topic: KafkaProducerTopic, cluster: MockKafkaCluster) {
        let cluster = try MockKafkaCluster()
        try cluster.createTopic("output", partitions: 1)
        let producer = try makeTransactionalProducer(cluster, id: "refused")
        let topic = try producer.topic(named: "output")
        try producer.beginTransaction()
        try producer.send("in the refused transaction", to: topic, token: 1)
        try expectAllDelivered(producer)
        cluster.pushRequestErrors([refusal], for: .endTransaction)
        do throws(KafkaTransactionFailure) {
            try producer.commitTransaction(timeout: patience)
            return (nil, producer, topic, cluster)
        } catch {
            return (error, producer, topic, cluster)
        }
    }

    @Test func aFencedProducersCommitIsFatal() throws {
        // What the coordinator answers once a newer producer registered the same transactional id.
        let refused = try commitRefused(with: .invalidProducerEpoch)
        guard case .fatal = refused.failure else { Issue.record("\(String(describing: refused.failure))"); return }
    }

    @Test func aRefusedCommitLeavesTheTransactionAbortableAndTheProducerUsable() throws {
        // An error librdkafka has no special handling for dooms the transaction, not the producer.
        let (failure, producer, topic, cluster) = try commitRefused(with: .invalidRecord)
        guard case .abortable = failure else { Issue.record("\(String(describing: failure))"); return }
        try producer.abortTransaction(timeout: patience)
        try producer.beginTransaction()
        try producer.send("redone", to: topic, token: 2)
        try expectAllDelivered(producer)
        try producer.commitTransaction(timeout: patience)
        withExtendedLifetime(cluster) {}
    }
}
