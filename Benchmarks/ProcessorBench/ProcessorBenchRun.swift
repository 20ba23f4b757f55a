import Foundation
import Logging
import PassthroughReference
import SluiceCommandLine
import SluiceKafka
import SluiceModel
import SluicePipeline
import SluiceService
import SluiceTime

/// One run of the Sluice processor in `sluice-bench`: runs it as `sluice run` does (a
/// ``ProcessorService``: metrics when `http.enabled`, health) on the input until every expected
/// event's outputs are acknowledged (or until ``stopWhen`` says so), showing a progress line, and
/// times it from the first event consumed.
struct ProcessorBenchRun {
    var configuration: SluiceConfiguration
    var model: Model
    /// Events after which the run is complete, or `nil` to run until `stopWhen` holds.
    var expectedEvents: Int?
    var label: String
    /// Called about every 100 ms while the processor runs, with the seconds since it started
    /// consuming (`nil` before) and its statistics: returning `true` stops the run (overload mode).
    var stopWhen: (Double?, ProcessorStatistics) -> Bool = { _, _ in false }
    /// The processor's and observability's logger: warnings and errors only, so that the
    /// progress line is not interrupted by the routine ones.
    var logger: Logger = {
        var logger = Logger(label: "sluice.bench")
        logger.logLevel = .warning
        return logger
    }()
    /// How long the run may go without consuming an event, once it has begun and while nothing
    /// is in flight, before it fails instead of waiting for events that will never come.
    var stallTimeout: Duration = .seconds(10)

    struct Result {
        var statistics: ProcessorStatistics
        /// From the first event consumed to the last output acknowledged.
        var seconds: Double
        /// CPU time of the whole process from the processor's start to its return.
        var cpuSeconds: Double
        var eventsPerSecond: Double { Double(statistics.eventsIn) / max(seconds, 1e-9) }
    }

    /// Runs the processor; `whenAssigned` is called once it holds its partitions (to start a
    /// concurrent producer, whose events would otherwise measure the group join).
    func run(whenAssigned: () -> Void = {}) async throws -> Result {
        let service = try await ProcessorService(
            configuration: configuration, options: .init(processor: .init(instance: "sluice-bench"), model: model), logger: logger
        )
        let processor = service.processor
        let cpuBefore = processCPUSeconds()
        let returned = CompletionFlag()
        let processing = Task {
            defer { returned.set() }
            try await service.run()
        }
        let clock = ContinuousClock()
        var isAssigned = false
        var started: ContinuousClock.Instant?
        var finished: ContinuousClock.Instant?
        var lastCheck = clock.now
        var lastProgress = clock.now
        var lastConsumed = (events: 0, at: clock.now)
        var hasStalled = false
        while !returned.isSet {
            let statistics = processor.statistics
            let now = clock.now
            if !isAssigned, statistics.assignedPartitions > 0 {
                isAssigned = true
                whenAssigned()
            }
            if started == nil, statistics.eventsIn > 0 { started = now }
            let isComplete = expectedEvents.map { statistics.eventsIn >= $0 } ?? false
                && statistics.inFlight == 0
                && statistics.acknowledgedOutputs >= 2 * statistics.predictions + statistics.deadLetters
            if isComplete {
                finished = now
                break
            }
            if statistics.eventsIn != lastConsumed.events || statistics.inFlight > 0 {
                lastConsumed = (statistics.eventsIn, now)
            } else if started != nil, now - lastConsumed.at >= stallTimeout {
                hasStalled = true
                break
            }
            if now - lastCheck >= .milliseconds(100) {
                lastCheck = now
                if stopWhen(started.map { $0.duration(to: now).inSeconds }, statistics) {
                    finished = now
                    break
                }
            }
            if now - lastProgress >= .milliseconds(250) {
                lastProgress = now
                showProgress(statistics, since: started, now: now)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        processor.stop()
        try await processing.value
        let statistics = processor.statistics
        if hasStalled { throw BenchFailure(stallDescription(consumed: statistics.eventsIn)) }
        guard let started, let finished else {
            throw BenchFailure("\(label): the processor stopped before consuming every event (\(statistics.eventsIn) consumed)")
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        return Result(statistics: statistics, seconds: started.duration(to: finished).inSeconds, cpuSeconds: processCPUSeconds() - cpuBefore)
    }

    private func stallDescription(consumed: Int) -> String {
        var text = "\(label): no event consumed for \(stallTimeout) with nothing in flight, after \(consumed)"
        if let expectedEvents { text += " of \(expectedEvents)" }
        return text + """
             events. The embedded broker keeps about 5 MB per partition and drops the oldest \
            events beyond that: with --rate faster than Sluice processes, events are dropped \
            before Sluice reads them. Lower --rate, or spread the input over more \
            --paced-partitions.
            """
    }

    private func showProgress(_ statistics: ProcessorStatistics, since started: ContinuousClock.Instant?, now: ContinuousClock.Instant) {
        let seconds = started.map { $0.duration(to: now).inSeconds } ?? 0
        var line = "\r\u{1B}[K  \(label): \(statistics.eventsIn)"
        if let expectedEvents { line += "/\(expectedEvents)" }
        line += " events, \(statistics.inFlight) in flight\(statistics.isPaused ? " (paused)" : "")"
        line += String(format: ", %.0f events/s", Double(statistics.eventsIn) / max(seconds, 1e-9))
        FileHandle.standardError.write(Data(line.utf8))
    }
}
