import ArgumentParser
import Foundation
import Logging
import SluiceCommandLine
import SluiceKafka
import SluiceModel
import SluicePipeline

/// `sluice audit …`: check what the audit trail says.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the audit trail against the inputs and the models.",
        subcommands: [Verify.self]
    )

    /// `sluice audit verify --config FILE`
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay audited predictions and report any that the model would not write again.",
            discussion: """
                Reads the audit and prediction topics of the configuration as they are now (from \
                the oldest record kept), then the input topics. Each audited prediction is \
                replayed: its input record's payload must have the audited SHA-256, decode (with \
                the configuration's features) to the audited feature row, and, scored by the model \
                of the audited SHA-256, give byte for byte the prediction record written under the \
                same prediction id. The configured model is at hand; --model adds others (earlier \
                versions named by older records). Reads as a consumer of a throw-away group and \
                commits nothing.

                Prints a summary with a count per finding (input_missing, payload_changed, \
                model_not_at_hand, undecodable, features_changed, prediction_missing, \
                outputs_differ) and the first differences. Exit status: 0 every audited \
                prediction replayed identically, 1 some did not (or an audit record was \
                unreadable, or reading failed), 2 invalid configuration or model, 3 the Kafka \
                cluster could not be reached.
                """
        )

        @Option(name: .customLong("config"), help: "The processor's configuration file (YAML).")
        var configurationPath: String

        @Option(help: "Brokers to bootstrap from (kafka.bootstrap).")
        var bootstrap: String?

        @Option(help: "Another model file an audit record may name (repeatable).")
        var model: [String] = []

        func run() throws {
            let (configuration, verifier) = try prepare()
            var consumer = KafkaConsumerConfiguration.readingBack(for: "audit", bootstrap: configuration.kafka.bootstrap, properties: configuration.kafka.properties)
            // Records of aborted transactions were never delivered: exactly-once outputs are read as their readers do.
            consumer.properties["isolation.level"] = "read_committed"
            let logger = Logger(label: "sluice")
            let outputs = configuration.outputs
            do {
                printError("reading \(outputs.audit) from \(configuration.kafka.bootstrap)")
                try KafkaTopicSnapshot.read([outputs.audit], configuration: consumer, logger: logger) { message in
                    verifier.addAudit(Array(message.value))
                    return true
                }
                printError("reading \(outputs.predictions)")
                try KafkaTopicSnapshot.read([outputs.predictions], configuration: consumer, logger: logger) { message in
                    verifier.addPrediction(Array(message.value))
                    return true
                }
                printError("replaying from \(configuration.input.topics.joined(separator: ", "))")
                if verifier.isAwaitingInput {
                    try KafkaTopicSnapshot.read(configuration.input.topics, configuration: consumer, logger: logger) { message in
                        verifier.replay(topic: message.topic, partition: message.partition, offset: message.offset, key: message.key, value: message.value)
                        return verifier.isAwaitingInput
                    }
                }
            } catch let error as KafkaError where error.meansUnreachable {
                printError("error: \(error.message)")
                throw CommandExit.unreachable
            } catch {
                printError("error: \(error)")
                throw CommandExit.failure
            }
            let report = verifier.finish()
            print(report.description)
            if !report.isClean { throw CommandExit.failure }
        }

        private func prepare() throws -> (SluiceConfiguration, AuditVerifier) {
            do {
                var overrides: [ConfigurationOverride] = []
                if let bootstrap { overrides.append(.bootstrap(bootstrap)) }
                let configuration = try SluiceConfiguration.load(path: configurationPath, overrides: overrides)
                let models = try ([configuration.model.path] + model).map { try ModelFile.load($0) }
                return (configuration, try AuditVerifier(configuration: configuration, models: models))
            } catch {
                printError("error: \(error)")
                throw CommandExit.invalid
            }
        }
    }
}
