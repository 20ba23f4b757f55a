import ArgumentParser
import Logging
import SluiceCommandLine
import SluiceKafka

/// `sluice topics`: the topics of `Topics/topics.yaml` on a real cluster.
struct TopicsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Manages the topics Sluice reads and writes.",
        subcommands: [TopicsApplyCommand.self]
    )
}

/// `sluice topics apply`: creates the defined topics that are missing and reports, or with
/// `--alter` fixes where Kafka allows, the existing ones that differ.
struct TopicsApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Creates the topics of DIR/topics.yaml that are missing and reports every existing one that differs.",
        discussion: """
            Compares each existing topic's partitions, replication factor and the configs the file \
            defines with the definition. Nothing existing is changed unless --alter is given, which \
            adds partitions and sets configs; Kafka cannot remove partitions or change a \
            replication factor in place, so those differences are only reported, with what would \
            fix them. --dry-run changes nothing and says what would be created or altered. \
            Running it again after success changes nothing.

            One line per topic on standard output; what it is waiting for on standard error. Exit \
            status: 0 every topic exists as defined; 1 some topic differs (or, with --dry-run, \
            would be created or altered); 2 the topic definitions, the configuration or the \
            command line are invalid; 3 the cluster could not be reached or refused a request.
            """
    )

    @OptionGroup var connection: KafkaConnectionOptions

    @Option(name: .customLong("topics"), help: "Directory with topics.yaml.")
    var topicsDirectory = "Topics"

    @Flag(help: "Add partitions and set configs of existing topics that differ, where Kafka allows.")
    var alter = false

    @Flag(help: "Change nothing; report what would be created or altered.")
    var dryRun = false

    @Option(help: "Seconds to wait for each answer from the cluster.")
    var timeout = 30

    func validate() throws {
        guard timeout >= 1 else { throw ValidationError("--timeout must be at least 1 second, not \(timeout)") }
    }

    func run() throws {
        let definitions: [KafkaTopicDefinition]
        do throws(KafkaError) {
            definitions = try KafkaTopicDefinitionFile.load(fromDirectory: topicsDirectory)
        } catch {
            printError("error: \(error.message)")
            throw CommandExit.invalid
        }
        let (bootstrap, properties) = try connection.resolve()
        let applications: [KafkaTopicApplication]
        // A cluster that does not answer (or, like `sluice broker`, does not serve config
        // requests) makes each request wait for --timeout: say so rather than sit silent.
        printError("asking \(bootstrap) about \(definitions.count) topics; each answer may take up to \(timeout) s (--timeout) …")
        do throws(KafkaError) {
            let admin = try KafkaAdmin(bootstrapServers: bootstrap, properties: properties, logger: Logger(label: "sluice"))
            applications = try admin.applyTopics(
                definitions, mode: KafkaTopicApplyMode(alter: alter, dryRun: dryRun), timeout: .seconds(timeout)
            )
        } catch {
            printError("error: \(error.message)")
            throw CommandExit.unreachable
        }
        let byName = Dictionary(uniqueKeysWithValues: definitions.map { ($0.name, $0) })
        for application in applications {
            print(TopicApplicationReport(application, definition: byName[application.name]!, dryRun: dryRun).lines.joined(separator: "\n"))
        }
        let outOfSync = applications.filter { !$0.isInSync }
        if !alter, outOfSync.contains(where: { $0.differences.contains { $0.resolution == .reported } }) {
            printError("nothing existing was changed; --alter adds partitions and sets configs where Kafka allows")
        }
        if !outOfSync.isEmpty { throw CommandExit.failure }
    }
}

/// One topic's outcome as lines for a terminal: the topic and what happened, then its differences.
struct TopicApplicationReport {
    var lines: [String]

    init(_ application: KafkaTopicApplication, definition: KafkaTopicDefinition, dryRun: Bool) {
        let shape = "\(definition.partitions) partitions, replication factor \(definition.replicationFactor)"
            + (definition.configs.isEmpty ? "" : ", \(definition.configs.count) configs")
        switch application.action {
        case .created: lines = ["\(application.name): created (\(shape))"]
        case .wouldCreate: lines = ["\(application.name): would be created (\(shape))"]
        case .existed where application.differences.isEmpty: lines = ["\(application.name): as defined"]
        case .existed where application.isInSync: lines = ["\(application.name): altered to its definition"]
        case .existed: lines = ["\(application.name): differs from its definition" + (dryRun ? " (dry run)" : "")]
        }
        lines += application.differences.map { "  \($0)" }
        if let reason = application.configsNotCompared {
            lines.append("  configs not compared: \(reason)")
        }
    }
}
