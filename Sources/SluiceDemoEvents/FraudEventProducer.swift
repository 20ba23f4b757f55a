import Foundation
import Logging
import SluiceKafka
import SluicePipeline
import SluiceTime
import Synchronization

/// Produces ``FraudEventGenerator``'s card transactions to a topic on a dedicated thread
/// (librdkafka's calls block), never faster than its ``EventPacing`` allows. `sluice demo` paces
/// it by the processor, `sluice generate` by a rate; the benchmarks load their input with it, or
/// stream it at a rate while the processor runs.
public final class FraudEventProducer: Sendable {
    /// What was produced.
    public struct Outcome: Sendable {
        public var produced: Int
        /// Malformed events among those made (with ``FraudEventProducer/makesEventsUpFront``,
        /// among all made, sent or not).
        public var malformed: Int
        /// From the start to the last event handed to librdkafka, before the final flush.
        public var seconds: Double
        public var eventsPerSecond: Double { Double(produced) / max(seconds, 1e-9) }

        public init(produced: Int, malformed: Int, seconds: Double) {
            self.produced = produced
            self.malformed = malformed
            self.seconds = seconds
        }
    }

    /// Which partition each event goes to.
    public enum Partitioning: Sendable {
        /// Chosen from the key (the card id) by librdkafka's partitioner, as any producer would.
        case byKey
        /// Event `i` to partition `i` mod `partitions`: an even spread.
        case eachEventInTurn(partitions: Int)
        /// All the events of one burst (see ``EventPacing/burstInterval``) to one partition, the
        /// next burst to the next, as Kafka's sticky partitioner does: each burst becomes one
        /// stored batch. librdkafka's embedded broker walks a partition's stored batches from the
        /// oldest on every fetch and returns one batch per partition per fetch, so a few events
        /// per batch would make it, not the consumer, the bottleneck.
        case eachBurstInTurn(partitions: Int)
    }

    public let bootstrap: String
    public let properties: [String: String]
    public let topic: String
    /// The number of events to produce; `nil` for until cancelled.
    public let events: Int?
    public let seed: UInt64
    public let pacing: EventPacing
    public let partitioning: Partitioning
    /// The producer's `linger.ms`, or `nil` for ``KafkaProducerConfiguration``'s default.
    public let lingerMilliseconds: Int?
    /// Whether all `events` are made before the first is sent, so that making them costs no CPU
    /// while they are sent (a paced benchmark's input).
    public let makesEventsUpFront: Bool
    private let isCancelled = Atomic<Bool>(false)
    private let producedCount = Atomic<Int>(0)
    private let acknowledgedCount = Atomic<Int>(0)

    public init(
        bootstrap: String, properties: [String: String] = [:], topic: String, events: Int?, seed: UInt64 = 2026, pacing: EventPacing,
        partitioning: Partitioning = .byKey, lingerMilliseconds: Int? = nil, makesEventsUpFront: Bool = false
    ) {
        self.bootstrap = bootstrap
        self.properties = properties
        self.topic = topic
        self.events = events
        self.seed = seed
        self.pacing = pacing
        self.partitioning = partitioning
        self.lingerMilliseconds = lingerMilliseconds
        self.makesEventsUpFront = makesEventsUpFront
    }

    /// Stops producing; ``run()`` then flushes what was sent and returns.
    public func cancel() { isCancelled.store(true, ordering: .releasing) }

    /// Events handed to the producer so far.
    public var produced: Int { producedCount.load(ordering: .relaxed) }
    /// Events the cluster has acknowledged so far.
    public var acknowledged: Int { acknowledgedCount.load(ordering: .relaxed) }

