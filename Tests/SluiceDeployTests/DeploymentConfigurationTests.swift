import Foundation
import SluicePipeline
import Testing

/// The Sluice configurations the compose stacks mount (Docker/config) load with Sluice's own
/// loader, and fit the image and the stacks around them.
@Suite struct DeploymentConfigurationTests {
    static let files = ["processor.yaml", "processor-secure.yaml"]

    @Test(arguments: files)
    func loadsAndFitsTheImageAndTheComposeStack(file: String) throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Docker/config/\(file)"), encoding: .utf8)
        let secretsRead = SecretsRead()
        let configuration = try SluiceConfiguration.parse(
            yaml: text, environment: ["KAFKA_USERNAME": "sluice"], readFile: { path in secretsRead.append(path); return "pa55-word" }
        )
        // Where Docker/Dockerfile puts the model, and where its health check and Prometheus look.
        #expect(configuration.model.path == "/etc/sluice/model.onnx")
        #expect(configuration.http.listen == "0.0.0.0:9464")
        let compose = try String(contentsOf: repositoryRoot.appendingPathComponent("Docker/compose.yaml"), encoding: .utf8)
        let secureCompose = try String(contentsOf: repositoryRoot.appendingPathComponent("Docker/compose.secure.yaml"), encoding: .utf8)
        if file == "processor.yaml" {
            for broker in configuration.kafka.bootstrap.split(separator: ",") {
                let service = broker.split(separator: ":")[0]
                #expect(compose.contains("\n  \(service):\n"), "\(service) is not a service of compose.yaml")
            }
        }
        for path in secretsRead.paths {
            #expect(path.hasPrefix("/run/secrets/"), "\(path) is not where compose mounts secrets")
            let name = String(path.dropFirst("/run/secrets/".count))
            #expect(secureCompose.contains("\n  \(name):\n    file: "), "\(name) is not a secret of compose.secure.yaml")
        }
        if let password = configuration.kafka.properties["sasl.password"] {
            #expect(password == "pa55-word")
            #expect(!configuration.redactedYAML.contains(password))
        }
    }

    @Test func configCheckReportsEachInvalidFileAndExitsTwo() throws {
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-broken-\(UUID().uuidString).yaml")
        try "features: [{path: amount}]\nbatching: {max_size: 0}\n".write(to: broken, atomically: true, encoding: .utf8)

        let run = try SluiceExecutable.run(["config", "check", "--placeholder-secrets", "Docker/config/processor-secure.yaml", broken.path])

        #expect(run.status == 2)
        #expect(run.lines.first?.hasPrefix("Docker/config/processor-secure.yaml: valid") == true, "\(run.standardOutput)")
        #expect(run.lines.last?.contains("batching.max_size: must be between 1 and 65536, got 0") == true, "\(run.standardOutput)")
    }
}

/// The secret files a configuration read, in order.
private final class SecretsRead: @unchecked Sendable {
    // Appended to only by the loader, synchronously, on the test's thread.
    private(set) var paths: [String] = []

    func append(_ path: String) { paths.append(path) }
}
