import SluiceKafka
import Testing
@testable import SluicePipeline

@Suite struct OutputTopicCheckTests {
    @Test func aMissingOutputTopicIsNamedAndExistingOnesAreNot() throws {
        let cluster = try MockKafkaCluster()
        try cluster.createTopic("events", partitions: 1)
        try cluster.createTopic("predictions", partitions: 1)
        try cluster.createTopic("audit", partitions: 1)
        let configuration = try processorConfiguration(cluster, group: "output-topic-check")
        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers, logger: silentLogger)

        // The mock cluster does not answer DescribeConfigs: its limits stay unchecked after a short wait.
        let findings = try OutputTopicCheck.findings(
            for: configuration, admin: admin, timeout: processorPatience, configTimeout: .seconds(2)
        )

        #expect(findings == [.missing(topic: "events.dlq")])
        #expect(findings.first?.description.contains("sluice topics apply") == true)
    }

    @Test func eachOutputTopicIsCheckedOnceWhenTwoOutputsShareOne() throws {
        let cluster = try MockKafkaCluster()
        var configuration = try processorConfiguration(cluster, group: "output-topic-check")
        configuration.outputs.audit = configuration.outputs.predictions
        #expect(OutputTopicCheck.outputTopics(of: configuration) == ["predictions", "events.dlq"])
    }
}
