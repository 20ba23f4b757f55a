/// How a ``KafkaConsumer`` joins its group and reads. Every field has a default suited to Sluice:
/// offsets are stored only by the application (after its work is done) and committed by librdkafka
/// in the background, plus explicitly through ``KafkaConsumer/commit()``.
public struct KafkaConsumerConfiguration: Sendable {
    /// How the group's partitions are shared among its members.
    public enum AssignmentStrategy: String, Sendable, CaseIterable {
        /// Stop-the-world rebalancing: every member gives up all partitions, then gets a new set
        /// (`range`).
        case eager = "range"
        /// Incremental rebalancing: members keep their partitions and only moved ones are revoked
        /// (`cooperative-sticky`).
        case cooperativeSticky = "cooperative-sticky"
    }

    /// Where to start in a partition without a committed offset.
    public enum OffsetReset: String, Sendable, CaseIterable {
        /// The first retained message.
        case earliest
        /// Only messages produced after the consumer joined.
        case latest
    }

    /// The brokers to bootstrap from, `host:port[,host:port…]`.
    public var bootstrapServers: String
    /// The consumer group (`group.id`).
    public var groupID: String
    /// The assignment strategy (`partition.assignment.strategy`); cooperative-sticky by default.
    public var assignmentStrategy: AssignmentStrategy = .cooperativeSticky
    /// Where to start without a committed offset (`auto.offset.reset`).
    public var offsetReset: OffsetReset = .earliest
    /// Whether stored offsets are committed in the background every
    /// ``autoCommitIntervalMilliseconds`` (`enable.auto.commit`). Only offsets stored through
    /// ``KafkaConsumer/storeOffsets(_:)`` are ever committed.
    public var isAutoCommitEnabled: Bool = true
    /// The background commit period (`auto.commit.interval.ms`).
    public var autoCommitIntervalMilliseconds: Int = 1_000
    /// How long the group waits for a silent member before moving its partitions (`session.timeout.ms`).
    public var sessionTimeoutMilliseconds: Int = 10_000
    /// The client id the brokers see (`client.id`).
    public var clientID: String = "sluice"
    /// How often librdkafka reports its statistics to ``statisticsHandler``
    /// (`statistics.interval.ms`); 0 for never.
    public var statisticsIntervalMilliseconds: Int = 0
    /// How many fetched messages librdkafka may hold for the application before it stops fetching
    /// (`queued.min.messages`); the consumer's prefetch is also bounded by size,
    /// `queued.max.messages.kbytes` (64 MiB unless set in ``properties``).
    ///
    /// librdkafka 2.0.2 counts this over the whole consumer queue and, once a limit is reached,
    /// backs every partition's fetching off for one second (later versions call it
    /// `fetch.queue.backoff.ms`). Its default of 100,000 messages lasts under half a second at
    /// Sluice's rate, so a consumer that is behind would sit idle for the rest of every second.
    /// One million lets the size bound govern, which holds about a second of typical events.
    public var prefetchMessageLimit: Int = 1_000_000
    /// Receives librdkafka's statistics JSON (parse it with ``KafkaStatistics/init(json:)``) on
    /// the thread that polls the consumer, so it should only hand the text on.
    public var statisticsHandler: (@Sendable (String) -> Void)?
    /// Told the result of every offset commit, background or explicit, that had offsets to
    /// commit: `nil` on success. Runs on the thread that polls or closes the consumer.
    public var commitHandler: (@Sendable (KafkaError?) -> Void)?
    /// Told, on librdkafka's threads, whenever the consumer had to move a partition's position
    /// because the broker no longer had the offset (``KafkaOffsetReset``): events were skipped.
    public var offsetResetHandler: (@Sendable (KafkaOffsetReset) -> Void)?
    /// Told, on the thread that polls, every broker connection error librdkafka reports
    /// (``KafkaBrokerConnectivityError``); the consumer also logs them, at most one line per 30 s.
    public var brokerConnectivityHandler: (@Sendable (KafkaBrokerConnectivityError) -> Void)?
    /// Any other librdkafka property, passed through as is and applied last, so it overrides the
    /// fields above: `security.protocol`, `sasl.*`, `ssl.*`, `fetch.*`, …
    public var properties: [String: String] = [:]

    public init(bootstrapServers: String, groupID: String) {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
    }

    /// The complete librdkafka property set.
    public var librdkafkaProperties: [String: String] {
        var result = [
            "bootstrap.servers": bootstrapServers,
            "group.id": groupID,
            "partition.assignment.strategy": assignmentStrategy.rawValue,
            "auto.offset.reset": offsetReset.rawValue,
            "enable.auto.commit": isAutoCommitEnabled ? "true" : "false",
            "auto.commit.interval.ms": String(autoCommitIntervalMilliseconds),
            "enable.auto.offset.store": "false",
            "session.timeout.ms": String(sessionTimeoutMilliseconds),
            "client.id": clientID,
            // TCP_NODELAY, as Kafka's own clients set: a request goes out at once instead of
            // waiting for the broker to acknowledge the previous one (up to its 40 ms delayed ACK).
            "socket.nagle.disable": "true",
            "statistics.interval.ms": String(statisticsIntervalMilliseconds),
            "queued.min.messages": String(prefetchMessageLimit),
        ]
        result.merge(properties) { _, passedThrough in passedThrough }
        return result
    }
}
