import ArgumentParser
import Foundation
import Logging
import SluiceKafka
import SluiceCommandLine
import SluicePipeline

/// `sluice profile --config FILE --data FILE`: the reference profile that `monitoring.profile` compares the stream with.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Writes a reference profile of a data set for drift monitoring and explanations.",
        discussion: """
            Decodes every event of the data file exactly as `sluice run` would with the \
            configuration's features (JSON lines of events, or CSV whose header names each column \
            by a feature path), scores them with the configuration's model, and writes a profile: \
            per feature and per numeric output the missing rate, the range, mean and quantile bins, \
            the model's SHA-256 and, for a tree ensemble, the rows reaching each tree node (the \
            covers `audit.explain` needs). With --from-topic instead of --data, the most recent --events \
            events of a topic (JSON), an equal share from each partition. Events `sluice run` \
            would dead-letter are left out and counted on standard error. Exit status: 0 written, \
            1 reading, scoring or writing failed, 2 invalid configuration, model or data, 3 the \
            Kafka cluster could not be reached.
            """
    )

    @Option(name: .customLong("config"), help: "The configuration file (YAML).")
    var configurationPath: String

    @Option(help: "The data: JSON lines of events, or CSV (by a .csv extension).")
    var data: String?

    @Option(help: "Profile a topic's most recent events instead of a data file (JSON events).")
    var fromTopic: String?

    @Option(help: "With --from-topic: how many of the most recent events, spread evenly over the topic's partitions.")
    var events = 100_000

    @Option(help: "With --from-topic: brokers to bootstrap from (kafka.bootstrap).")
    var bootstrap: String?

    func validate() throws {
        guard (data == nil) != (fromTopic == nil) else { throw ValidationError("give either --data FILE or --from-topic TOPIC") }
        if events < 1 { throw ValidationError("--events must be at least 1, not \(events)") }
    }

    @Option(help: "Where to write the profile (JSON); standard output when absent.")
    var output: String?

    func run() throws {
        var builder: ProfileBuilder
        let configuration: SluiceConfiguration
        do {
            var overrides: [ConfigurationOverride] = []
            if let bootstrap { overrides.append(.bootstrap(bootstrap)) }
            var loaded = try SluiceConfiguration.load(path: configurationPath, overrides: overrides)
            // The profile this command writes may be the one `monitoring.profile` or
            // `audit.explain.profile` names: not checked here.
            loaded.monitoring = nil
            loaded.explanations = nil
            configuration = loaded
            if fromTopic != nil, configuration.input.format != .json {
                throw ValidationError("--from-topic reads JSON events; input.format is \(configuration.input.format.rawValue): export the events as JSON lines for --data")
            }
            let model = try ModelFile.load(configuration.model.path)
            builder = ProfileBuilder(decoder: try configuration.preflightCheck(model: model), model: model)
        } catch {
            printError("error: \(error)")
            throw CommandExit.invalid
        }
        let profile: ReferenceProfile
        do {
            if let fromTopic {
                try addRecentEvents(of: fromTopic, configuration: configuration, to: &builder)
            } else if let data {
                try addEvents(of: data, to: &builder)
            }
            profile = try builder.finish()
            // A profile of nothing would make every window look drifted.
            if profile.rows == 0 { throw ProfileError("no event to profile (\(builder.rejected) left out)") }
        } catch let error as ProfileError {
            printError("error: \(data ?? fromTopic ?? ""): \(error)")
            throw CommandExit.invalid
        } catch let error as KafkaError where error.meansUnreachable {
            printError("error: \(error.message)")
            throw CommandExit.unreachable
        } catch {
            printError("error: \(error)")
            throw CommandExit.failure
        }
        if builder.rejected > 0 {
            printError("\(builder.rejected) events left out, as sluice run would dead-letter them; first: "
                + builder.firstRejections.joined(separator: "; "))
        }
        do {
            let json = try profile.jsonData()
            if let output { try json.write(to: URL(fileURLWithPath: output)) } else { FileHandle.standardOutput.write(json) }
        } catch {
            printError("error: cannot write the profile: \(error)")
            throw CommandExit.failure
        }
        printError("profiled \(profile.rows) events: \(profile.features.count) feature columns, \(profile.outputs.count) output columns")
    }

    /// The events of `path`: JSON lines, or CSV by its extension.
    private func addEvents(of path: String, to builder: inout ProfileBuilder) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline)[...]
        let csv = path.lowercased().hasSuffix(".csv")
        let events = csv ? try lines.popFirst().map(CSVEvents.init(headerLine:)) : nil
        for line in lines where !line.allSatisfy(\.isWhitespace) {
            var event = try events.map { try $0.event(line: line) } ?? String(line)
            try event.withUTF8 { try builder.add(event: UnsafeRawBufferPointer($0)) }
        }
    }

    /// The most recent ``events`` of `topic` as it is now, an equal share from each partition, read
    /// as a consumer of a throw-away group that commits nothing.
    private func addRecentEvents(of topic: String, configuration: SluiceConfiguration, to builder: inout ProfileBuilder) throws {
        let consumer = KafkaConsumerConfiguration.readingBack(for: "profile", bootstrap: configuration.kafka.bootstrap, properties: configuration.kafka.properties)
        printError("reading the most recent \(events) events of \(topic) from \(configuration.kafka.bootstrap)")
        let perPartition = { (partitions: Int) in Int64((events + partitions - 1) / partitions) }
        try KafkaTopicSnapshot.read([topic], configuration: consumer, logger: Logger(label: "sluice"), start: { _, watermarks, partitions in
            watermarks.high - perPartition(partitions)
        }) { message in
            try builder.add(event: message.value)
            return true
        }
    }
}
