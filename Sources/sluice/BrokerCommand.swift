import ArgumentParser
import Foundation
import SluiceKafka
import UnixSignals

/// `sluice broker`: an embedded Kafka cluster for local development and tests.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Runs an embedded Kafka cluster on loopback until interrupted.",
        discussion: """
            Starts librdkafka's mock brokers, which speak the real Kafka protocol (any client, such \
            as kcat or confluent-kafka, can produce and consume), creates the topics defined in \
            DIR/topics.yaml when --topics is given, and prints the bootstrap address \
            (host:port[,host:port…]) as the first line of standard output. Runs until SIGINT or \
            SIGTERM, then exits 0. Messages live in memory, about 5 MB per partition.
            """
    )

    @Option(help: "Number of brokers.")
    var brokers = 1

    @Option(name: .customLong("topics"), help: "Directory with topics.yaml, whose topics are created.")
    var topicsDirectory: String?

    func validate() throws {
        guard brokers >= 1 else { throw ValidationError("--brokers must be at least 1, not \(brokers)") }
    }

    func run() async throws {
        var signals = await UnixSignalsSequence(trapping: .sigint, .sigterm).makeAsyncIterator()
        let definitions = try topicsDirectory.map { try KafkaTopicDefinitionFile.load(fromDirectory: $0) } ?? []
        let cluster = try MockKafkaCluster(brokers: brokers)
        try cluster.createTopics(definitions)
        print(cluster.bootstrapServers)
        fflush(nil)  // flushes every output stream: scripts read this line before we exit
        for definition in definitions {
            FileHandle.standardError.write(
                Data(
                    "topic \(definition.name): \(definition.partitions) partitions, \(cluster.replicasPerPartition) replicas\n".utf8
                )
            )
        }
        let signal = await signals.next().map { "\($0)" } ?? "end of input"
        FileHandle.standardError.write(Data("\(signal), stopping the embedded cluster\n".utf8))
        withExtendedLifetime(cluster) {}
    }
}