    /// Produces until `events` are sent or ``cancel()`` is called, then waits for every delivery.
    ///
    /// - Throws: the first failed delivery's ``KafkaError``.
    public func run() async throws -> Outcome {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Outcome, Error>) in
            let thread = Thread { [self] in
                nameCurrentThread("sluice-events")
                continuation.resume(with: Result { try produce() })
            }
            thread.start()
        }
    }

    private func produce() throws -> Outcome {
        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrap)
        configuration.properties = properties
        if let lingerMilliseconds { configuration.lingerMilliseconds = lingerMilliseconds }
        let producer = try KafkaProducer(configuration: configuration, logger: Logger(label: "sluice.events"))
        let output = try producer.topic(named: topic)
        if case .byKey = partitioning {} else {
            // Sending to a partition by number needs the topic's metadata first.
            _ = try producer.partitionCount(of: output, timeout: .seconds(10))
        }
        var source = FraudEventSource(seed: seed, madeUpFront: makesEventsUpFront ? events ?? 0 : 0)
        var failure: KafkaError?
        let report: (KafkaDeliveryReport) -> Void = { report in
            if let error = report.error {
                if failure == nil { failure = error }
            } else {
                self.acknowledgedCount.add(1, ordering: .relaxed)
            }
        }
        let limit = events ?? .max
        let clock = ContinuousClock()
        let started = clock.now
        var nextBurst = started
        var sent = 0
        var bursts = 0
        while sent < limit, !isCancelled.load(ordering: .acquiring) {
            let now = clock.now
            if now < nextBurst {
                try producer.pollDeliveryReports(report)
                usleep(UInt32(min(1_000, max(100, Self.seconds(nextBurst - now) * 1e6))))
                continue
            }
            nextBurst = now + pacing.burstInterval
            let due = min(limit, pacing.allowance(started.duration(to: now)))
            if due <= sent {
                // Waiting for delivery reports is the pause: they are served while we wait.
                try producer.pollDeliveryReports(timeout: .milliseconds(1), report)
                continue
            }
            let burstEnd = min(due, sent + 1_024)
            while sent < burstEnd {
                let partition = partition(ofEvent: sent, burst: bursts)
                try source.withNext { key, value in
                    while try producer.send(to: output, partition: partition, key: key, value: value, token: 0) == .queueFull {
                        try producer.pollDeliveryReports(timeout: .milliseconds(10), report)
                    }
                }
                sent += 1
            }
            bursts += 1
            producedCount.store(sent, ordering: .relaxed)
            try producer.pollDeliveryReports(report)
            if let failure { throw failure }
        }
        let seconds = Self.seconds(started.duration(to: clock.now))
        while try !producer.flush(timeout: .seconds(30), report) {
            if let failure { throw failure }
        }
        if let failure { throw failure }
        return Outcome(produced: sent, malformed: source.malformedCount, seconds: seconds)
    }

    private func partition(ofEvent index: Int, burst: Int) -> Int32? {
        switch partitioning {
        case .byKey: nil
        case .eachEventInTurn(let partitions): Int32(index % partitions)
        case .eachBurstInTurn(let partitions): Int32(burst % partitions)
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        duration.inSeconds
    }
}

/// How many events a ``FraudEventProducer`` may have sent after a given time, and how often it
/// sends what is due.
public struct EventPacing: Sendable {
    /// The number of events that may have been sent `elapsed` after the start.
    public let allowance: @Sendable (_ elapsed: Duration) -> Int
    /// The time between two bursts: the events due are sent together at most this often (zero:
    /// as soon as they are due).
    public let burstInterval: Duration

    public init(burstInterval: Duration = .zero, allowance: @escaping @Sendable (_ elapsed: Duration) -> Int) {
        self.allowance = allowance
        self.burstInterval = burstInterval
    }

    /// As fast as the cluster takes them.
    public static let unlimited = EventPacing { _ in .max }

    /// `perSecond` events a second, evenly spread, sent every `burstInterval`; unlimited when
    /// `perSecond` is 0.
    public static func rate(_ perSecond: Double, burstInterval: Duration = .zero) -> EventPacing {
        guard perSecond > 0 else { return .unlimited }
        return EventPacing(burstInterval: burstInterval) { elapsed in
            let seconds = elapsed.inSeconds
            return 1 + Int(seconds * perSecond)
        }
    }
}
