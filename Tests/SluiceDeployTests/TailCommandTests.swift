import Foundation
import SluiceKafka
import Testing

/// `sluice tail` reads records back for a person, without kcat.
@Suite struct TailCommandTests {
    @Test func printsEachRecordWithWhereItIsAndItsJSONIndented() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        try cluster.createTopic("predictions", partitions: 1)
        let generated = try SluiceExecutable.run(["generate", "--bootstrap", cluster.bootstrapServers, "--topic", "predictions", "--rate", "0", "--events", "2"])
        #expect(generated.status == 0, "\(generated.standardError)")

        let run = try SluiceExecutable.run([
            "tail", "--bootstrap", cluster.bootstrapServers, "--topic", "predictions", "--from-beginning", "--count", "2",
            "--property", "fetch.wait.max.ms=1",
        ])

        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.lines
        #expect(lines.first?.hasPrefix("predictions[0]@0  key ") == true, "\(run.standardOutput)")
        #expect(lines.dropFirst().first == "{")
        #expect(lines.contains { $0.hasPrefix("  \"card_id\": \"") }, "one member per line, indented")
        #expect(lines.contains { $0.hasPrefix("predictions[0]@1  key ") })
        #expect(lines.filter { $0 == "}" }.count == 2)
    }
}
