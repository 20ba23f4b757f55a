import ArgumentParser
import Foundation
import Logging
import SluiceCommandLine
import SluiceModel
import SluiceObservability
import SluicePipeline

/// `sluice run`: the processor against any Kafka cluster.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Scores a Kafka stream: consumes events, writes predictions, audit records and dead letters.",
        discussion: """
            Reads the YAML configuration (README, "Configuration reference"; paths in it are \
            relative to its directory); the flags override its fields. Runs until SIGINT or \
            SIGTERM, then stops consuming, finishes and flushes the work in flight, commits, prints \
            what it did to standard error and exits 0. SIGHUP, POST /model/reload or a new model \
            file reloads the model once it passes the checks (README, "Model lifecycle"). Exit \
            status 2: the configuration or model is invalid (a message names the field), or http.listen is taken; 3: no broker \
            answered within kafka.connect_timeout; 1: the processor had to stop. `sluice config \
            check` makes the same checks without connecting.
            """
    )

    @Option(name: .customLong("config"), help: "The configuration file (YAML).")
    var configurationPath: String

    @Option(help: "Brokers to bootstrap from (kafka.bootstrap).")
    var bootstrap: String?

    @Option(help: "Consumer group (kafka.group).")
    var group: String?

    @Option(help: "The ONNX model file (model.path).")
    var model: String?

    @Option(help: "Input topics, comma-separated (input.topics).")
    var topics: String?

    @OptionGroup var propertyOptions: PropertyOptions

    @Flag(name: .customLong("print-config"), help: "Print the effective configuration (secrets redacted) and exit.")
    var printConfiguration = false

    @OptionGroup var batchingOptions: BatchingOptions

    @OptionGroup var observabilityOptions: ObservabilityOptions

    func run() async throws {
        var configuration = try loadConfiguration()
        observabilityOptions.apply(to: &configuration)
        if printConfiguration {
            print(configuration.redactedYAML, terminator: "")
            return
        }
        observabilityOptions.bootstrapLogging()
        var logger = Logger(label: "sluice")
        logger[metadataKey: "instance"] = "\(Processor.Options.defaultInstance)"
        logger[metadataKey: "group"] = "\(configuration.kafka.group)"
        let observability: Observability
        do {
            observability = try await Observability.start(configuration: configuration, logger: logger)
        } catch {
            printError("error: http.listen: \(error); --http-listen HOST:PORT picks another address, --no-metrics serves none")
            throw CommandExit.invalid
        }
        let processor = try makeProcessor(configuration, observability: observability, logger: logger)
        let stopper = onFirstTerminationSignal { signal in
            printError("\(signal): finishing the work in flight, then stopping")
            processor.stop()
        }
        defer { stopper.cancel() }
        let reloading = ModelReloading(processor: processor, configuration: configuration, observability: observability, logger: logger)
        defer { reloading.cancel() }
        observability.health.processorStarted()
        let givingUp = observability.stoppingWhenBrokersGivenUp(logger: logger) { processor.stop() }
        var failure: (any Error)?
        do {
            try await processor.run()
        } catch {
            failure = error
        }
        givingUp.cancel()
        if let reason = await givingUp.value {
            observability.health.processorStopped(error: failure)
            await observability.stop()
            printError("error: \(reason)")
            throw CommandExit.unreachable
        }
        if let failure {
            observability.health.processorStopped(error: failure)
            await observability.stop()
            printError("error: \(failure)")
            throw CommandExit.failure
        }
        observability.health.processorStopped(error: nil)
        await observability.stop()
        printError(ProcessorSummary(processor.statistics).lines.joined(separator: "\n"))
    }

    private func loadConfiguration() throws -> SluiceConfiguration {
        var overrides: [ConfigurationOverride] = []
        if let bootstrap { overrides.append(.bootstrap(bootstrap)) }
        if let group { overrides.append(.group(group)) }
        if let model { overrides.append(.model(model)) }
        if let topics { overrides.append(.inputTopics(topics.split(separator: ",").map(String.init))) }
        overrides += batchingOptions.overrides
        overrides += propertyOptions.overrides
        do {
            return try SluiceConfiguration.load(path: configurationPath, overrides: overrides)
        } catch {
            printError("error: invalid configuration \(configurationPath): \(error)")
            throw CommandExit.invalid
        }
    }

    private func makeProcessor(_ configuration: SluiceConfiguration, observability: Observability, logger: Logger) throws -> Processor {
        do {
            let model = try ModelCandidate.prepare(path: configuration.model.path, configuration: configuration)
            let shadow = try configuration.model.shadow.map { try ModelCandidate.prepare(path: $0.path, configuration: configuration, validating: false) }
            observability.modelLoaded(.init(configuration, model))
            var options = Processor.Options(version: SluiceVersion.current)
            options.observer = observability.observer
            let processor = try Processor(configuration: configuration, model: model, shadow: shadow, options: options, logger: logger)
            if let shadow = processor.shadowModel { observability.metrics?.models.shadowStarted(shadow) }
            return processor
        } catch {
            observability.health.modelFailed("\(error)")
            printError("error: \(error)")
            throw CommandExit.invalid
        }
    }
}

/// What a processor did, as lines for a terminal.
struct ProcessorSummary {
    var lines: [String]

    init(_ statistics: ProcessorStatistics, elapsed: Duration? = nil) {
        // Below 10 ms to the microsecond: a model call on a small batch takes tens of them.
        func milliseconds(_ microseconds: Int64?) -> String {
            microseconds.map { String(format: $0 < 10_000 ? "%.3f ms" : "%.1f ms", Double($0) / 1000) } ?? "-"
        }
        lines = [
            "events in         \(statistics.eventsIn)",
            "predictions       \(statistics.predictions)",
            "audit records     \(statistics.audits)",
            "dead letters      \(statistics.deadLetters)",
            "batches           \(statistics.batches)",
            "back-pressure     \(statistics.pauses) pauses, peak \(statistics.peakInFlight) events in flight",
        ]
        if let elapsed {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            lines.append(String(format: "events/s          %.0f", Double(statistics.eventsIn) / max(seconds, 1e-9)))
        }
        let latency = statistics.endToEndLatency
        lines.append(
            "end-to-end        p50 \(milliseconds(latency.quantile(0.5))), p99 \(milliseconds(latency.quantile(0.99))) "
                + "(input timestamp → outputs acknowledged)"
        )
        lines.append(
            "model per batch   p50 \(milliseconds(statistics.computeTime.quantile(0.5))), p99 \(milliseconds(statistics.computeTime.quantile(0.99)))"
        )
        if statistics.modelReplacements > 0 {
            lines.append(
                "model reloads     \(statistics.modelReplacements), longest gap between batches at a swap "
                    + milliseconds(statistics.longestGapAtReplacementMicroseconds)
            )
        }
    }
}
