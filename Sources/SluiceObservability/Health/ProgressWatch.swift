import SluiceKafka
import SluicePipeline

/// Tells a wedged processor from an idle one: it is wedged when it holds partitions, input waits
/// for it (lag above zero in librdkafka's latest statistics, or events in flight), and for
/// ``stallTimeout`` it has neither consumed an event nor had an output acknowledged. An idle
/// processor (no lag, nothing in flight) never counts as wedged, however long it waits.
struct ProgressWatch: Sendable {
    /// How long a processor with waiting input may go without progress.
    let stallTimeout: Duration
    private var lastProgress: ContinuousClock.Instant?
    private var consumed = 0
    private var acknowledged = 0
    private var inFlight = 0
    private var assignedPartitions = 0
    /// The consumer's total lag over its assigned partitions, when its statistics tell it.
    private var lag: Int64?

    init(stallTimeout: Duration) {
        self.stallTimeout = stallTimeout
    }

    /// The processor published its totals at `now`.
    mutating func published(_ statistics: ProcessorStatistics, now: ContinuousClock.Instant) {
        if lastProgress == nil || statistics.eventsIn != consumed || statistics.acknowledgedOutputs != acknowledged {
            lastProgress = now
        }
        consumed = statistics.eventsIn
        acknowledged = statistics.acknowledgedOutputs
        inFlight = statistics.inFlight
        assignedPartitions = statistics.assignedPartitions
    }

    /// librdkafka's statistics of the consumer arrived.
    mutating func consumerStatisticsArrived(_ statistics: KafkaStatistics) {
        let lags = statistics.partitions.filter(\.isDesired).compactMap(KafkaStatisticsGauges.lag(of:))
        lag = lags.isEmpty ? nil : lags.reduce(0, +)
    }

    /// Why the processor counts as wedged at `now`, or `nil`.
    func stall(now: ContinuousClock.Instant) -> String? {
        guard let lastProgress, assignedPartitions > 0, now - lastProgress >= stallTimeout else { return nil }
        let waiting = max(lag ?? 0, Int64(inFlight))
        guard waiting > 0 else { return nil }
        return "\(assignedPartitions) assigned partitions made no progress for \(now - lastProgress) "
            + "while \(waiting) events wait (lag \(lag.map(String.init) ?? "unknown"), \(inFlight) in flight)"
    }
}
