import SluiceKafka
import Synchronization
@testable import SluicePipeline

extension InMemorySource: TransactionalRecordSource {
    func groupMetadata() throws(KafkaError) -> KafkaConsumerGroupMetadata {
        KafkaConsumerGroupMetadata(groupID: "in-memory")
    }
}

/// A transactional producer over an ``InMemoryBroker``, modelling what read_committed consumers
/// see: records are acknowledged into a staging broker, and reach the real one, together with
/// the offsets sent to the transaction, only when the transaction commits; an abort drops them.
/// `refuseFirstCommit` makes the first commit fail: `.fatal` leaves the transaction open for ever,
/// as an instance killed at that moment does; `.abortable` is a coordinator's refusal. `refuse`
/// fails deliveries (see ``InMemorySink``); as in librdkafka, a failed delivery dooms the open
/// transaction: it takes no more records, and its commit fails as abortable.
final class InMemoryTransactionalSink: TransactionalRecordSink, Sendable {
    typealias Topic = InMemorySink.Topic

    private struct State {
        var published: [String: Int] = [:]
        var offsets: [KafkaPartitionOffset] = []
        var refuseFirstCommit: (@Sendable (KafkaError) -> KafkaTransactionFailure)?
        var commits = 0
        var isDoomed = false
    }

    let broker: InMemoryBroker
    private let staging = InMemoryBroker()
    private let sink: InMemorySink
    private let state: Mutex<State>
    private static let topics = ["predictions", "audit", "events.dlq"]

    init(
        broker: InMemoryBroker,
        refuseFirstCommit: (@Sendable (KafkaError) -> KafkaTransactionFailure)? = nil,
        refuse: @escaping InMemorySink.Refusal = { _, _, _ in nil }
    ) {
        self.broker = broker
        for topic in Self.topics { staging.createTopic(topic, partitions: 1) }
        sink = InMemorySink(broker: staging, reportsPerPoll: 3, refuse: refuse)
        state = Mutex(State(refuseFirstCommit: refuseFirstCommit))
    }

    var commits: Int { state.withLock { $0.commits } }

    func topic(named name: String) throws(KafkaError) -> Topic { try sink.topic(named: name) }

    func send(
        to topic: Topic, partition: Int32?, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?, headers: [KafkaHeader],
        timestampMilliseconds: Int64?, token: UInt64
    ) throws(KafkaError) -> KafkaSendOutcome {
        try refuseIfDoomed()
        return try sink.send(
            to: topic, partition: partition, key: key, value: value, headers: headers, timestampMilliseconds: timestampMilliseconds, token: token
        )
    }

    func send(_ message: KafkaUndeliveredMessage) throws(KafkaError) -> KafkaSendOutcome {
        try refuseIfDoomed()
        return try sink.send(message)
    }

    private func refuseIfDoomed() throws(KafkaError) {
        if state.withLock({ $0.isDoomed }) {
            throw KafkaError(code: .invalidState, message: "producing not allowed: the transaction must be aborted")
        }
    }

    func pollDeliveryReports(timeout: Duration, _ report: (KafkaDeliveryReport) throws -> Void) throws -> Int {
        try sink.pollDeliveryReports(timeout: timeout) { delivery in
            if !delivery.isDelivered { state.withLock { $0.isDoomed = true } }
            try report(delivery)
        }
    }

    func wake(_ wakeup: KafkaQueueWakeup) {}

    /// The loop waits for its ledger too, which counts every record sent and not reported.
    var inFlightCount: Int { 0 }

    func initTransactions(timeout: Duration) throws(KafkaTransactionFailure) {}

    func beginTransaction() throws(KafkaTransactionFailure) {}

    func sendOffsetsToTransaction(
        _ offsets: [KafkaPartitionOffset], groupMetadata: KafkaConsumerGroupMetadata, timeout: Duration
    ) throws(KafkaTransactionFailure) {
        state.withLock { $0.offsets += offsets }
    }

    func commitTransaction(timeout: Duration) throws(KafkaTransactionFailure) {
        let (refusal, isDoomed) = state.withLock { state in
            defer { state.refuseFirstCommit = nil }
            return (state.refuseFirstCommit, state.isDoomed)
        }
        if isDoomed { throw .abortable(KafkaError(code: .invalidState, message: "a delivery failed inside the transaction")) }
        if let refusal { throw refusal(KafkaError(code: .invalidRecord, message: "the first commit is refused")) }
        let offsets = state.withLock { state in
            for topic in Self.topics {
                let staged = staging.records(of: topic)
                for record in staged.dropFirst(state.published[topic, default: 0]) { broker.append(record, to: topic, partition: 0) }
                state.published[topic] = staged.count
            }
            state.commits += 1
            defer { state.offsets = [] }
            return state.offsets
        }
        broker.commit(Dictionary(offsets.map { ($0.topicPartition, $0.offset) }) { $1 })
    }

    func purgeOutstanding() throws(KafkaError) {
        sink.discardWaiting()
    }

    func abortTransaction(timeout: Duration) throws(KafkaTransactionFailure) {
        sink.discardWaiting()
        state.withLock { state in
            state.isDoomed = false
            for topic in Self.topics { state.published[topic] = staging.records(of: topic).count }
            state.offsets = []
        }
    }
}
