import Foundation
import SluiceKafka
import Testing

/// Hot reload as an operator does it: `sluice run` as its own process, its model file replaced
/// atomically and SIGHUP sent; the audit records of the events scored before the swap name the
/// old file's SHA-256, those after it the new one's, and every event is scored exactly once.
@Suite struct ModelSwapCommandTests {
    @Test func aModelFileReplacedAtomicallyAndSIGHUPSwapTheDigestBetweenTheWavesAndLoseNothing() throws {
        let cluster = try MockKafkaCluster(brokers: 1)
        for (topic, partitions) in [("events", 3), ("predictions", 1), ("audit", 1), ("events.dlq", 1)] {
            try cluster.createTopic(topic, partitions: partitions)
        }
        let directory = try temporaryDirectory()
        let original = try Data(contentsOf: repositoryRoot.appendingPathComponent("Models/fraud-mlp.onnx"))
        let modelPath = directory.appendingPathComponent("model.onnx")
        try original.write(to: modelPath)
        let configuration = directory.appendingPathComponent("sluice.yaml")
        // The demo's configuration, its model the copy in `directory`, reloaded on SIGHUP only.
        try String(contentsOf: repositoryRoot.appendingPathComponent("config/demo.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "path: ../Models/fraud-mlp.onnx", with: "path: model.onnx\n  watch_interval_ms: 0")
            .replacingOccurrences(of: "group: sluice-fraud", with: "group: swap")
            .replacingOccurrences(of: "max_size: 256", with: "max_size: 16")
            .write(to: configuration, atomically: true, encoding: .utf8)

        try produce(200, seed: 1, to: cluster)
        let running = try BackgroundSluice([
            "run", "--config", configuration.path, "--bootstrap", cluster.bootstrapServers, "--property", "fetch.wait.max.ms=1", "--no-metrics",
        ])
        defer { running.terminate() }
        let firstWave = try audits(200, from: cluster)

        // Another file of the same model (a doc_string appended: ModelProto field 6, the last wins),
        // written beside the model and renamed over it.
        let next = directory.appendingPathComponent("model.next")
        try (original + Data([0x32, 7]) + Data("swapped".utf8)).write(to: next)
        #expect(rename(next.path, modelPath.path) == 0)
        running.signal(SIGHUP)
        try running.waitForStandardError(containing: "model reloaded")
        try produce(200, seed: 2, to: cluster)
        let all = try audits(400, from: cluster)
        running.signal(SIGTERM)
        #expect(running.waitForExit() == 0, "\(running.standardError)")

        let oldDigest = try #require(Set(firstWave.map(\.sha256)).first)
        #expect(Set(firstWave.map(\.sha256)) == [oldDigest], "the first wave was scored by the first model only")
        let secondWave = all.filter { !Set(firstWave.map(\.predictionID)).contains($0.predictionID) }
        #expect(secondWave.count == 200)
        let newDigest = try #require(Set(secondWave.map(\.sha256)).first)
        #expect(Set(secondWave.map(\.sha256)) == [newDigest] && newDigest != oldDigest, "the second wave was scored by the new file only")
        #expect(Set(all.map(\.predictionID)).count == 400, "every event scored exactly once")
        #expect(running.standardError.contains("model reloads     1"), "\(running.standardError)")
    }

    private func produce(_ events: Int, seed: Int, to cluster: MockKafkaCluster) throws {
        let run = try SluiceExecutable.run([
            "generate", "--bootstrap", cluster.bootstrapServers, "--rate", "0", "--events", "\(events)", "--seed", "\(seed)",
        ])
        #expect(run.status == 0, "\(run.standardError)")
    }

    struct Audit {
        var predictionID: String
        var sha256: String
    }

    /// The first `count` audit records, read with `sluice tail` (which waits for them).
    private func audits(_ count: Int, from cluster: MockKafkaCluster) throws -> [Audit] {
        let tail = try SluiceExecutable.run([
            "tail", "--bootstrap", cluster.bootstrapServers, "--topic", "audit", "--from-beginning", "--count", "\(count)",
            "--property", "fetch.wait.max.ms=1",
        ])
        #expect(tail.status == 0, "\(tail.standardError)")
        var records: [Audit] = []
        var json: [String] = []
        for line in tail.lines {
            if line == "{" { json = [] }
            json.append(line)
            guard line == "}" else { continue }
            let object = try JSONSerialization.jsonObject(with: Data(json.joined(separator: "\n").utf8)) as? [String: Any]
            let model = object?["model"] as? [String: Any]
            records.append(Audit(predictionID: object?["prediction_id"] as? String ?? "", sha256: model?["sha256"] as? String ?? ""))
        }
        #expect(records.count == count)
        return records
    }
}
