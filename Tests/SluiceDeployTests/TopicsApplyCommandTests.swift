import Foundation
import Logging
import SluiceKafka
import Testing

/// `sluice topics apply` against the embedded mock cluster. The mock serves no CreateTopics,
/// CreatePartitions, AlterConfigs or DescribeConfigs (librdkafka waits for a controller it never
/// names): creating, altering and comparing configs are covered against a real cluster in
/// SluiceKafkaTests (SLUICE_TEST_BOOTSTRAP); here, what a user sees and the exit status.
@Suite(.serialized) struct TopicsApplyCommandTests {
    private let logger = Logger(label: "sluice.deploy.tests") { _ in SwiftLogNoOpLogHandler() }

    @Test func theProjectsTopicsOnAClusterHoldingThemAreAsDefinedAndExitZeroEveryTime() throws {
        let definitions = try KafkaTopicDefinitionFile.load(fromDirectory: repositoryRoot.appendingPathComponent("Topics").path)
        let cluster = try MockKafkaCluster(brokers: 3)
        try cluster.createTopics(definitions)

        for _ in 0..<2 {
            let run = try SluiceExecutable.run(["topics", "apply", "--bootstrap", cluster.bootstrapServers, "--timeout", "2"])
            #expect(run.status == 0, "\(run.standardError)")
            #expect(run.lines.filter { !$0.hasPrefix("  ") } == definitions.map { "\($0.name): as defined" })
            #expect(run.standardOutput.contains("  configs not compared: "))
        }
    }

    @Test func existingTopicsThatDifferAreReportedUnchangedAndExitOne() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("narrow", partitions: 2)
        try cluster.createTopic("wide", partitions: 6)
        let topics = try topicsDirectory(containing: "topics:\n  - {name: narrow, partitions: 4}\n  - {name: wide, partitions: 3, replication_factor: 2}\n")

        let run = try SluiceExecutable.run(["topics", "apply", "--bootstrap", cluster.bootstrapServers, "--topics", topics])

        #expect(run.status == 1, "\(run.standardError)")
        #expect(run.lines == [
            "narrow: differs from its definition",
            "  partitions: defined 4, found 2",
            "wide: differs from its definition",
            "  partitions: defined 3, found 6; cannot be altered: Kafka cannot remove partitions; define 6 or more, or recreate the topic (losing its records)",
            "  replication_factor: defined 2, found 1; cannot be altered: the replication factor changes only by reassigning partitions (kafka-reassign-partitions.sh), which sluice does not do",
        ])
        #expect(run.standardError.contains("--alter adds partitions and sets configs"))
        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: logger)
        #expect(Set(try admin.describeTopics(["narrow", "wide"], timeout: .seconds(30)).map(\.partitions)) == [2, 6])
    }

    @Test func aDryRunSaysWhatWouldBeCreatedAndAlteredCreatesNothingAndExitsOne() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("narrow", partitions: 2)
        let topics = try topicsDirectory(containing: "topics:\n  - {name: narrow, partitions: 4}\n  - {name: absent, partitions: 2}\n")

        let run = try SluiceExecutable.run(["topics", "apply", "--bootstrap", cluster.bootstrapServers, "--topics", topics, "--alter", "--dry-run"])

        #expect(run.status == 1, "\(run.standardError)")
        #expect(run.lines == [
            "narrow: differs from its definition (dry run)",
            "  partitions: defined 4, found 2; would be altered",
            "absent: would be created (2 partitions, replication factor 1)",
        ])
        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: logger)
        #expect(try admin.describeTopics(["narrow", "absent"], timeout: .seconds(30)).map(\.partitions) == [2])
    }

    @Test func invalidDefinitionsExitTwoNamingTheField() throws {
        let topics = try topicsDirectory(containing: "topics:\n  - {name: events, partitions: 0}\n")

        let run = try SluiceExecutable.run(["topics", "apply", "--bootstrap", "127.0.0.1:1", "--topics", topics])

        #expect(run.status == 2)
        #expect(run.standardError.contains("topics[0] (events).partitions must be at least 1, not 0"), "\(run.standardError)")
    }

    @Test func aRequestTheClusterDoesNotServeExitsThreeNamingTheTopics() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        let topics = try topicsDirectory(containing: "topics:\n  - {name: absent, partitions: 1}\n")

        let run = try SluiceExecutable.run(["topics", "apply", "--bootstrap", cluster.bootstrapServers, "--topics", topics, "--timeout", "2"])

        #expect(run.status == 3)
        #expect(run.standardError.contains("error: cannot create \"absent\": "), "\(run.standardError)")
    }
}
