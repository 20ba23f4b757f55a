import BenchSupport
import Foundation
import Logging
import PassthroughReference
import SluiceCommandLine
import SluiceDemoEvents
import SluiceKafka
import SluiceModel
import SluicePipeline

/// The single runs of `sluice-bench`'s comparison on one embedded cluster: the C passthrough on
/// the loaded input, and the processor on the loaded input or on a paced one. Each prints its line
/// and adds its figures to the report.
struct ComparisonRuns {
    /// Sluice as `sluice run` runs it, or without recording metrics (`--metrics-overhead`).
    enum Variant {
        case metered, unmetered
    }

    let command: BenchCommand
    let cluster: MockKafkaCluster
    let base: SluiceConfiguration
    let model: Model
    let inputTopic: String

    /// Runs the C passthrough on the loaded input, checks it moved every event, and records its rate.
    func measureC(repetition: Int, into report: inout ComparisonReport) async throws {
        let tag = "c.\(repetition)"
        let outputs = ["\(tag).1", "\(tag).2"].map { "bench.output.\($0)" }
        for topic in outputs { try cluster.createTopic(topic, partitions: command.outputPartitions) }
        let (result, cpuSeconds) = try await runReference(outputs: outputs, group: "bench.\(tag)")
        guard result.consumed == command.runSize.events, result.produced == 2 * command.runSize.events else {
            throw BenchFailure("C moved \(result.consumed) events and \(result.produced) outputs of \(command.runSize.events)")
        }
        let perCPUSecond = Double(command.runSize.events) / cpuSeconds
        report.cRates.append(result.eventsPerSecond)
        report.cCPURates.append(perCPUSecond)
        print(String(format: "run %d C       %9.0f events/s  (%.2f s, %.0f events/CPU-s)", repetition, result.eventsPerSecond, result.seconds, perCPUSecond))
    }

    /// Runs the processor, on the loaded input or, with `pacedRate`, on a fresh input produced at
    /// that rate meanwhile, and records its figures.
    func measureSluice(_ variant: Variant, repetition: Int, pacedRate: Double?, into report: inout ComparisonReport) async throws {
        let isMetered = command.metrics && variant == .metered
        let tag = "\(variant == .metered ? "sluice" : "unmetered").\(repetition)"
        let result = try await runSluice(tag: tag, pacedRate: pacedRate, metered: isMetered)
        if variant == .metered {
            report.sluiceRuns.append(result)
            if let pacedRate { report.pacedRates.append(pacedRate) }
        } else {
            report.unmeteredRuns.append(result)
        }
        print(Self.line(result, repetition: repetition, isMetered: isMetered, pacedRate: pacedRate, events: command.runSize.events))
    }

    private static func line(_ result: ProcessorBenchRun.Result, repetition: Int, isMetered: Bool, pacedRate: Double?, events: Int) -> String {
        let latency = result.statistics.endToEndLatency
        var line = String(
            format: "run %d %@ %9.0f events/s  (%.2f s, %.0f events/CPU-s)",
            repetition, (isMetered ? "Sluice  " : "Sluice, no metrics ") as NSString, result.eventsPerSecond, result.seconds, Double(events) / result.cpuSeconds
        )
        if let pacedRate { line += String(format: "  input at %.0f/s", pacedRate) }
        let p50 = BenchFigures.milliseconds(latency.quantile(0.5))
        let p99 = BenchFigures.milliseconds(latency.quantile(0.99))
        let p999 = BenchFigures.milliseconds(latency.quantile(0.999))
        line += "  end-to-end p50 \(p50) p99 \(p99) p999 \(p999)"
        let consumed = result.statistics.consumeLatency
        line += " (to consumed p50 \(BenchFigures.milliseconds(consumed.quantile(0.5))) p99 \(BenchFigures.milliseconds(consumed.quantile(0.99))))"
        line += String(format: "  loop %.2f µs/event", result.statistics.loopCPUSeconds * 1e6 / Double(max(1, result.statistics.eventsIn)))
        line += "  \(result.statistics.deadLetters) dead letters, \(result.statistics.pauses) pauses, peak \(result.statistics.peakInFlight) in flight"
        return line
    }

    private func runReference(outputs: [String], group: String) async throws -> (result: PassthroughResult, cpuSeconds: Double) {
        var consumer = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: group)
        consumer.properties = ["fetch.wait.max.ms": String(command.fetchWaitMs)]
        let reference = CPassthrough(
            consumer: consumer, producer: KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers),
            inputTopic: inputTopic, inputPartitions: command.runSize.partitions, outputTopics: outputs, events: command.runSize.events
        )
        printError("  C passthrough: running …")
        let cpuBefore = processCPUSeconds()
        // It blocks: not on the cooperative pool.
        let result = try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                nameCurrentThread("sluice-bench-c")
                continuation.resume(with: Result { try reference.run() })
            }
            thread.start()
        }
        return (result, processCPUSeconds() - cpuBefore)
    }

    private func runSluice(tag: String, pacedRate: Double?, metered: Bool) async throws -> ProcessorBenchRun.Result {
        var configuration = base
        configuration.http.isEnabled = metered
        configuration.http.listen = "127.0.0.1:0"
        configuration.kafka.bootstrap = cluster.bootstrapServers
        configuration.kafka.group = "bench.\(tag)"
        configuration.outputs.predictions = "bench.predictions.\(tag)"
        configuration.outputs.audit = "bench.audit.\(tag)"
        configuration.outputs.deadLetter = "bench.dlq.\(tag)"
        configuration.input.topics = [pacedRate == nil ? inputTopic : "bench.paced.\(tag)"]
        for topic in [configuration.outputs.predictions, configuration.outputs.audit] {
            try cluster.createTopic(topic, partitions: command.outputPartitions)
        }
        try cluster.createTopic(configuration.deadLetterTopic, partitions: 1)
        var logger = Logger(label: "sluice.bench")
        logger.logLevel = .warning  // the progress line, not the processor's routine logs
        let run = ProcessorBenchRun(
            configuration: configuration, model: model, expectedEvents: command.runSize.events, label: metered ? "Sluice" : "Sluice, no metrics",
            logger: logger
        )
        let result: ProcessorBenchRun.Result
        if let pacedRate {
            try cluster.createTopic(configuration.input.topics[0], partitions: command.pacedPartitions)
            // Each event's timestamp is taken when it is sent: lingering counts in its latency, as
            // it would for any upstream producer.
            let producer = FraudEventProducer(
                bootstrap: cluster.bootstrapServers, topic: configuration.input.topics[0], events: command.runSize.events,
                pacing: .rate(pacedRate, burstInterval: .milliseconds(command.burstMs)),
                partitioning: .eachBurstInTurn(partitions: command.pacedPartitions), lingerMilliseconds: 1, makesEventsUpFront: true
            )
            var production: Task<FraudEventProducer.Outcome, Error>?
            result = try await run.run {
                production = Task {
                    // A consumer just given its partitions still looks up where to start in each:
                    // events sent before it fetches would measure that once-only lookup, not the stream.
                    try await Task.sleep(for: .seconds(1))
                    return try await producer.run()
                }
            }
            _ = try await production?.value
        } else {
            result = try await run.run()
        }
        return result
    }
}
