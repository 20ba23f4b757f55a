import Foundation

/// The part of librdkafka's statistics (its `STATISTICS.md`) that an operator watches: the
/// producer's queue, each broker's state and round-trip time, and each partition's offsets and
/// consumer lag. Emitted every `statistics.interval.ms` to a configuration's `statisticsHandler`.
public struct KafkaStatistics: Sendable, Hashable, Decodable {
    /// One broker connection.
    public struct Broker: Sendable, Hashable, Decodable {
        /// `host:port/id`, as librdkafka names it.
        public var name: String
        /// The broker's id; negative for bootstrap and internal pseudo-brokers.
        public var nodeID: Int
        /// The connection state: `UP` when connected, otherwise `INIT`, `DOWN`, `CONNECT`, ….
        public var state: String
        /// Request round-trip times over the last interval, in microseconds; `nil` before any.
        public var roundTrip: Window?

        /// Whether the connection is up.
        public var isUp: Bool { state == "UP" }

        enum CodingKeys: String, CodingKey {
            case name, state
            case nodeID = "nodeid"
            case roundTrip = "rtt"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            nodeID = try container.decode(Int.self, forKey: .nodeID)
            state = try container.decode(String.self, forKey: .state)
            let window = try container.decodeIfPresent(Window.self, forKey: .roundTrip)
            roundTrip = window.flatMap { $0.count > 0 ? $0 : nil }
        }
    }

    /// A rolling window of samples in microseconds.
    public struct Window: Sendable, Hashable, Decodable {
        public var average: Int64
        public var p99: Int64
        public var count: Int64

        enum CodingKeys: String, CodingKey {
            case p99
            case average = "avg"
            case count = "cnt"
        }
    }

    /// One partition of one topic, as this client sees it.
    public struct Partition: Sendable, Hashable {
        public var topic: String
        public var partition: Int32
        /// Whether the application assigned it (a consumer's partition) or it has queued messages
        /// (a producer's).
        public var isDesired: Bool
        /// The high watermark last seen by fetches; -1 when unknown.
        public var highWatermark: Int64
        /// The group's committed offset; -1001 (invalid) when none is known.
        public var committedOffset: Int64
        /// High watermark minus committed offset; -1 when either is unknown.
        public var consumerLag: Int64
        /// Messages waiting in the producer for this partition.
        public var queuedMessages: Int64
    }

    /// `producer` or `consumer`.
    public var type: String
    /// Messages in the producer's queues (waiting, in flight, or with an uncollected delivery report).
    public var queuedMessages: Int64
    /// Bytes of those messages.
    public var queuedBytes: Int64
    /// Every broker, bootstrap and internal ones included.
    public var brokers: [Broker]
    /// Every partition of every topic the client knows, ordered by topic then partition.
    public var partitions: [Partition]

    /// The brokers known by id (`nodeID >= 0`), the ones that serve partitions.
    public var clusterBrokers: [Broker] { brokers.filter { $0.nodeID >= 0 } }

    /// Parses statistics JSON as librdkafka emits it.
    public init(json: String) throws {
        self = try JSONDecoder().decode(KafkaStatistics.self, from: Data(json.utf8))
    }

    enum CodingKeys: String, CodingKey {
        case type, brokers, topics
        case queuedMessages = "msg_cnt"
        case queuedBytes = "msg_size"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        queuedMessages = try container.decodeIfPresent(Int64.self, forKey: .queuedMessages) ?? 0
        queuedBytes = try container.decodeIfPresent(Int64.self, forKey: .queuedBytes) ?? 0
        brokers = try container.decodeIfPresent([String: Broker].self, forKey: .brokers)?.values.sorted { $0.name < $1.name } ?? []
        let topics = try container.decodeIfPresent([String: TopicEntry].self, forKey: .topics) ?? [:]
        partitions = topics.keys.sorted().flatMap { topic in
            topics[topic]!.partitions.values
                .filter { $0.partition >= 0 }
                .sorted { $0.partition < $1.partition }
                .map { entry in
                    Partition(
                        topic: topic, partition: entry.partition, isDesired: entry.desired, highWatermark: entry.hi_offset,
                        committedOffset: entry.committed_offset, consumerLag: entry.consumer_lag, queuedMessages: entry.msgq_cnt
                    )
                }
        }
    }

    private struct TopicEntry: Decodable {
        var partitions: [String: PartitionEntry]
    }

    // Named as in the JSON; the UA pseudo-partition is -1.
    private struct PartitionEntry: Decodable {
        var partition: Int32
        var desired: Bool
        var hi_offset: Int64
        var committed_offset: Int64
        var consumer_lag: Int64
        var msgq_cnt: Int64
    }
}
