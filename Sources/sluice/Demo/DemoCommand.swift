import ArgumentParser
import Foundation
import Logging
import SluiceCommandLine
import SluiceDemoEvents
import SluiceKafka
import SluicePipeline
import SluiceService
import SluiceTime

/// `sluice demo`: the processor end to end on the embedded Kafka cluster.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Scores a generated fraud stream end to end on an embedded Kafka cluster.",
        discussion: """
            Starts the embedded cluster, creates the topics of Topics/topics.yaml, produces card \
            transactions matching Models/fraud-mlp.onnx (a few of them malformed on purpose), runs \
            the processor of config/demo.yaml on them with a progress line on standard error, then \
            prints a summary and a few predictions with their audit records, read back from the \
            output topics. The files are found from any directory: the working directory's, \
            `make install`'s share/sluice, or the checkout sluice was built in.
            """
    )

    @Option(help: "Number of events to generate.")
    var events = 200_000

    @Option(name: .customLong("config"), help: "The processor's configuration (default: config/demo.yaml); its bootstrap is replaced by the embedded cluster's.")
    var configurationOption: String?

    @Option(name: .customLong("topics"), help: "Directory with topics.yaml (default: Topics beside config/).")
    var topicsOption: String?

    @OptionGroup var observabilityOptions: ObservabilityOptions

    func validate() throws {
        guard events >= 1 else { throw ValidationError("--events must be at least 1, not \(events)") }
    }

    func run() async throws {
        let files = DemoFiles.root()
        guard let configurationPath = configurationOption ?? files.map({ "\($0)/\(DemoFiles.configuration)" }) else {
            printError("error: cannot find \(DemoFiles.configuration): run from the repository, after `make install`, or give --config FILE")
            throw CommandExit.invalid
        }
        let topicsDirectory = topicsOption ?? files.map { "\($0)/Topics" } ?? "Topics"
        observabilityOptions.bootstrapLogging()
        let cluster = try MockKafkaCluster()
        var configuration: SluiceConfiguration
        do {
            // The embedded broker answers a fetch that finds no data only after fetch.wait.max.ms
            // (500 ms by default), not as soon as data arrives: a consumer that caught up with the
            // producer would stall for that long each time.
            configuration = try SluiceConfiguration.load(
                path: configurationPath, overrides: [.bootstrap(cluster.bootstrapServers), .property("fetch.wait.max.ms", "1")]
            )
        } catch {
            printError("error: invalid configuration \(configurationPath): \(error)")
            throw CommandExit.invalid
        }
        observabilityOptions.apply(to: &configuration)
        try createTopics(on: cluster, for: configuration, from: topicsDirectory)
        var logger = Logger(label: "sluice")
        logger[metadataKey: "instance"] = "sluice-demo"
        logger[metadataKey: "group"] = "\(configuration.kafka.group)"
        var options = ProcessorService.Options(processor: Processor.Options(instance: "sluice-demo", version: SluiceVersion.current))
        // The demo is a first look: a busy port must not stop it.
        options.onEndpointUnavailable = { [listen = configuration.http.listen] error in
            printError("warning: no metrics endpoint on \(listen) (\(error)); --http-listen HOST:PORT picks another")
        }
        let service: ProcessorService
        do {
            service = try await ProcessorService(configuration: configuration, options: options, logger: logger)
        } catch {
            printError("error: \(error)")
            throw CommandExit.invalid
        }
        let processor = service.processor
        printError(
            "embedded Kafka at \(cluster.bootstrapServers); model \(configuration.model.effectiveName) "
                + "(\(configuration.model.path), sha256 \(service.model.identity.sha256.prefix(12))…); \(events) events"
        )
        // The embedded broker keeps only about 5 MB per partition: staying at most 20k events ahead
        // of the processor loses none before they are consumed.
        let producer = FraudEventProducer(
            bootstrap: cluster.bootstrapServers, topic: configuration.input.topics[0], events: events,
            pacing: EventPacing { _ in processor.statistics.eventsIn + 20_000 }
        )
        let processorReturned = CompletionFlag()
        let processing = Task {
            defer { processorReturned.set() }
            try await service.run()
        }
        // Events produced before the group has assigned the partitions would only measure the join.
        while processor.statistics.assignedPartitions == 0, !processorReturned.isSet {
            try await Task.sleep(for: .milliseconds(20))
        }
        let production = Task { try await producer.run() }
        let elapsed = try await followProgress(of: processor, until: events, returned: processorReturned)
        processor.stop()
        producer.cancel()
        try await processing.value
        let outcome = try await production.value

        let statistics = processor.statistics
        printError("")
        print("Sluice demo: \(outcome.produced) events (\(outcome.malformed) malformed on purpose) on the embedded Kafka cluster")
        for line in ProcessorSummary(statistics, elapsed: elapsed).lines { print("  " + line) }
        print("")
        try printSamples(from: cluster, configuration: configuration, expectedPredictions: statistics.predictions)
        withExtendedLifetime(cluster) {}
    }

    private func createTopics(on cluster: MockKafkaCluster, for configuration: SluiceConfiguration, from topicsDirectory: String) throws {
        let definitions = FileManager.default.fileExists(atPath: "\(topicsDirectory)/\(KafkaTopicDefinitionFile.fileName)")
            ? try KafkaTopicDefinitionFile.load(fromDirectory: topicsDirectory) : []
        try cluster.createTopics(definitions)
        let defined = Set(definitions.map(\.name))
        let needed = configuration.input.topics + [configuration.outputs.predictions, configuration.outputs.audit]
        for topic in needed where !defined.contains(topic) { try cluster.createTopic(topic, partitions: 8) }
        if !defined.contains(configuration.deadLetterTopic) { try cluster.createTopic(configuration.deadLetterTopic, partitions: 1) }
    }

    /// Shows progress until every event is consumed and all its outputs acknowledged: one line
    /// rewritten in place on a terminal, a line a second elsewhere (a file, a log). Returns the
    /// time that took; stops early if the processor returns (on an error).
    private func followProgress(of processor: Processor, until events: Int, returned: CompletionFlag) async throws -> Duration {
        let started = ContinuousClock.now
        let isTerminal = isatty(2) != 0
        var ticks = 0
        while !returned.isSet {
            let statistics = processor.statistics
            let done = statistics.eventsIn >= events && statistics.inFlight == 0
                && statistics.acknowledgedOutputs >= 2 * statistics.predictions + statistics.deadLetters
            if done || ticks % (isTerminal ? 10 : 50) == 0 {
                let elapsed = started.duration(to: .now)
                let seconds = elapsed.inSeconds
                var line = "\(isTerminal ? "\r" : "")  \(statistics.eventsIn)/\(events) events"
                line += "  \(statistics.predictions) predictions  \(statistics.deadLetters) dead letters"
                line += "  \(statistics.inFlight) in flight\(statistics.isPaused ? " (paused)" : "         ")"
                line += String(format: "  %.0f events/s", Double(statistics.eventsIn) / max(seconds, 1e-9)) + (isTerminal ? "   " : "\n")
                FileHandle.standardError.write(Data(line.utf8))
            }
            if done { return started.duration(to: .now) }
            ticks += 1
            try await Task.sleep(for: .milliseconds(20))
        }
        return started.duration(to: .now)
    }

    /// Reads the output topics back and prints a few predictions with their audit records, the
    /// riskiest first.
    private func printSamples(from cluster: MockKafkaCluster, configuration: SluiceConfiguration, expectedPredictions: Int) throws {
        var readerConfiguration = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: "sluice-demo-reader")
        readerConfiguration.isAutoCommitEnabled = false
        let reader = try KafkaConsumer(configuration: readerConfiguration, logger: Logger(label: "sluice.demo"))
        try reader.subscribe(to: [configuration.outputs.predictions, configuration.outputs.audit])
        let batch = KafkaMessageBatch(capacity: 4096)
        var predictions: [String: String] = [:]
        var audits: [(id: String, value: String)] = []
        var quietPolls = 0
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, predictions.count < expectedPredictions || quietPolls < 3 {
            try reader.poll(into: batch, timeout: .milliseconds(300)) { _ in }
            quietPolls = batch.isEmpty ? quietPolls + 1 : 0
            if batch.isEmpty && predictions.count >= expectedPredictions { break }
            batch.forEach { message in
                let value = String(decoding: message.value, as: UTF8.self)
                if message.topic == configuration.outputs.predictions {
                    let id = message.header(named: RecordHeaderName.predictionID).flatMap { $0 }.map { String(decoding: $0, as: UTF8.self) } ?? ""
                    predictions[id] = value
                } else {
                    audits.append((RecordEncoder.predictionID(inRecord: message.value) ?? "", value))
                    if audits.count > 4096 { audits.removeFirst(2048) }
                }
            }
        }
        // Polled messages pin their client: release them before the consumer goes.
        batch.release()
        try reader.close()
        let matched = audits.compactMap { audit in predictions[audit.id].map { (audit.id, $0, audit.value) } }
        print("read back: \(predictions.count) predictions; sample predictions with their audit records (riskiest first):")
        let ranked = matched.sorted { probability(in: $0.1) > probability(in: $1.1) }
        for (id, prediction, audit) in ranked.prefix(1) + matched.suffix(2) {
            print("  \(id)")
            print("    prediction \(prediction)")
            print("    audit      \(audit)")
        }
    }

    private func probability(in prediction: String) -> Double {
        guard let range = prediction.range(of: "\"fraud_probability\":") else { return 0 }
        return Double(prediction[range.upperBound...].prefix { $0 != "}" && $0 != "," }) ?? 0
    }
}

