import Foundation
import Logging
import SluiceKafka
import SluiceObservability
import SluicePipeline
import Testing

/// Secrets from the configuration never reach a log line or a printed configuration.
struct SecretRedactionTests {
    let environmentSecret = "env-s3cret-\(UUID().uuidString)"
    let fileSecret = "file-s3cret-\(UUID().uuidString)"
    let literalSecret = "literal-s3cret-\(UUID().uuidString)"

    func configurationWithSecrets() throws -> SluiceConfiguration {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)")
        try Data((fileSecret + "\n").utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try SluiceConfiguration.parse(
            yaml: """
                kafka:
                  bootstrap: broker:9093
                  properties:
                    security.protocol: SASL_SSL
                    sasl.mechanism: PLAIN
                    sasl.username: sluice-user
                    sasl.password: ${SLUICE_TEST_PASSWORD}
                    ssl.key.password: ${file:\(file.path)}
                    sasl.oauthbearer.client.secret: \(literalSecret)
                features: [{path: amount}]
                """,
            environment: ["SLUICE_TEST_PASSWORD": environmentSecret]
        )
    }

    var secrets: [String] { [environmentSecret, fileSecret, literalSecret] }

    @Test func theLoggedEffectiveConfigurationRedactsEverySecretAndKeepsTheRest() throws {
        let configuration = try configurationWithSecrets()
        #expect(configuration.kafka.properties["sasl.password"] == environmentSecret, "the secret itself is in effect")
        let capture = LogCapture()
        var logger = Logger(label: "sluice") { JSONLogHandler(label: $0, write: capture.append) }
        logger.logLevel = .info
        Observability.logEffectiveConfiguration(configuration, logger: logger)

        let logged = capture.text
        let printed = configuration.redactedYAML
        for secret in secrets {
            #expect(!logged.contains(secret))
            #expect(!printed.contains(secret))
        }
        #expect(logged.contains("sluice-user") && logged.contains("SASL_SSL"), "the rest is printed")
        #expect(logged.components(separatedBy: "<redacted>").count - 1 == 3)
        let line = try JSONSerialization.jsonObject(with: Data(logged.utf8)) as? [String: Any]
        let message = try #require(line?["message"] as? String)
        #expect(message.hasPrefix("effective configuration (secrets redacted):\n  kafka:\n"), "the YAML is indented below the message")
        #expect(message.contains("\n    bootstrap: \"broker:9093\"\n"), "one YAML line per line, readable")
    }

    @Test func aRejectedSecretPropertyIsNamedWithoutItsValue() throws {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: "127.0.0.1:1", groupID: "g")
        configuration.properties = ["sasl.passwordd": literalSecret]
        do {
            _ = try KafkaConsumer(configuration: configuration, logger: silentLogger)
            Issue.record("librdkafka accepted an unknown property")
        } catch {
            #expect("\(error)".contains("sasl.passwordd"))
            #expect(!"\(error)".contains(literalSecret))
        }
    }
}
