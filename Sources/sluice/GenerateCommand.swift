import ArgumentParser
import Foundation
import SluiceCommandLine
import SluiceDemoEvents
import SluiceTime
import UnixSignals

/// `sluice generate`: the demo's fraud events, produced to any cluster at a steady rate.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Produces the demo's card transactions to a Kafka topic at a steady rate.",
        discussion: """
            The events `sluice demo` scores (matching Models/fraud-mlp.onnx; one in 4999 malformed \
            on purpose, to exercise the dead-letter topic), keyed by card id. Shows a progress line \
            on standard error. Stops after --events, or on SIGINT or SIGTERM, once every event sent \
            is acknowledged; exits 0, or 1 if a delivery failed.
            """
    )

    @OptionGroup var connection: KafkaConnectionOptions

    @Option(help: "Events per second; 0 for as fast as the cluster takes them.")
    var rate: Double = 1000

    @Option(help: "Number of events; without it, runs until interrupted.")
    var events: Int?

    @Option(help: "The topic to produce to.")
    var topic = "events"

    @Option(help: "Seed of the generator: the same seed gives the same events.")
    var seed: UInt64 = 2026

    @Option(help: "The events' encoding: json, avro (the schema in config/demo-events.avsc) or protobuf (config/demo-events.proto, message sluice.demo.Transaction).")
    var format: GeneratedFormat = .json

    @Option(help: "With --format avro or protobuf: a Schema Registry URL to register the schema with (subject TOPIC-value), writing the events in its wire format; without it the records are bare.")
    var schemaRegistry: String?

    func validate() throws {
        guard rate >= 0, rate.isFinite else { throw ValidationError("--rate must be 0 or more, not \(rate)") }
        if let events, events < 1 { throw ValidationError("--events must be at least 1, not \(events)") }
        if schemaRegistry != nil, format == .json { throw ValidationError("--schema-registry goes with --format avro or protobuf") }
    }

    func run() async throws {
        let (bootstrap, properties) = try connection.resolve()
        let producer = FraudEventProducer(
            bootstrap: bootstrap, properties: properties, topic: topic, events: events, seed: seed, pacing: .rate(rate),
            format: try eventFormat()
        )
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let stopper = Task {
            for await signal in signals {
                printError("\n\(signal): waiting for the events sent to be acknowledged, then stopping")
                producer.cancel()
                return
            }
        }
        defer { stopper.cancel() }
        let production = Task { try await producer.run() }
        let progress = Task { await showProgress(of: producer) }
        let started = ContinuousClock.now
        let outcome: FraudEventProducer.Outcome
        do {
            outcome = try await production.value
        } catch {
            progress.cancel()
            await progress.value
            printError("\nerror: \(error)")
            throw ExitCode.failure
        }
        progress.cancel()
        await progress.value
        let seconds = started.duration(to: .now).inSeconds
        printError(
            "\nproduced \(outcome.produced) events to \(topic) (\(outcome.malformed) malformed on purpose), all acknowledged, "
                + String(format: "in %.1f s (%.0f events/s)", seconds, Double(outcome.produced) / max(seconds, 1e-9))
        )
    }

    /// Rewrites one line on a terminal a few times a second; elsewhere (a container's log) prints
    /// a line every ten seconds.
    private func showProgress(of producer: FraudEventProducer) async {
        let isTerminal = isatty(2) != 0
        let started = ContinuousClock.now
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: isTerminal ? .milliseconds(250) : .seconds(10))
            } catch {
                return
            }
            let seconds = started.duration(to: .now).inSeconds
            let produced = producer.produced
            let line = "\(produced)\(events.map { "/\($0)" } ?? "") events sent, \(producer.acknowledged) acknowledged, "
                + String(format: "%.0f events/s", Double(produced) / max(seconds, 1e-9))
            if isTerminal {
                FileHandle.standardError.write(Data(("\r" + line + "   ").utf8))
            } else {
                printError(line)
            }
        }
    }
}
