import Foundation
import Logging
import SluiceKafka
import SluiceKernels

/// The token of drift records: slot 65535, generation 255, which the ledger never hands out
/// together for a live partition, so their reports come back stale.
private let driftRecordToken = UInt64.max

/// Drift monitoring inside a processor's loop: feeds every scored batch to a ``DriftMonitor`` and,
/// after every window of events, tells the observer (metrics), writes a ``DriftRecord`` to the
/// drift topic and logs the columns that started or stopped drifting.
///
/// A drift record is no input's output: it carries a token that names no ledger slot, so its
/// delivery report is ignored, and it is dropped rather than waited for when the producer's queue
/// is full. Losing one costs a window's statistics, never an event.
final class DriftWatch<Sink: RecordSink> {
    private var monitor: DriftMonitor
    private let settings: SluiceConfiguration.Monitoring
    private let sink: Sink
    private let topic: Sink.Topic?
    private let observer: (any ProcessorObserver)?
    private let logger: Logger
    private let instance: String
    private var previous: DriftReport?
    /// Windows of events reported so far: a report follows each batch that completes another `windowSize` events.
    private var reportedWindows = 0


    init(
        profile: ReferenceProfile, settings: SluiceConfiguration.Monitoring, sink: Sink,
        observer: (any ProcessorObserver)?, instance: String, logger: Logger
    ) throws {
        monitor = DriftMonitor(profile: profile, windowSize: settings.window, stabilityThreshold: settings.psiThreshold)
        self.settings = settings
        self.sink = sink
        topic = try settings.topic.map { try sink.topic(named: $0) }
        self.observer = observer
        self.instance = instance
        self.logger = logger
    }

    /// Compares from now on with `profile`, a replaced model's: its windows start afresh, since
    /// the outputs it describes are the new model's.
    func adopt(_ profile: ReferenceProfile) {
        guard profile != monitor.profile else { return }
        monitor = DriftMonitor(profile: profile, windowSize: settings.window, stabilityThreshold: settings.psiThreshold)
        reportedWindows = 0
        previous = nil
    }

    /// Takes in a scored batch and its outputs; reports when the batch completes another `windowSize` events since the start.
    func observe(_ batch: MicroBatch, outputs: [Tensor]) {
        batch.features.withUnsafeBufferPointer { features in
            monitor.observe(
                features: UnsafeBufferPointer(rebasing: features[0 ..< batch.count * batch.width]), width: batch.width,
                rows: batch.count, outputs: outputs
            )
        }
        let windows = monitor.events / monitor.windowSize
        guard windows > reportedWindows else { return }
        reportedWindows = windows
        report(monitor.report())
    }

    private func report(_ report: DriftReport) {
        observer?.processorReportedDrift(report, previous: previous)
        let before = Set(previous?.drifted ?? [])
        let now = Set(report.drifted)
        if now != before {
            logger.warning(
                "drift against the reference profile changed",
                metadata: ["drifted": "\(report.drifted)", "recovered": "\(before.subtracting(now).sorted())", "events": "\(report.events)"]
            )
        }
        previous = report
        guard let topic else { return }
        let record = DriftRecord(report: report, processor: instance, timestampMilliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        do {
            let json = try record.jsonData()
            let key = Array(report.model.name.utf8)
            let outcome = try json.withUnsafeBytes { value in
                try key.withUnsafeBytes { key in
                    try sink.send(to: topic, partition: nil, key: key, value: value, headers: [], timestampMilliseconds: nil, token: driftRecordToken)
                }
            }
            if outcome == .queueFull { logger.notice("drift record dropped: the producer's queue is full") }
        } catch {
            logger.error("drift record not sent", metadata: ["error": "\(error)"])
        }
    }
}

extension Processor {
    /// The drift watch of a loop comparing with `profile`, when `monitoring:` is on.
    func makeDriftWatch<Sink: RecordSink>(profile: ReferenceProfile?, sink: Sink) throws -> DriftWatch<Sink>? {
        guard let profile, let settings = configuration.monitoring else { return nil }
        return try DriftWatch(
            profile: profile, settings: settings, sink: sink, observer: options.observer, instance: options.instance,
            logger: logger
        )
    }
}
