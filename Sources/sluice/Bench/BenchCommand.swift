import ArgumentParser
import Foundation
import Logging
import PassthroughReference
import SluiceKafka
import SluiceModel
import SluiceObservability
import SluicePipeline

/// `sluice bench`: the processor end to end on the embedded Kafka cluster, against the C
/// librdkafka passthrough measured in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks the processor end to end on an embedded Kafka cluster against a C passthrough.",
        discussion: """
            Starts the embedded Kafka cluster and loads --events of `sluice demo`'s card \
            transactions (about 260 bytes of JSON each, a few malformed on purpose) into an input \
            topic of --partitions partitions. Then, --repetitions times, alternating which goes \
            first:

              C      the reference: plain C librdkafka (Benchmarks/CKafkaPassthrough) consuming the \
            input in a consumer group and sending every event's key and value to two output \
            topics, storing an offset once both outputs of it are acknowledged (as in \
            `sluice-kafka-bench --outputs 2`). Timed from its first consumed batch to its final \
            commit.

              Sluice the processor of --config (config/demo.yaml: Models/fraud-mlp.onnx, batches of \
            256, predictions, audit records and dead letters) on the same input. Timed from its \
            first consumed event to the acknowledgement of the last output.

            Prints each run, then the medians: events/s of both, their ratio, and Sluice's \
            end-to-end latency p50/p99/p999 (from the input record's timestamp, set when it was \
            produced, to the acknowledgement of its prediction and audit records). A progress line \
            goes to standard error. The last line of standard output is one JSON object with every \
            figure.

            Without --rate the input is loaded before the runs (throughput mode): the latency then \
            mostly measures how long events waited in the topic. With --rate R a producer sends a \
            fresh input topic of --paced-partitions partitions at R events/s while Sluice \
            processes it, so the latency is that of a stream arriving at that rate; `--rate 0.3x` \
            means 0.3 times this repetition's C events/s (C then runs first). The C reference \
            always runs on the loaded input. The paced producer makes its events before the run \
            and sends the events due every --burst-ms milliseconds as one batch to one partition \
            in turn (as Kafka's sticky partitioner does), never more often: the embedded broker \
            walks a partition's stored batches from the oldest on every fetch and returns one \
            batch per partition per fetch, so many small batches would make it, not Sluice, the \
            bottleneck.

            Each Sluice run also shows the part of the latency before Sluice had the event (input \
            timestamp to consumed) and the CPU its loop thread spent per event (decoding, scoring, \
            encoding, handing records to librdkafka; librdkafka's own threads not included). \
            --batch-size and --batch-delay-ms override the configuration's batching.

            --overload runs only the overload check instead: the embedded cluster runs as a child \
            process (`sluice broker`, so its stored messages do not count in this process's \
            memory), a producer in this process sends events as fast as it can into --partitions \
            partitions while Sluice processes them, and the resident memory of this process \
            (producer and processor) is sampled every 100 ms. The run lasts --overload-seconds, or \
            less if Sluice catches up first; the producer stops at 15,000 events per partition, \
            what the embedded broker keeps (beyond that it would drop events unread, which \
            resets the consumer past them). Prints the produce and \
            process rates, their ratio, the back-pressure pauses, the largest resident set in each \
            quarter of the run and the peak (getrusage's ru_maxrss).

            Sluice runs as `sluice run` does, with its metrics recorded and served on an \
            ephemeral port (--no-metrics: without). --metrics-overhead adds, to every repetition, \
            a run of Sluice without metrics, and prints the ratio of the medians with and without.

            Both consumers, C's and Sluice's, have Sluice's consumer settings (among them \
            queued.min.messages=1000000, so that librdkafka's one-second fetch back-off starts \
            only once 64 MiB are queued) and fetch.wait.max.ms=--fetch-wait-ms: the embedded \
            broker answers a fetch that finds no data only after that wait, instead of as soon as \
            data arrives as a real broker does. Messages live in the embedded broker's memory, \
            about 5 MB per partition: keep --events under about 15,000 per input partition.
            """
    )

    @Option(help: "Input events per run.")
    var events = 500_000

    @Option(help: "Produce Sluice's input at this many events/s while it runs (e.g. 30000), or at this multiple of the C passthrough's events/s (e.g. 0.3x); without it the input is loaded up front.")
    var rate: BenchRate?

    @Option(help: "Runs of each, C and Sluice; the figures are their medians.")
    var repetitions = 3

    @Option(help: "Partitions of the input topic.")
    var partitions = 64

    @Option(help: "Partitions of the input topic produced while Sluice runs (with --rate).")
    var pacedPartitions = 4

    @Option(help: "With --rate: milliseconds between the paced producer's bursts, each sent as one batch (each event's timestamp is taken when it is sent).")
    var burstMs = 1

    @Option(help: "Partitions of each output topic (Topics/topics.yaml has 8).")
    var outputPartitions = 8

    @Option(name: .customLong("config"), help: "The processor's configuration; its bootstrap, group, input and output topics are replaced by the benchmark's.")
    var configurationPath = "config/demo.yaml"

    @Option(help: "fetch.wait.max.ms of every consumer, in milliseconds.")
    var fetchWaitMs = 1

    @OptionGroup var propertyOptions: PropertyOptions

    @OptionGroup var batchingOptions: BatchingOptions

    @Flag(inversion: .prefixedNo, help: "Record Sluice's metrics and serve them on an ephemeral port, as `sluice run` does.")
    var metrics = true

    @Flag(help: "Also run Sluice without metrics in every repetition, and report what metrics cost.")
    var metricsOverhead = false

    @Flag(help: "Run the overload check (memory under back-pressure) instead of the comparison.")
    var overload = false

    /// The demo events a partition of the embedded broker holds before it drops the oldest (it
    /// keeps about 5 MB per partition), with some room to spare.
    static let eventsPerPartitionKept = 15_000

    @Option(help: "How long the overload check floods the input, in seconds.")
    var overloadSeconds = 20.0

    func validate() throws {
        guard events >= 1 else { throw ValidationError("--events must be at least 1, not \(events)") }
        guard repetitions >= 1 else { throw ValidationError("--repetitions must be at least 1, not \(repetitions)") }
        guard partitions >= 1, outputPartitions >= 1 else { throw ValidationError("--partitions and --output-partitions must be at least 1") }
        guard events <= partitions * Self.eventsPerPartitionKept else {
            let needed = (events + Self.eventsPerPartitionKept - 1) / Self.eventsPerPartitionKept
            throw ValidationError(
                "--events \(events) over \(partitions) partitions exceeds the embedded broker's ~5 MB per partition: use --partitions \(needed) or more"
            )
        }
        guard fetchWaitMs >= 0 else { throw ValidationError("--fetch-wait-ms must not be negative") }
        guard burstMs >= 1 else { throw ValidationError("--burst-ms must be at least 1, not \(burstMs)") }
        guard overloadSeconds > 0 else { throw ValidationError("--overload-seconds must be positive") }
    }

    func run() async throws {
        let base: SluiceConfiguration
        do {
            base = try SluiceConfiguration.load(
                path: configurationPath,
                overrides: [.property("fetch.wait.max.ms", String(fetchWaitMs))] + propertyOptions.overrides + batchingOptions.overrides
            )
        } catch {
            printError("error: invalid configuration \(configurationPath): \(error)")
            throw ExitCode(2)
        }
        let model = try Model(contentsOf: base.model.path)
        if overload {
            try await OverloadCheck(command: self, base: base, model: model).run()
        } else {
            try await compare(base: base, model: model)
        }
    }

    private func compare(base: SluiceConfiguration, model: Model) async throws {
        let cluster = try MockKafkaCluster()
        let bootstrap = cluster.bootstrapServers
        let inputTopic = "bench.events"
        try cluster.createTopic(inputTopic, partitions: partitions)
        print("sluice bench: \(events) events, \(partitions) input partitions, \(repetitions) repetitions, "
            + "\(rate.map { "Sluice's input produced at \($0)" } ?? "input loaded up front (throughput)")")
        print("librdkafka \(Librdkafka.version), embedded cluster \(bootstrap), load average \(BenchFigures.loadAverage())")
        printError("loading \(events) events …")
        let loaded = try BenchEventProducer(bootstrap: bootstrap, topic: inputTopic, partitions: partitions, events: events, pace: .preload).preload()
        print(String(format: "loaded %d events in %.1f s", loaded.produced, loaded.seconds))

        var cRuns: [Double] = []
        var cCPURuns: [Double] = []
        var sluiceRuns: [ProcessorBenchRun.Result] = []
        var unmeteredRuns: [ProcessorBenchRun.Result] = []
        var rates: [Double] = []
        for repetition in 1...repetitions {
            let cFirst = rate?.isRelative == true || !repetition.isMultiple(of: 2)
            var cRate: Double?
            var sluiceVariants = ["Sluice"]
            if metricsOverhead {
                sluiceVariants.insert("Unmetered", at: repetition.isMultiple(of: 2) ? 0 : 1)
            }
            for implementation in cFirst ? ["C"] + sluiceVariants : sluiceVariants + ["C"] {
                let tag = "\(implementation.lowercased()).\(repetition)"
                if implementation == "C" {
                    let outputs = ["\(tag).1", "\(tag).2"].map { "bench.output.\($0)" }
                    for topic in outputs { try cluster.createTopic(topic, partitions: outputPartitions) }
                    let (result, cpuSeconds) = try await runReference(
                        bootstrap: bootstrap, base: base, input: inputTopic, outputs: outputs, group: "bench.\(tag)"
                    )
                    guard result.consumed == events, result.produced == 2 * events else {
                        throw BenchFailure("C moved \(result.consumed) events and \(result.produced) outputs of \(events)")
                    }
                    cRate = result.eventsPerSecond
                    cRuns.append(result.eventsPerSecond)
                    cCPURuns.append(Double(events) / cpuSeconds)
                    print(String(format: "run %d C       %9.0f events/s  (%.2f s, %.0f events/CPU-s)", repetition, result.eventsPerSecond, result.seconds, Double(events) / cpuSeconds))
                } else {
                    let pacedRate = rate.map { $0.eventsPerSecond(reference: cRate ?? 0) }
                    let isMetered = metrics && implementation == "Sluice"
                    let result = try await runSluice(
                        cluster: cluster, base: base, model: model, loadedInput: inputTopic, tag: tag, pacedRate: pacedRate,
                        metered: isMetered
                    )
                    if implementation == "Sluice" {
                        sluiceRuns.append(result)
                        if let pacedRate { rates.append(pacedRate) }
                    } else {
                        unmeteredRuns.append(result)
                    }
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
                    print(line)
                }
            }
        }
        let report = ComparisonReport(
            events: events, repetitions: repetitions, partitions: partitions,
            cRates: cRuns, cCPURates: cCPURuns, sluiceRuns: sluiceRuns, unmeteredRuns: unmeteredRuns, isMetered: metrics,
            pacedRates: rates, loadAverage: BenchFigures.loadAverage()
        )
        for line in report.lines { print(line) }
        print(report.json)
        withExtendedLifetime(cluster) {}
    }

    private func runReference(bootstrap: String, base: SluiceConfiguration, input: String, outputs: [String], group: String) async throws
        -> (result: PassthroughResult, cpuSeconds: Double)
    {
        var consumer = KafkaConsumerConfiguration(bootstrapServers: bootstrap, groupID: group)
        consumer.properties = ["fetch.wait.max.ms": String(fetchWaitMs)]
        let reference = CPassthrough(
            consumer: consumer, producer: KafkaProducerConfiguration(bootstrapServers: bootstrap),
            inputTopic: input, inputPartitions: partitions, outputTopics: outputs, events: events
        )
        printError("  C passthrough: running …")
        let cpuBefore = processCPUSeconds()
        // It blocks: not on the cooperative pool.
        let result = try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try reference.run() }) }
            thread.name = "sluice-bench-c"
            thread.start()
        }
        return (result, processCPUSeconds() - cpuBefore)
    }

    private func runSluice(
        cluster: MockKafkaCluster, base: SluiceConfiguration, model: Model, loadedInput: String, tag: String, pacedRate: Double?,
        metered: Bool
    ) async throws -> ProcessorBenchRun.Result {
        var configuration = base
        configuration.http.isEnabled = metered
        configuration.http.listen = "127.0.0.1:0"
        configuration.kafka.bootstrap = cluster.bootstrapServers
        configuration.kafka.group = "bench.\(tag)"
        configuration.outputs.predictions = "bench.predictions.\(tag)"
        configuration.outputs.audit = "bench.audit.\(tag)"
        configuration.outputs.deadLetter = "bench.dlq.\(tag)"
        configuration.input.topics = [pacedRate == nil ? loadedInput : "bench.paced.\(tag)"]
        for topic in [configuration.outputs.predictions, configuration.outputs.audit] {
            try cluster.createTopic(topic, partitions: outputPartitions)
        }
        try cluster.createTopic(configuration.deadLetterTopic, partitions: 1)
        var logger = Logger(label: "sluice.bench")
        logger.logLevel = .warning  // the progress line, not the processor's routine logs
        let observability = try await Observability.start(configuration: configuration, logger: logger)
        observability.modelLoaded(.init(configuration, model))
        let run = ProcessorBenchRun(
            configuration: configuration, model: model, expectedEvents: events, label: metered ? "Sluice" : "Sluice, no metrics",
            observer: observability.observer
        )
        let result: ProcessorBenchRun.Result
        if let pacedRate {
            try cluster.createTopic(configuration.input.topics[0], partitions: pacedPartitions)
            let producer = BenchEventProducer(
                bootstrap: cluster.bootstrapServers, topic: configuration.input.topics[0], partitions: pacedPartitions,
                events: events, pace: .rate(eventsPerSecond: pacedRate, burstMilliseconds: burstMs)
            )
            var production: Task<BenchEventProducer.Outcome, Error>?
            result = try await run.run { production = Task { try await producer.run() } }
            _ = try await production?.value
        } else {
            result = try await run.run()
        }
        await observability.stop()
        return result
    }
}

/// `--rate`: events/s, or with an `x` suffix a multiple of the C passthrough's events/s.
enum BenchRate: ExpressibleByArgument, CustomStringConvertible {
    case absolute(Double)
    case relative(Double)

    init?(argument: String) {
        let isRelative = argument.hasSuffix("x")
        guard let value = Double(isRelative ? String(argument.dropLast()) : argument), value > 0 else { return nil }
        self = isRelative ? .relative(value) : .absolute(value)
    }

    var isRelative: Bool { if case .relative = self { true } else { false } }

    func eventsPerSecond(reference: Double) -> Double {
        switch self {
        case .absolute(let rate): rate
        case .relative(let factor): factor * reference
        }
    }

    var description: String {
        switch self {
        case .absolute(let rate): String(format: "%.0f events/s", rate)
        case .relative(let factor): "\(factor)x the C passthrough's events/s"
        }
    }
}
