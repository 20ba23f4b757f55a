import SluiceKafka
import Synchronization
@testable import SluicePipeline

/// A producer over an ``InMemoryBroker``. Records it takes wait, in order, for the loop to serve
/// delivery reports; each report writes its record to partition 0 of its topic, or refuses it when
/// ``refuse`` says so. A test can make it acknowledge slowly (``reportsPerPoll``) or hold few
/// records (``queueCapacity``), and reads back how often it was full.
///
/// It cannot signal the loop's wakeup (see ``InMemorySource``).
final class InMemorySink: RecordSink, Sendable {
    struct Topic: SinkTopic {
        var name: String
    }

    /// What the sink does with the sends of one record, by topic, attempt (1 for the first send)
    /// and record.
    typealias Refusal = @Sendable (_ topic: String, _ attempt: Int, _ record: InMemoryBroker.Record) -> KafkaError.Code?

    private struct Taken {
        var topic: String
        var record: InMemoryBroker.Record
        var token: UInt64
    }

    private struct State {
        var taken: [Taken] = []
        var attempts: [String: Int] = [:]
        var queueFullAnswers = 0
    }

    let broker: InMemoryBroker
    /// The most delivery reports one poll serves; `nil` for all that wait.
    let reportsPerPoll: Int?
    /// The most records waiting for their reports; a send beyond is answered `queueFull`.
    let queueCapacity: Int
    /// Why a send is refused, or `nil` to deliver it.
    let refuse: Refusal
    private let state = Mutex(State())

    init(broker: InMemoryBroker, reportsPerPoll: Int? = nil, queueCapacity: Int = .max, refuse: @escaping Refusal = { _, _, _ in nil }) {
        self.broker = broker
        self.reportsPerPoll = reportsPerPoll
        self.queueCapacity = queueCapacity
        self.refuse = refuse
    }

    /// How many sends were answered `queueFull`.
    var queueFullAnswers: Int { state.withLock { $0.queueFullAnswers } }

    func topic(named name: String) throws(KafkaError) -> Topic {
        Topic(name: name)
    }

    func send(
        to topic: Topic,
        partition: Int32?,
        key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?,
        headers: [KafkaHeader],
        timestampMilliseconds: Int64?,
        token: UInt64
    ) throws(KafkaError) -> KafkaSendOutcome {
        let record = InMemoryBroker.Record(
            key: key.map(Array.init), value: value.map(Array.init) ?? [], headers: headers.map { ($0.name, $0.value.map(Array.init)) },
            timestampMilliseconds: timestampMilliseconds
        )
        return take(Taken(topic: topic.name, record: record, token: token))
    }

    func send(_ message: KafkaUndeliveredMessage) throws(KafkaError) -> KafkaSendOutcome {
        let record = InMemoryBroker.Record(key: message.key, value: message.value ?? [], headers: message.headers)
        return take(Taken(topic: message.topic, record: record, token: message.token))
    }

    private func take(_ taken: Taken) -> KafkaSendOutcome {
        state.withLock { state in
            guard state.taken.count < queueCapacity else {
                state.queueFullAnswers += 1
                return .queueFull
            }
            state.taken.append(taken)
            return .enqueued
        }
    }

    func pollDeliveryReports(timeout: Duration, _ report: (KafkaDeliveryReport) throws -> Void) throws -> Int {
        let due = state.withLock { state in
            let count = min(reportsPerPoll ?? state.taken.count, state.taken.count)
            let due = Array(state.taken.prefix(count))
            state.taken.removeFirst(count)
            return due.map { taken in
                let output = "\(taken.topic)/\(taken.token)"
                state.attempts[output, default: 0] += 1
                return (taken, state.attempts[output]!)
            }
        }
        for (taken, attempt) in due {
            if let code = refuse(taken.topic, attempt, taken.record) {
                let message = KafkaUndeliveredMessage(
                    topic: taken.topic, partition: 0, key: taken.record.key, value: taken.record.value, headers: taken.record.headers,
                    token: taken.token
                )
                try report(KafkaDeliveryReport(token: taken.token, partition: 0, offset: -1001, error: code, undeliveredMessage: message))
            } else {
                let offset = broker.append(taken.record, to: taken.topic, partition: 0)
                try report(KafkaDeliveryReport(token: taken.token, partition: 0, offset: offset, error: nil))
            }
        }
        return due.count
    }

    func wake(_ wakeup: KafkaQueueWakeup) {}

    /// Drops the records still waiting for their delivery reports, as an aborted transaction
    /// purges them.
    func discardWaiting() {
        state.withLock { $0.taken.removeAll() }
    }
}
