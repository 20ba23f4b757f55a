import ArgumentParser
import Foundation
import Logging
import SluiceCommandLine
import SluicePipeline
import SluiceService
import SluiceTime

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
        var options = ProcessorService.Options(processor: Processor.Options(version: SluiceVersion.current))
        options.onShutdownRequested = { printError("SIGINT or SIGTERM: finishing the work in flight, then stopping") }
        let service: ProcessorService
        do {
            service = try await ProcessorService(configuration: configuration, options: options, logger: logger)
        } catch ProcessorServiceError.endpointUnavailable(let error) {
            printError("error: http.listen: \(error); --http-listen HOST:PORT picks another address, --no-metrics serves none")
            throw CommandExit.invalid
        } catch {
            printError("error: \(error)")
            throw CommandExit.invalid
        }
        do {
            try await service.runUntilTerminated()
        } catch ProcessorServiceError.brokersUnreachable(let reason) {
            printError("error: \(reason)")
            throw CommandExit.unreachable
        } catch {
            printError("error: \(error)")
            throw CommandExit.failure
        }
        printError(ProcessorSummary(service.statistics).lines.joined(separator: "\n"))
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
            let seconds = elapsed.inSeconds
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
        if statistics.canaryRows > 0 {
            lines.append("canary            \(statistics.canaryRows) events scored by the canary model (model.canary)")
        }
        if statistics.modelReplacements > 0 {
            lines.append(
                "model reloads     \(statistics.modelReplacements), longest gap between batches at a swap "
                    + milliseconds(statistics.longestGapAtReplacementMicroseconds)
            )
        }
    }
}
