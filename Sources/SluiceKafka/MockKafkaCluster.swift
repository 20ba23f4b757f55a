import CRdKafka

/// An embedded Kafka cluster: librdkafka's mock brokers, speaking the real protocol on loopback,
/// for tests, benchmarks and `sluice broker`. Supports consumer groups, idempotence and
/// transactions, and can inject faults.
///
/// Known limits: a partition keeps only about 5 MB or 100k batches (older messages vanish), and
/// the protocol's CreateTopics request is not served: create topics with ``createTopic(_:partitions:replicationFactor:)``.
/// The brokers stop when the cluster is released.
public final class MockKafkaCluster: Sendable {
    private let cluster: RDKafkaMockCluster

    /// The number of brokers; their ids are `1...brokerCount`.
    public let brokerCount: Int

    /// Starts `brokers` brokers on loopback ports chosen by the system.
    public init(brokers: Int = 1) throws(KafkaError) {
        guard brokers >= 1 else {
            throw KafkaError(code: .invalidArgument, message: "a mock cluster needs at least 1 broker, not \(brokers)")
        }
        cluster = try RDKafkaMockCluster(brokers: brokers)
        brokerCount = brokers
    }

    /// The replicas each partition gets: one per broker, at most 3 (the mock's default
    /// replication factor).
    public var replicasPerPartition: Int { min(3, brokerCount) }

    /// The bootstrap address, `127.0.0.1:port[,127.0.0.1:port…]`.
    public var bootstrapServers: String { String(cString: rd_kafka_mock_cluster_bootstraps(cluster.handle)) }

    /// Creates `topic`. librdkafka 2.0's mock ignores `replicationFactor` beyond checking it: every
    /// partition gets ``replicasPerPartition`` replicas.
    public func createTopic(_ topic: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
        guard partitions >= 1 else {
            throw KafkaError(code: .invalidArgument, message: "topic \"\(topic)\": partitions must be at least 1, not \(partitions)")
        }
        guard replicationFactor >= 1 else {
            throw KafkaError(
                code: .invalidArgument,
                message: "topic \"\(topic)\": replication factor must be at least 1, not \(replicationFactor)"
            )
        }
        let result = rd_kafka_mock_topic_create(cluster.handle, topic, Int32(partitions), Int32(replicationFactor))
        if let error = KafkaError(checking: result, "cannot create topic \"\(topic)\" on the mock cluster") { throw error }
    }

    /// Creates every defined topic; configs are ignored, as the mock has no topic settings, and
    /// every partition gets ``replicasPerPartition`` replicas whatever the definition says.
    public func createTopics(_ definitions: [KafkaTopicDefinition]) throws(KafkaError) {
        for definition in definitions {
            try createTopic(definition.name, partitions: definition.partitions, replicationFactor: definition.replicationFactor)
        }
    }

    /// Takes broker `id` (from 1) down: its connections close and it refuses new ones.
    public func takeBrokerDown(_ id: Int32) throws(KafkaError) {
        let result = rd_kafka_mock_broker_set_down(cluster.handle, id)
        if let error = KafkaError(checking: result, "cannot take mock broker \(id) down") { throw error }
    }

    /// Brings broker `id` back up.
    public func bringBrokerUp(_ id: Int32) throws(KafkaError) {
        let result = rd_kafka_mock_broker_set_up(cluster.handle, id)
        if let error = KafkaError(checking: result, "cannot bring mock broker \(id) up") { throw error }
    }

    /// Adds `roundTripTime` to every response of broker `id`.
    public func setRoundTripTime(_ roundTripTime: Duration, forBroker id: Int32) throws(KafkaError) {
        let result = rd_kafka_mock_broker_set_rtt(cluster.handle, id, Int32(roundTripTime.timeoutMilliseconds))
        if let error = KafkaError(checking: result, "cannot set the round-trip time of mock broker \(id)") { throw error }
    }

    /// Makes the next `errors.count` requests of kind `request`, to any broker, fail with these
    /// errors in order.
    public func pushRequestErrors(_ errors: [KafkaError.Code], for request: KafkaRequestKind) {
        var codes = errors.map(\.rdKafkaValue)
        rd_kafka_mock_push_request_errors_array(cluster.handle, request.rawValue, codes.count, &codes)
    }

    /// Makes every request for `topic` fail with `error` until cleared with `nil`.
    public func setTopicError(_ error: KafkaError.Code?, for topic: String) {
        rd_kafka_mock_topic_set_error(cluster.handle, topic, error?.rdKafkaValue ?? RD_KAFKA_RESP_ERR_NO_ERROR)
    }
}

/// A Kafka protocol request type (its API key), for ``MockKafkaCluster/pushRequestErrors(_:for:)``.
public struct KafkaRequestKind: Hashable, Sendable {
    /// The protocol's API key.
    public var rawValue: Int16

    public init(rawValue: Int16) { self.rawValue = rawValue }

    public static let produce = KafkaRequestKind(rawValue: 0)
    public static let fetch = KafkaRequestKind(rawValue: 1)
    public static let listOffsets = KafkaRequestKind(rawValue: 2)
    public static let metadata = KafkaRequestKind(rawValue: 3)
    public static let offsetCommit = KafkaRequestKind(rawValue: 8)
    public static let offsetFetch = KafkaRequestKind(rawValue: 9)
    public static let findCoordinator = KafkaRequestKind(rawValue: 10)
    public static let joinGroup = KafkaRequestKind(rawValue: 11)
    public static let heartbeat = KafkaRequestKind(rawValue: 12)
    public static let leaveGroup = KafkaRequestKind(rawValue: 13)
    public static let syncGroup = KafkaRequestKind(rawValue: 14)
    public static let initProducerID = KafkaRequestKind(rawValue: 22)
}
