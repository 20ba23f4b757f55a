import SluiceKafka
import Synchronization

/// Topics and a consumer group's committed offsets in memory, for driving the real processor loop
/// through an ``InMemorySource`` and an ``InMemorySink`` without a broker: deterministic, and
/// scriptable where Kafka is not (a revoke at a chosen poll, a queue that fills, a refused record).
final class InMemoryBroker: Sendable {
    /// A record as stored.
    struct Record: Sendable {
        var key: [UInt8]?
        var value: [UInt8]
        var headers: [(name: String, value: [UInt8]?)] = []
        var timestampMilliseconds: Int64?

        /// The last header named `name`, as text.
        func header(_ name: String) -> String? {
            headers.last { $0.name == name }?.value.map { String(decoding: $0, as: UTF8.self) }
        }

        var text: String { String(decoding: value, as: UTF8.self) }
    }

    private struct State {
        var topics: [String: [[Record]]] = [:]
        var committed: [KafkaTopicPartition: Int64] = [:]
    }

    private let state = Mutex(State())

    /// Creates `name` with `partitions` empty partitions.
    func createTopic(_ name: String, partitions: Int) {
        state.withLock { $0.topics[name] = Array(repeating: [], count: partitions) }
    }

    /// Appends `record` to `partition` of `topic`; returns its offset.
    @discardableResult
    func append(_ record: Record, to topic: String, partition: Int32) -> Int64 {
        state.withLock { state in
            state.topics[topic]![Int(partition)].append(record)
            return Int64(state.topics[topic]![Int(partition)].count - 1)
        }
    }

    /// The partitions of `topic`.
    func partitions(of topic: String) -> [KafkaTopicPartition] {
        state.withLock { state in
            (0..<(state.topics[topic]?.count ?? 0)).map { KafkaTopicPartition(topic: topic, partition: Int32($0)) }
        }
    }

    /// The record at `offset` of `partition`, if there is one yet.
    func record(at offset: Int64, of partition: KafkaTopicPartition) -> Record? {
        state.withLock { state in
            guard let log = state.topics[partition.topic]?[Int(partition.partition)], offset < log.count else { return nil }
            return log[Int(offset)]
        }
    }

    /// Every record of `topic`, partition after partition.
    func records(of topic: String) -> [Record] {
        state.withLock { $0.topics[topic]?.flatMap { $0 } ?? [] }
    }

    /// How many records each partition of `topic` holds, for the partitions that hold any: the
    /// offsets a consumer that read them all commits (it commits nothing for an empty one).
    func ends(of topic: String) -> [KafkaTopicPartition: Int64] {
        state.withLock { state in
            var ends: [KafkaTopicPartition: Int64] = [:]
            for (index, log) in (state.topics[topic] ?? []).enumerated() where !log.isEmpty {
                ends[KafkaTopicPartition(topic: topic, partition: Int32(index))] = Int64(log.count)
            }
            return ends
        }
    }

    /// The group's committed offsets (each the next offset to read).
    var committed: [KafkaTopicPartition: Int64] {
        state.withLock { $0.committed }
    }

    func commit(_ offsets: [KafkaTopicPartition: Int64]) {
        state.withLock { $0.committed.merge(offsets) { $1 } }
    }
}
