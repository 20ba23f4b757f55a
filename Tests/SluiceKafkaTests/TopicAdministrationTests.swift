import Foundation
import SluiceKafka
import Testing

@Suite(.serialized) struct TopicAdministrationTests {
    @Test func adminDescribesTopicsAndNamesEveryDifferenceFromTheirDefinitions() throws {
        // The mock gives every partition one replica per broker (up to 3): here 2.
        let cluster = try MockKafkaCluster(brokers: 2)
        try cluster.createTopics([
            KafkaTopicDefinition(name: "orders", partitions: 4, replicationFactor: 2),
            KafkaTopicDefinition(name: "payments", partitions: 6, replicationFactor: 2),
        ])
        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: quietLogger)

        let described = try admin.describeTopics(["orders", "payments", "absent"], timeout: patience)
        #expect(
            Set(described) == [
                KafkaTopicDescription(name: "orders", partitions: 4, replicationFactor: 2),
                KafkaTopicDescription(name: "payments", partitions: 6, replicationFactor: 2),
            ]
        )

        let checks = try admin.ensureTopics(
            [
                KafkaTopicDefinition(name: "orders", partitions: 8, replicationFactor: 3),
                KafkaTopicDefinition(name: "payments", partitions: 6, replicationFactor: 2),
            ],
            compareConfigs: false,
            timeout: patience
        )
        #expect(
            checks == [
                .differs(
                    "orders",
                    [
                        KafkaTopicDifference(field: "partitions", defined: "8", found: "4"),
                        KafkaTopicDifference(field: "replication_factor", defined: "3", found: "2"),
                    ]
                ),
                .matches("payments"),
            ]
        )
    }

    @Test func configDifferencesNameTheKeyAndBothValues() {
        let definition = KafkaTopicDefinition(
            name: "audit", partitions: 8, replicationFactor: 3,
            configs: ["retention.ms": "2592000000", "cleanup.policy": "delete"]
        )
        let existing = KafkaTopicDescription(
            name: "audit", partitions: 8, replicationFactor: 3,
            configs: ["retention.ms": "604800000", "cleanup.policy": "delete", "segment.ms": "1000"]
        )
        #expect(
            definition.differences(from: existing)
                == [KafkaTopicDifference(field: "configs.retention.ms", defined: "2592000000", found: "604800000")]
        )
    }

    @Test func theProjectsTopicDefinitionsLoadAndCreateOnTheEmbeddedCluster() throws {
        let topicsDirectory = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Topics").path
        let definitions = try KafkaTopicDefinitionFile.load(fromDirectory: topicsDirectory)
        #expect(Set(definitions.map(\.name)).isSuperset(of: ["events", "predictions", "audit", "events.dlq"]))

        let cluster = try MockKafkaCluster(brokers: 3)
        try cluster.createTopics(definitions)
        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: quietLogger)
        let checks = try admin.ensureTopics(definitions, compareConfigs: false, timeout: patience)
        #expect(checks == definitions.map { .matches($0.name) })
    }

    @Test(arguments: [
        ("topics:\n  - name: a\n    partitions: 0\n", "topics[0] (a).partitions must be at least 1, not 0"),
        ("topics:\n  - name: a\n", "topics[0].partitions is required"),
        ("topics:\n  - name: 'bad name'\n    partitions: 1\n", "topics[0].name \"bad name\" is not a valid topic name"),
        ("topics:\n  - {name: a, partitions: 1}\n  - {name: a, partitions: 2}\n", "topics[1] (a).name is defined twice"),
        ("topics:\n  - {name: a, partitions: 1, replication_factor: 0}\n", "topics[0] (a).replication_factor must be at least 1"),
    ])
    func invalidDefinitionsAreRejectedNamingTheTopicAndField(yaml: String, expected: String) throws {
        let error = try #require(throws: KafkaError.self) {
            try KafkaTopicDefinitionFile.parse(yaml, source: "topics.yaml")
        }
        #expect(error.message.contains(expected), "\(error.message)")
    }

    /// Creating topics needs a real broker: librdkafka's mock cluster does not serve CreateTopics.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SLUICE_TEST_BOOTSTRAP"] != nil))
    func adminCreatesMissingTopicsOnARealCluster() throws {
        let bootstrap = ProcessInfo.processInfo.environment["SLUICE_TEST_BOOTSTRAP"]!
        let admin = try KafkaAdmin(bootstrapServers: bootstrap, logger: quietLogger)
        let name = "sluice-admin-test-\(UInt32.random(in: 0...UInt32.max))"
        let definition = KafkaTopicDefinition(name: name, partitions: 3, replicationFactor: 1, configs: ["retention.ms": "3600000"])
        #expect(try admin.ensureTopics([definition], timeout: patience) == [.created(name)])
        #expect(try admin.createTopics([definition], timeout: patience) == [name])
        var wider = definition
        wider.partitions = 5
        #expect(
            try admin.ensureTopics([wider], timeout: patience)
                == [.differs(name, [KafkaTopicDifference(field: "partitions", defined: "5", found: "3")])]
        )
    }
}
