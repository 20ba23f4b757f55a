import Foundation
import Logging
import SluiceKafka
import SluicePipeline
import Synchronization

/// Produces `sluice demo`'s fraud events (``FraudEventGenerator``) into the benchmark's input
/// topic, spread evenly over its partitions, on a dedicated thread (librdkafka's calls block).
///
/// Three paces: everything up front (``preload()``), a steady rate while the processor runs, or
/// as fast as the producer can go (overload).
final class BenchEventProducer: Sendable {
    enum Pace: Sendable {
        /// As fast as possible, with large batches: loading the input before the runs start.
        case preload
        /// `eventsPerSecond`, the events due sent in a burst every `burstMilliseconds`, each burst
        /// one batch (the producer's `linger.ms` is 1); each event's timestamp is taken when it is
        /// sent, so the pacing's granularity does not count in latencies.
        case rate(eventsPerSecond: Double, burstMilliseconds: Int)
        /// As fast as possible, concurrently with processing.
        case flood

        /// The steady rate, or `nil` for as fast as possible.
        var eventsPerSecond: Double? {
            if case .rate(let eventsPerSecond, _) = self { eventsPerSecond } else { nil }
        }

        /// The time between two paced bursts.
        var burstInterval: Duration {
            if case .rate(_, let burstMilliseconds) = self { .milliseconds(burstMilliseconds) } else { .zero }
        }
    }

    struct Outcome: Sendable {
        var produced: Int
        var seconds: Double
        var eventsPerSecond: Double { Double(produced) / max(seconds, 1e-9) }
    }

    let bootstrap: String
    let topic: String
    let partitions: Int
    let events: Int
    let pace: Pace
    private let isCancelled = Atomic<Bool>(false)
    private let producedCount = Atomic<Int>(0)

    init(bootstrap: String, topic: String, partitions: Int, events: Int, pace: Pace) {
        self.bootstrap = bootstrap
        self.topic = topic
        self.partitions = partitions
        self.events = events
        self.pace = pace
    }

    /// Events handed to the producer so far.
    var produced: Int { producedCount.load(ordering: .relaxed) }

    /// Stops producing early (the flood's end).
    func cancel() { isCancelled.store(true, ordering: .releasing) }

    /// Produces on the calling thread until every event is acknowledged.
    func preload() throws -> Outcome { try produce() }

    /// Produces on a thread of its own; returns once every event is acknowledged or, after
    /// ``cancel()``, once what was sent is.
    func run() async throws -> Outcome {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Outcome, Error>) in
            let thread = Thread { [self] in
                nameCurrentThread("sluice-bench-in")
                continuation.resume(with: Result { try produce() })
            }
            thread.start()
        }
    }

    private func produce() throws -> Outcome {
        let eventsPerSecond = pace.eventsPerSecond
        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrap)
        if eventsPerSecond != nil {
            // The event's timestamp is taken when it is sent: lingering counts in its latency,
            // as it would for any upstream producer.
            configuration.lingerMilliseconds = 1
        } else {
            configuration.lingerMilliseconds = 20
        }
        let producer = try KafkaProducer(configuration: configuration, logger: Logger(label: "sluice.bench.input"))
        let output = try producer.topic(named: topic)
        _ = try producer.partitionCount(of: output, timeout: .seconds(10))
        var source = eventsPerSecond != nil ? BenchEventSource(madeUpFront: events) : BenchEventSource()
        var failure: KafkaError?
        let report: (KafkaDeliveryReport) -> Void = { report in
            if failure == nil, let error = report.error { failure = error }
        }
        let clock = ContinuousClock()
        if eventsPerSecond != nil {
            // A consumer just given its partitions still looks up where to start in each: events
            // sent before it fetches would measure that once-only lookup, not the stream.
            Thread.sleep(forTimeInterval: 1)
        }
        let started = clock.now
        var nextBurst = started
        var sent = 0
        var bursts = 0
        while sent < events, !isCancelled.load(ordering: .acquiring) {
            var due = events
            if let eventsPerSecond {
                let now = clock.now
                if now < nextBurst {
                    try producer.pollDeliveryReports(report)
                    usleep(UInt32(min(1_000, max(100, (nextBurst - now).inSeconds * 1e6))))
                    continue
                }
                nextBurst = now + pace.burstInterval
                due = min(events, Int(started.duration(to: now).inSeconds * eventsPerSecond) + 1)
                if due <= sent { continue }
            }
            let burstEnd = min(due, sent + 1_024)
            let burstPartition = Int32(bursts % partitions)
            bursts += 1
            while sent < burstEnd {
                // A paced burst goes to one partition, in turn (as Kafka's sticky partitioner
                // does), and becomes one stored batch. The embedded broker finds a fetch's offset
                // by walking the partition's stored batches from the oldest and returns one batch
                // per partition per fetch: a burst of a few events whenever one is due (what this
                // loop did before bursts were spaced) made it, not Sluice, the bottleneck.
                let partition = eventsPerSecond != nil ? burstPartition : Int32(sent % partitions)
                try source.withNext { key, value in
                    while try producer.send(to: output, partition: partition, key: key, value: value, token: 0) == .queueFull {
                        try producer.pollDeliveryReports(timeout: .milliseconds(10), report)
                    }
                }
                sent += 1
            }
            producedCount.store(sent, ordering: .relaxed)
            try producer.pollDeliveryReports(report)
            if let failure { throw failure }
        }
        let seconds = started.duration(to: clock.now).inSeconds
        guard try producer.flush(timeout: .seconds(120), report) else { throw BenchFailure("the input producer could not flush") }
        if let failure { throw failure }
        return Outcome(produced: sent, seconds: seconds)
    }
}
