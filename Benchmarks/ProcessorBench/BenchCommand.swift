import ArgumentParser
import BenchSupport
import Foundation
import SluiceCommandLine
import SluiceDemoEvents
import SluiceKafka
import SluiceModel
import SluicePipeline

/// `sluice-bench`: the processor end to end, in this process, on an embedded Kafka cluster,
/// against the C librdkafka passthrough measured in the same run. (`Benchmarks/as-deployed`
/// measures `sluice run` as users deploy it, in processes of its own.)
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice-bench",
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
            means 0.3 times the median of the C runs, which then all run first (a single C run \
            varies by a third on a shared machine) and the Sluice runs after them. The C reference \
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

    @Option(help: "Produce Sluice's input at this many events/s while it runs (e.g. 30000), or at this multiple of the C passthrough's events/s (e.g. 0.3x); without it the input is loaded up front.")
    var rate: BenchRate?

    @OptionGroup var runSize: BenchRunOptions<SluiceBenchDefaults>

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
        guard outputPartitions >= 1 else { throw ValidationError("--output-partitions must be at least 1") }
        guard runSize.events <= runSize.partitions * Self.eventsPerPartitionKept else {
            let needed = (runSize.events + Self.eventsPerPartitionKept - 1) / Self.eventsPerPartitionKept
            throw ValidationError(
                "--events \(runSize.events) over \(runSize.partitions) partitions exceeds the embedded broker's ~5 MB per partition: use --partitions \(needed) or more"
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
        try cluster.createTopic(inputTopic, partitions: runSize.partitions)
        print("sluice-bench: \(runSize.events) events, \(runSize.partitions) input partitions, \(runSize.repetitions) repetitions, "
            + "\(rate.map { "Sluice's input produced at \($0)" } ?? "input loaded up front (throughput)")")
        print("librdkafka \(Librdkafka.version), embedded cluster \(bootstrap), load average \(BenchFigures.loadAverage())")
        printError("loading \(runSize.events) events …")
        let loaded = try await FraudEventProducer(
            bootstrap: bootstrap, topic: inputTopic, events: runSize.events, pacing: .unlimited, partitioning: .eachEventInTurn(partitions: runSize.partitions),
            lingerMilliseconds: 20
        ).run()
        print(String(format: "loaded %d events in %.1f s", loaded.produced, loaded.seconds))

        var report = ComparisonReport(
            events: runSize.events, repetitions: runSize.repetitions, partitions: runSize.partitions, cRates: [], cCPURates: [], sluiceRuns: [],
            unmeteredRuns: [], isMetered: metrics, pacedRates: [], loadAverage: ""
        )
        let runs = ComparisonRuns(command: self, cluster: cluster, base: base, model: model, inputTopic: inputTopic)
        if let rate, rate.isRelative {
            // The paced rate is a multiple of the C passthrough's median, so every C run comes
            // first: one run alone varies by a third on a shared machine.
            for repetition in 1...runSize.repetitions { try await runs.measureC(repetition: repetition, into: &report) }
            let pacedRate = rate.eventsPerSecond(reference: report.cRate)
            for repetition in 1...runSize.repetitions {
                for variant in sluiceVariants(repetition) {
                    try await runs.measureSluice(variant, repetition: repetition, pacedRate: pacedRate, into: &report)
                }
            }
        } else {
            let pacedRate = rate?.eventsPerSecond(reference: 0)
            for repetition in 1...runSize.repetitions {
                // Alternating which goes first, so neither always runs on a warmer or quieter machine.
                let cFirst = !repetition.isMultiple(of: 2)
                if cFirst { try await runs.measureC(repetition: repetition, into: &report) }
                for variant in sluiceVariants(repetition) {
                    try await runs.measureSluice(variant, repetition: repetition, pacedRate: pacedRate, into: &report)
                }
                if !cFirst { try await runs.measureC(repetition: repetition, into: &report) }
            }
        }
        report.loadAverage = BenchFigures.loadAverage()
        for line in report.lines { print(line) }
        print(report.json)
        withExtendedLifetime(cluster) {}
    }

    /// The Sluice runs of repetition `repetition`: with `--metrics-overhead` also one without
    /// metrics, alternately before and after the metered one.
    private func sluiceVariants(_ repetition: Int) -> [ComparisonRuns.Variant] {
        guard metricsOverhead else { return [.metered] }
        return repetition.isMultiple(of: 2) ? [.unmetered, .metered] : [.metered, .unmetered]
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

/// `sluice-bench`'s run size: half a million events (about 33 MB in the embedded broker), three of each.
enum SluiceBenchDefaults: BenchRunDefaults {
    static let events = 500_000
    static let repetitions = 3
}
