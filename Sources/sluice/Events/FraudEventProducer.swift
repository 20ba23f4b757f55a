import Foundation
import Logging
import SluiceKafka
import SluicePipeline
import Synchronization

/// Produces ``FraudEventGenerator``'s card transactions to a topic on a dedicated thread
/// (librdkafka's calls block), never faster than its ``EventPacing`` allows. `sluice demo` paces
/// it by the processor, `sluice generate` by a rate.
final class FraudEventProducer: Sendable {
    /// What was produced.
    struct Outcome: Sendable {
        var produced: Int
        var malformed: Int
    }

    let bootstrap: String
    let properties: [String: String]
    let topic: String
    /// The number of events to produce; `nil` for until cancelled.
    let events: Int?
    let seed: UInt64
    let pacing: EventPacing
    private let isCancelled = Atomic<Bool>(false)
    private let producedCount = Atomic<Int>(0)
    private let acknowledgedCount = Atomic<Int>(0)

    init(bootstrap: String, properties: [String: String] = [:], topic: String, events: Int?, seed: UInt64 = 2026, pacing: EventPacing) {
        self.bootstrap = bootstrap
        self.properties = properties
        self.topic = topic
        self.events = events
        self.seed = seed
        self.pacing = pacing
    }

    /// Stops producing; ``run()`` then flushes what was sent and returns.
    func cancel() { isCancelled.store(true, ordering: .releasing) }

    /// Events handed to the producer so far.
    var produced: Int { producedCount.load(ordering: .relaxed) }
    /// Events the cluster has acknowledged so far.
    var acknowledged: Int { acknowledgedCount.load(ordering: .relaxed) }

    /// Produces until `events` are sent or ``cancel()`` is called, then waits for every delivery.
    ///
    /// - Throws: the first failed delivery's ``KafkaError``.
    func run() async throws -> Outcome {
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
        let producer = try KafkaProducer(configuration: configuration, logger: Logger(label: "sluice.events"))
        let output = try producer.topic(named: topic)
        var generator = FraudEventGenerator(seed: seed)
        var event: [UInt8] = []
        var key: [UInt8] = []
        var failure: KafkaError?
        let report: (KafkaDeliveryReport) -> Void = { report in
            if let error = report.error {
                if failure == nil { failure = error }
            } else {
                self.acknowledgedCount.add(1, ordering: .relaxed)
            }
        }
        let started = ContinuousClock.now
        var allowed = 0
        var index = 0
        while index < events ?? .max, !isCancelled.load(ordering: .acquiring) {
            if index >= allowed {
                allowed = pacing.allowance(started.duration(to: .now))
                // Waiting for delivery reports is the pause: they are served while we wait.
                if index >= allowed { try producer.pollDeliveryReports(timeout: .milliseconds(1), report) }
                continue
            }
            if index % 512 == 0 { try producer.pollDeliveryReports(report) }
            _ = generator.next(event: &event, key: &key)
            while try key.withUnsafeBytes({ key in
                try event.withUnsafeBytes { value in try producer.send(to: output, key: key, value: value, token: 0) }
            }) == .queueFull {
                try producer.pollDeliveryReports(timeout: .milliseconds(10), report)
            }
            if let failure { throw failure }
            index += 1
            producedCount.store(index, ordering: .relaxed)
        }
        while try !producer.flush(timeout: .seconds(30), report) {
            if let failure { throw failure }
        }
        if let failure { throw failure }
        return Outcome(produced: generator.count, malformed: generator.malformedCount)
    }
}

/// How many events a ``FraudEventProducer`` may have sent after a given time.
struct EventPacing: Sendable {
    /// The number of events that may have been sent `elapsed` after the start.
    let allowance: @Sendable (_ elapsed: Duration) -> Int

    /// `perSecond` events a second, evenly spread; unlimited when `perSecond` is 0.
    static func rate(_ perSecond: Double) -> EventPacing {
        guard perSecond > 0 else { return EventPacing { _ in .max } }
        return EventPacing { elapsed in
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return 1 + Int(seconds * perSecond)
        }
    }
}
