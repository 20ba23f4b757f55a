import CoreMetrics
import Logging
import Prometheus
import SluiceKafka
import Synchronization

/// The gauges fed by librdkafka's statistics: consumer lag per assigned partition, the
/// producer's queue, and each broker's state and round-trip time.
///
/// Statistics arrive as text on the processor's thread and are only kept there; ``refresh(logger:)``
/// parses them later, on a scrape. Gauges of partitions no longer assigned and of brokers no
/// longer reported are removed, so a revoked partition's lag does not linger.
final class KafkaStatisticsGauges: Sendable {
    private struct Series: Hashable {
        var name: String
        var labels: [String]
    }

    private let factory: PrometheusMetricsFactory
    private let producerQueueMessages: Gauge
    private let producerQueueBytes: Gauge
    /// Statistics received and not yet parsed, newest last; a few at most.
    private let pending = Mutex<[String]>([])
    /// The gauges whose series come and go, by client (`consumer`, `producer`).
    private let dynamic = Mutex<[String: [Series: Gauge]]>([:])

    init(factory: PrometheusMetricsFactory) {
        self.factory = factory
        producerQueueMessages = Gauge(label: MetricName.producerQueueMessages, factory: factory)
        producerQueueBytes = Gauge(label: MetricName.producerQueueBytes, factory: factory)
    }

    /// Keeps `json` for the next refresh; cheap, as it runs on the processor's thread.
    func receive(_ json: String) {
        pending.withLock { pending in
            // The consumer's and the producer's latest are all a refresh needs.
            if pending.count >= 4 { pending.removeFirst(pending.count - 3) }
            pending.append(json)
        }
    }

    /// Parses what arrived since the last refresh into the gauges and returns it, oldest first.
    func refresh(logger: Logger) -> [KafkaStatistics] {
        let texts = pending.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
        var parsed: [KafkaStatistics] = []
        for text in texts {
            do {
                parsed.append(try KafkaStatistics(json: text))
            } catch {
                logger.warning("cannot parse librdkafka statistics", metadata: ["error": "\(error)"])
            }
        }
        for statistics in parsed { update(from: statistics) }
        return parsed
    }

    private func update(from statistics: KafkaStatistics) {
        let client = statistics.type
        var values: [Series: Double] = [:]
        // Series of brokers that sent no request during the interval keep their last value.
        var idle: Set<Series> = []
        var up = 0
        for broker in statistics.brokers where !broker.name.hasSuffix("/internal") {
            if broker.isUp { up += 1 }
            guard broker.nodeID >= 0 else { continue }
            let average = Series(name: MetricName.brokerRoundTrip, labels: [client, broker.name])
            let p99 = Series(name: MetricName.brokerRoundTripP99, labels: [client, broker.name])
            guard let roundTrip = broker.roundTrip else {
                idle.formUnion([average, p99])
                continue
            }
            values[average] = Double(roundTrip.average) / 1e6
            values[p99] = Double(roundTrip.p99) / 1e6
        }
        values[Series(name: MetricName.brokersUp, labels: [client])] = Double(up)
        if client == "producer" {
            producerQueueMessages.record(statistics.queuedMessages)
            producerQueueBytes.record(statistics.queuedBytes)
        } else {
            for partition in statistics.partitions where partition.isDesired {
                guard let lag = Self.lag(of: partition) else { continue }
                values[Series(name: MetricName.consumerLag, labels: [partition.topic, String(partition.partition)])] = Double(lag)
            }
        }
        dynamic.withLock { dynamic in
            var current = dynamic[client, default: [:]]
            for (series, gauge) in current where values[series] == nil && !idle.contains(series) {
                gauge.destroy()
                current[series] = nil
            }
            for (series, value) in values {
                let gauge = current[series] ?? makeGauge(series, client: client)
                gauge.record(value)
                current[series] = gauge
            }
            dynamic[client] = current
        }
    }

    private func makeGauge(_ series: Series, client: String) -> Gauge {
        let names: [String] =
            switch series.name {
            case MetricName.consumerLag: ["topic", "partition"]
            case MetricName.brokersUp: ["client"]
            default: ["client", "broker"]
            }
        return Gauge(label: series.name, dimensions: Array(zip(names, series.labels)), factory: factory)
    }

    /// The high watermark minus the committed offset, as librdkafka computes it or from both
    /// offsets; `nil` while either is unknown (before the first fetch or commit).
    static func lag(of partition: KafkaStatistics.Partition) -> Int64? {
        if partition.consumerLag >= 0 { return partition.consumerLag }
        guard partition.highWatermark >= 0 else { return nil }
        return partition.committedOffset >= 0 ? max(0, partition.highWatermark - partition.committedOffset) : nil
    }
}
