/// How a ``KafkaProducer`` connects and delivers. Every field has a default suited to Sluice:
/// idempotent delivery, so a retried send never duplicates or reorders a message.
public struct KafkaProducerConfiguration: Sendable {
    /// The brokers to bootstrap from, `host:port[,host:port…]`.
    public var bootstrapServers: String
    /// Idempotent delivery (`enable.idempotence`): exactly one copy of each message, in order per
    /// partition, even across retries. On by default.
    public var isIdempotent: Bool = true
    /// How long to wait for more messages before sending a batch (`linger.ms`).
    public var lingerMilliseconds: Int = 5
    /// How many messages may wait in the producer before ``KafkaProducer/send(to:partition:key:value:headers:token:)``
    /// reports ``KafkaSendOutcome/queueFull`` (`queue.buffering.max.messages`).
    public var maxQueuedMessages: Int = 100_000
    /// How long librdkafka keeps retrying a message before reporting it failed (`message.timeout.ms`).
    public var messageTimeoutMilliseconds: Int = 300_000
    /// The client id the brokers see in their logs and quotas (`client.id`).
    public var clientID: String = "sluice"
    /// How often librdkafka reports its statistics to ``statisticsHandler``
    /// (`statistics.interval.ms`); 0 for never.
    public var statisticsIntervalMilliseconds: Int = 0
    /// Receives librdkafka's statistics JSON (parse it with ``KafkaStatistics/init(json:)``) on
    /// the thread that collects delivery reports, so it should only hand the text on.
    public var statisticsHandler: (@Sendable (String) -> Void)?
    /// Any other librdkafka property, passed through as is and applied last, so it overrides the
    /// fields above: `security.protocol`, `sasl.*`, `ssl.*`, `compression.type`, …
    public var properties: [String: String] = [:]

    public init(bootstrapServers: String) {
        self.bootstrapServers = bootstrapServers
    }

    /// The complete librdkafka property set.
    public var librdkafkaProperties: [String: String] {
        var result = [
            "bootstrap.servers": bootstrapServers,
            "enable.idempotence": isIdempotent ? "true" : "false",
            "linger.ms": String(lingerMilliseconds),
            "queue.buffering.max.messages": String(maxQueuedMessages),
            "message.timeout.ms": String(messageTimeoutMilliseconds),
            "client.id": clientID,
            // TCP_NODELAY, as Kafka's own clients set: a request goes out at once instead of
            // waiting for the broker to acknowledge the previous one (up to its 40 ms delayed ACK).
            "socket.nagle.disable": "true",
            "statistics.interval.ms": String(statisticsIntervalMilliseconds),
        ]
        result.merge(properties) { _, passedThrough in passedThrough }
        return result
    }
}
