/// Which kind of librdkafka client a property is meant for, so that one property map (Sluice's
/// `kafka.properties`) can configure a consumer and a producer alike without librdkafka warning
/// about properties the other kind ignores.
public enum KafkaClientRole: Sendable {
    case consumer
    case producer

    /// The properties of `properties` that apply to this kind of client: all but those librdkafka
    /// 2.0's CONFIGURATION.md marks as the other kind's only (its `C/P` column).
    public func applicable(_ properties: [String: String]) -> [String: String] {
        let otherOnly = self == .consumer ? Self.producerOnly : Self.consumerOnly
        return properties.filter { !otherOnly.contains($0.key) }
    }

    static let consumerOnly: Set<String> = [
        "auto.commit.enable", "auto.commit.interval.ms", "auto.offset.reset", "check.crcs",
        "consume.callback.max.messages", "coordinator.query.interval.ms", "enable.auto.commit",
        "enable.auto.offset.store", "enable.partition.eof", "fetch.error.backoff.ms", "fetch.max.bytes",
        "fetch.message.max.bytes", "fetch.min.bytes", "fetch.wait.max.ms", "group.id", "group.instance.id",
        "group.protocol.type", "heartbeat.interval.ms", "isolation.level", "max.partition.fetch.bytes",
        "max.poll.interval.ms", "offset.store.method", "offset.store.path", "offset.store.sync.interval.ms",
        "partition.assignment.strategy", "queued.max.messages.kbytes", "queued.min.messages",
        "session.timeout.ms",
    ]

    static let producerOnly: Set<String> = [
        "acks", "batch.num.messages", "batch.size", "compression.codec", "compression.level",
        "compression.type", "delivery.report.only.error", "delivery.timeout.ms", "enable.gapless.guarantee",
        "enable.idempotence", "linger.ms", "message.send.max.retries", "message.timeout.ms", "partitioner",
        "produce.offset.report", "queue.buffering.backpressure.threshold", "queue.buffering.max.kbytes",
        "queue.buffering.max.messages", "queue.buffering.max.ms", "queuing.strategy", "request.required.acks",
        "request.timeout.ms", "retries", "retry.backoff.ms", "sticky.partitioning.linger.ms",
        "transaction.timeout.ms", "transactional.id",
    ]
}
