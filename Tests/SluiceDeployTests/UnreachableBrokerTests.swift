import Foundation
import Testing

/// `sluice run` against an address where no broker listens: it says so once, naming the broker,
/// and gives up after `kafka.connect_timeout` with exit status 3.
@Suite struct UnreachableBrokerTests {
    @Test func runNamesTheUnreachableBrokerAndGivesUpAfterTheConnectTimeout() throws {
        let file = try temporaryDirectory().appendingPathComponent("sluice.yaml")
        try """
            kafka: {bootstrap: "127.0.0.1:1", connect_timeout: 1s}
            features: [{path: f, length: 8}]
            model: {path: \(repositoryRoot.path)/Models/linear-regression.onnx}
            http: {listen: "127.0.0.1:0"}
            """.write(to: file, atomically: true, encoding: .utf8)

        let run = try SluiceExecutable.run(["run", "--config", file.path])

        #expect(run.status == 3, "\(run.standardError)")
        let lines = run.standardError.split(separator: "\n")
        let warnings = lines.filter { $0.contains(" warning ") || $0.contains(" error sluice: [thrd") }
        // One line per client (consumer, producer) until the throttle's 30 s have passed.
        #expect(warnings.count == 2, "\(run.standardError)")
        #expect(warnings.allSatisfy { $0.contains("cannot reach Kafka broker 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed") })
        #expect(lines.last?.hasPrefix("error: no Kafka broker answered within kafka.connect_timeout (1.0 seconds)") == true, "\(run.standardError)")
    }
}
