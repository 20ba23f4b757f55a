import Foundation
import SluiceKafka
import Testing

/// How long admin requests the mock cluster never answers (DescribeConfigs, CreateTopics) may
/// wait before they fail: short, as every wait ends in a timeout.
private let mockAdminTimeout: Duration = .seconds(2)

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

        let applications = try admin.applyTopics(
            [
                KafkaTopicDefinition(name: "orders", partitions: 8, replicationFactor: 3),
                KafkaTopicDefinition(name: "payments", partitions: 6, replicationFactor: 2),
            ],
            timeout: patience
        )
        #expect(
            applications == [
                KafkaTopicApplication(
                    name: "orders", action: .existed,
                    differences: [
                        KafkaTopicDifference(field: "partitions", defined: "8", found: "4"),
                        KafkaTopicDifference(
                            field: "replication_factor", defined: "3", found: "2",
                            resolution: .unalterable(
                                "the replication factor changes only by reassigning partitions (kafka-reassign-partitions.sh), which sluice does not do"
                            )
                        ),
                    ]
                ),
                KafkaTopicApplication(name: "payments", action: .existed),
            ]
        )
        #expect(applications.map(\.isInSync) == [false, true])
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
        let applications = try admin.applyTopics(definitions, timeout: mockAdminTimeout)
        #expect(applications.map(\.name) == definitions.map(\.name))
        #expect(applications.allSatisfy { $0.action == .existed && $0.differences.isEmpty && $0.isInSync })
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

    @Test func aDryRunReportsWhatItWouldCreateAndAlterAndChangesNothing() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopics([
            KafkaTopicDefinition(name: "narrow", partitions: 2),
            KafkaTopicDefinition(name: "wide", partitions: 6),
        ])
        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: quietLogger)
        let definitions = [
            KafkaTopicDefinition(name: "narrow", partitions: 4),
            KafkaTopicDefinition(name: "wide", partitions: 3),
            KafkaTopicDefinition(name: "absent", partitions: 1),
        ]

        let applications = try admin.applyTopics(definitions, mode: KafkaTopicApplyMode(alter: true, dryRun: true), timeout: patience)

        #expect(applications.map(\.action) == [.existed, .existed, .wouldCreate])
        #expect(applications[0].differences.map(\.resolution) == [.wouldAlter])
        let cannot = try #require(applications[1].differences.first)
        guard case .unalterable(let reason) = cannot.resolution else {
            Issue.record("fewer partitions must be unalterable, got \(cannot.resolution)")
            return
        }
        #expect(reason.contains("cannot remove partitions"))
        #expect(applications.allSatisfy { !$0.isInSync })
        #expect(
            Set(try admin.describeTopics(["narrow", "wide", "absent"], timeout: patience))
                == [
                    KafkaTopicDescription(name: "narrow", partitions: 2, replicationFactor: 1),
                    KafkaTopicDescription(name: "wide", partitions: 6, replicationFactor: 1),
                ]
        )
    }

    @Test func withoutAlterADifferenceThatCouldBeAlteredIsOnlyReported() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("narrow", partitions: 2)
        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: quietLogger)
        let definition = KafkaTopicDefinition(name: "narrow", partitions: 4)

        for _ in 0..<2 {
            let applications = try admin.applyTopics([definition], timeout: patience)
            #expect(applications == [
                KafkaTopicApplication(name: "narrow", action: .existed, differences: [.init(field: "partitions", defined: "4", found: "2")])
            ])
        }
        #expect(try admin.describeTopics(["narrow"], timeout: patience).map(\.partitions) == [2])
    }

    /// librdkafka's mock cluster serves no DescribeConfigs: configs are reported as not compared
    /// rather than as matching or differing.
    @Test func configsTheClusterWillNotDescribeAreReportedAsNotCompared() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("audit", partitions: 1)
        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: quietLogger)

        let applications = try admin.applyTopics(
            [KafkaTopicDefinition(name: "audit", partitions: 1, configs: ["retention.ms": "2592000000"])], timeout: mockAdminTimeout
        )

        let application = try #require(applications.first)
        #expect(application.differences.isEmpty)
        #expect(application.configsNotCompared != nil)
    }

    /// The mock cluster serves no CreateTopics: librdkafka waits for a controller until the
    /// timeout, and the error names every topic that was to be created.
    @Test func creatingOnTheMockClusterFailsNamingTheTopics() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: quietLogger)

        let error = try #require(throws: KafkaError.self) {
            try admin.applyTopics(
                [KafkaTopicDefinition(name: "absent", partitions: 1), KafkaTopicDefinition(name: "gone", partitions: 1)],
                timeout: mockAdminTimeout
            )
        }
        #expect(error.message.hasPrefix("cannot create \"absent\", \"gone\": "), "\(error.message)")
    }

    /// Creating topics needs a real broker: librdkafka's mock cluster does not serve CreateTopics.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SLUICE_TEST_BOOTSTRAP"] != nil))
    func adminCreatesMissingTopicsAndAltersThemOnARealCluster() throws {
        let bootstrap = ProcessInfo.processInfo.environment["SLUICE_TEST_BOOTSTRAP"]!
        let admin = try KafkaAdmin(bootstrapServers: bootstrap, logger: quietLogger)
        let name = "sluice-admin-test-\(UInt32.random(in: 0...UInt32.max))"
        let definition = KafkaTopicDefinition(name: name, partitions: 3, replicationFactor: 1, configs: ["retention.ms": "3600000"])
        #expect(try admin.applyTopics([definition], timeout: patience) == [KafkaTopicApplication(name: name, action: .created)])
        #expect(try admin.createTopics([definition], timeout: patience) == [name])
        #expect(try admin.applyTopics([definition], timeout: patience).map(\.isInSync) == [true])

        var changed = definition
        changed.partitions = 5
        changed.configs["retention.ms"] = "7200000"
        let reported = try admin.applyTopics([changed], timeout: patience)
        #expect(reported.first?.differences == [
            KafkaTopicDifference(field: "partitions", defined: "5", found: "3"),
            KafkaTopicDifference(field: "configs.retention.ms", defined: "7200000", found: "3600000"),
        ])
        let altered = try admin.applyTopics([changed], mode: KafkaTopicApplyMode(alter: true), timeout: patience)
        #expect(altered.first?.differences.map(\.resolution) == [.altered, .altered])
        #expect(try admin.applyTopics([changed], timeout: patience).map(\.isInSync) == [true])
        #expect(try admin.topicConfigs(of: name, timeout: patience)["retention.ms"] == "7200000")
    }
}
