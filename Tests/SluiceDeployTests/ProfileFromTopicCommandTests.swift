import Foundation
import SluiceKafka
import Testing

/// `sluice profile --from-topic`: a reference profile from a topic's most recent events.
@Suite struct ProfileFromTopicCommandTests {
    /// The demo's configuration with the model's path made absolute.
    static func configuration(in directory: URL) throws -> String {
        let demo = try String(contentsOf: repositoryRoot.appendingPathComponent("config/demo.yaml"), encoding: .utf8)
        let path = directory.appendingPathComponent("demo.yaml").path
        try demo.replacingOccurrences(of: "../Models/", with: repositoryRoot.appendingPathComponent("Models").path + "/")
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func profilesTheMostRecentEventsAnEqualShareFromEachPartition() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("events", partitions: 2)
        let generated = try SluiceExecutable.run(["generate", "--bootstrap", cluster.bootstrapServers, "--rate", "0", "--events", "600"])
        #expect(generated.status == 0, "\(generated.standardError)")
        let directory = try temporaryDirectory()
        let output = directory.appendingPathComponent("profile.json").path

        let run = try SluiceExecutable.run([
            "profile", "--config", try Self.configuration(in: directory), "--from-topic", "events", "--events", "100",
            "--bootstrap", cluster.bootstrapServers, "--output", output,
        ])

        #expect(run.status == 0, "\(run.standardError)")
        let profile = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any]
        #expect(profile?["rows"] as? Int == 100, "50 from each of the 2 partitions")
        #expect(run.standardError.contains("profiled 100 events"))
    }

    @Test func anEmptyTopicIsRefusedRatherThanProfiledAsNothing() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("events", partitions: 1)
        let directory = try temporaryDirectory()

        let run = try SluiceExecutable.run([
            "profile", "--config", try Self.configuration(in: directory), "--from-topic", "events", "--bootstrap", cluster.bootstrapServers,
        ])

        #expect(run.status == 2)
        #expect(run.standardError.contains("no event to profile"), "\(run.standardError)")
    }
}
