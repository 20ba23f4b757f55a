import Foundation
import Logging
import SluiceKafka
import SluicePipeline
import Synchronization

/// Produces the demo's events on a dedicated thread (librdkafka's calls block), staying at most
/// `lead` events ahead of the processor: the embedded broker keeps only about 5 MB per partition,
/// so an unbounded lead would lose events before they are consumed.
final class DemoEventProducer: Sendable {
    struct Outcome: Sendable {
        var produced: Int
        var malformed: Int
    }

    let bootstrap: String
    let topic: String
    let events: Int
    let lead: Int
    let processor: Processor
    private let isCancelled = Atomic<Bool>(false)

    init(bootstrap: String, topic: String, events: Int, lead: Int = 20_000, processor: Processor) {
        self.bootstrap = bootstrap
        self.topic = topic
        self.events = events
        self.lead = lead
        self.processor = processor
    }

    func cancel() { isCancelled.store(true, ordering: .releasing) }

    func run() async throws -> Outcome {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Outcome, Error>) in
            let thread = Thread { [self] in
                continuation.resume(with: Result { try produce() })
            }
            thread.name = "sluice-demo-producer"
            thread.start()
        }
    }

    private func produce() throws -> Outcome {
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(bootstrapServers: bootstrap),
            logger: Logger(label: "sluice.demo")
        )
        let output = try producer.topic(named: topic)
        var generator = FraudEventGenerator(seed: 2026)
        var event: [UInt8] = []
        var key: [UInt8] = []
        var failure: KafkaError?
        let report: (KafkaDeliveryReport) -> Void = { report in
            if failure == nil, let error = report.error { failure = error }
        }
        for index in 0..<events {
            if index % 512 == 0 {
                while index - processor.statistics.eventsIn > lead, !isCancelled.load(ordering: .acquiring) {
                    try producer.pollDeliveryReports(timeout: .milliseconds(1), report)
                }
                if isCancelled.load(ordering: .acquiring) { break }
                try producer.pollDeliveryReports(report)
            }
            _ = generator.next(event: &event, key: &key)
            while try key.withUnsafeBytes({ key in
                try event.withUnsafeBytes { value in try producer.send(to: output, key: key, value: value, token: 0) }
            }) == .queueFull {
                try producer.pollDeliveryReports(timeout: .milliseconds(10), report)
            }
            if let failure { throw failure }
        }
        try producer.flush(timeout: .seconds(30), report)
        if let failure { throw failure }
        return Outcome(produced: generator.count, malformed: generator.malformedCount)
    }
}
