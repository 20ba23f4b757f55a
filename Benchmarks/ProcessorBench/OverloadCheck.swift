import BenchSupport
import Foundation
import SluiceDemoEvents
import SluiceKafka
import SluiceModel
import SluicePipeline
import SluiceTime

/// `sluice-bench --overload`: Sluice under input produced as fast as a producer can, with this
/// process's resident memory sampled throughout. The embedded cluster runs in a child process, so
/// the messages it stores do not count in this process's memory.
struct OverloadCheck {
    var command: BenchCommand
    var base: SluiceConfiguration
    var model: Model

    func run() async throws {
        let inputTopic = "bench.flood"
        var configuration = base
        configuration.kafka.group = "bench.overload"
        configuration.input.topics = [inputTopic]
        configuration.outputs.predictions = "bench.predictions"
        configuration.outputs.audit = "bench.audit"
        configuration.outputs.deadLetter = "bench.dlq"
        // Memory and rates of the processor alone: no metrics recorded, no endpoint.
        configuration.http.isEnabled = false
        let broker = try ChildBroker(topics: [
            KafkaTopicDefinition(name: inputTopic, partitions: command.runSize.partitions),
            KafkaTopicDefinition(name: configuration.outputs.predictions, partitions: command.outputPartitions),
            KafkaTopicDefinition(name: configuration.outputs.audit, partitions: command.outputPartitions),
            KafkaTopicDefinition(name: configuration.deadLetterTopic, partitions: 1),
        ])
        defer { broker.stop() }
        configuration.kafka.bootstrap = broker.bootstrapServers
        // Never more than the embedded broker keeps: beyond that it drops the oldest events,
        // unread, and the consumer's offsets reset past them (a loss in the broker, not a load).
        let floodEvents = command.runSize.partitions * BenchCommand.eventsPerPartitionKept
        print(
            "sluice-bench --overload: input produced as fast as possible into \(command.runSize.partitions) partitions for \(command.overloadSeconds) s "
                + "or \(floodEvents) events (what the embedded broker keeps); embedded cluster in child process "
                + "\(broker.processIdentifier) at \(broker.bootstrapServers)"
        )
        print("load average \(BenchFigures.loadAverage())")
        let residentBefore = ResidentMemory.current ?? 0
        let producer = FraudEventProducer(
            bootstrap: broker.bootstrapServers, topic: inputTopic, events: floodEvents, pacing: .unlimited,
            partitioning: .eachEventInTurn(partitions: command.runSize.partitions), lingerMilliseconds: 20
        )
        var production: Task<FraudEventProducer.Outcome, Error>?
        var memory = MemorySamples()
        let clock = ContinuousClock()
        var floodStarted: ContinuousClock.Instant?
        let duration = command.overloadSeconds
        let run = ProcessorBenchRun(configuration: configuration, model: model, expectedEvents: nil, label: "Sluice under overload") { _, statistics in
            guard let floodStarted else { return false }
            let seconds = floodStarted.duration(to: clock.now).inSeconds
            memory.samples.append((seconds, ResidentMemory.current ?? 0))
            let isBacklogDone = statistics.eventsIn >= floodEvents && statistics.inFlight == 0
            return seconds >= duration || isBacklogDone
        }
        let result = try await run.run {
            floodStarted = clock.now
            production = Task { try await producer.run() }
        }
        let processed = result.statistics.eventsIn
        producer.cancel()
        let produced = try await production?.value ?? .init(produced: 0, malformed: 0, seconds: 0)
        let statistics = result.statistics
        let factor = produced.eventsPerSecond / result.eventsPerSecond
        let quarters = memory.maxima(inParts: 4).map { String(format: "%.0f", BenchFigures.megabytes($0)) }
        print(String(format: "produced  %9.0f events/s (%d events)", produced.eventsPerSecond, produced.produced))
        print(String(format: "processed %9.0f events/s (%d events)", result.eventsPerSecond, processed))
        print(String(format: "overload  %9.1fx (produced/processed)", factor))
        print("back-pressure \(statistics.pauses) pauses, \(statistics.producerQueueFullWaits) producer-queue-full waits, peak \(statistics.peakInFlight) events in flight (limit \(configuration.backpressure.maxInFlight))")
        print(String(format: "resident memory: %.0f MB before the processor started; largest per quarter of the run: %@ MB", BenchFigures.megabytes(residentBefore), quarters.joined(separator: ", ")))
        print(String(format: "peak resident memory (ru_maxrss): %.0f MB", BenchFigures.megabytes(ResidentMemory.peak)))
        print(BenchFigures.jsonLine([
            "mode": "overload",
            "seconds": duration,
            "produced_events_per_second": produced.eventsPerSecond.rounded(),
            "processed_events_per_second": result.eventsPerSecond.rounded(),
            "overload_factor": (factor * 10).rounded() / 10,
            "pauses": statistics.pauses,
            "peak_in_flight": statistics.peakInFlight,
            "max_in_flight": configuration.backpressure.maxInFlight,
            "rss_before_mb": BenchFigures.megabytes(residentBefore).rounded(),
            "rss_quarter_max_mb": memory.maxima(inParts: 4).map { BenchFigures.megabytes($0).rounded() },
            "rss_samples": memory.samples.count,
            "peak_rss_mb": BenchFigures.megabytes(ResidentMemory.peak).rounded(),
            "load_average": BenchFigures.loadAverage(),
        ]))
    }
}

/// `sluice broker` (the `sluice` executable beside this one) as a child process, with the given topics.
final class ChildBroker {
    let bootstrapServers: String
    private let process: Process
    private let directory: URL

    var processIdentifier: Int32 { process.processIdentifier }

    init(topics: [KafkaTopicDefinition]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var yaml = "topics:\n"
        for topic in topics { yaml += "  - {name: \(topic.name), partitions: \(topic.partitions)}\n" }
        try yaml.write(to: directory.appendingPathComponent(KafkaTopicDefinitionFile.fileName), atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("sluice")
        process.arguments = ["broker", "--topics", directory.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard !line.isEmpty else { throw BenchFailure("the child `sluice broker` printed no bootstrap address") }
        bootstrapServers = String(decoding: line, as: UTF8.self)
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}
