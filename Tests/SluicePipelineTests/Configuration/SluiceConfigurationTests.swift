import Foundation
import Testing
@testable import SluicePipeline

@Suite struct SluiceConfigurationTests {
    static let designExample = """
        kafka:
          bootstrap: localhost:9092
          group: sluice-fraud
          properties: {}            # passed to librdkafka as is (security.protocol, sasl.*, ssl.*)
        input: {topics: [events], format: json}
        features:                   # ordered; they make the model's float input row
          - {path: amount}
          - {path: features, length: 16}      # a JSON array expands in place
          - {path: merchant_risk, default: 0} # no default ⇒ a missing field sends the event to dead letter
        model: {path: Models/fraud-mlp.onnx, name: fraud, version: "1"}
        batching: {max_size: 256, max_delay_ms: 2}
        backpressure: {max_in_flight: 20000, resume_at: 10000}
        outputs: {predictions: predictions, audit: audit, dead_letter: events.dlq}
        delivery: at_least_once     # or exactly_once
        http: {listen: 127.0.0.1:9464}
        """

    func failure(_ yaml: String, overrides: [ConfigurationOverride] = [], environment: [String: String] = [:]) -> String? {
        do {
            _ = try SluiceConfiguration.parse(yaml: yaml, overrides: overrides, environment: environment)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func readsTheDesignDocumentsExample() throws {
        let configuration = try SluiceConfiguration.parse(yaml: Self.designExample)
        #expect(configuration.kafka.group == "sluice-fraud")
        #expect(configuration.input.topics == ["events"])
        #expect(
            configuration.features == [
                .init(path: "amount"), .init(path: "features", length: 16), .init(path: "merchant_risk", defaultValue: 0),
            ]
        )
        #expect(configuration.featureSpec.width == 18)
        #expect(configuration.model.path == "Models/fraud-mlp.onnx")
        #expect(configuration.model.effectiveName == "fraud")
        #expect(configuration.model.version == "1")
        #expect(configuration.batching.maxSize == 256)
        #expect(configuration.batching.maxDelay == .milliseconds(2))
        #expect(configuration.backpressure.maxInFlight == 20_000)
        #expect(configuration.deadLetterTopic == "events.dlq")
        #expect(configuration.delivery == .atLeastOnce)
    }

    @Test func fillsEveryOmittedFieldWithItsDefault() throws {
        let configuration = try SluiceConfiguration.parse(yaml: "features: [{path: x}]\nmodel: {path: m/churn.v2.onnx}")
        var expected = SluiceConfiguration()
        expected.features = [.init(path: "x")]
        expected.model.path = "m/churn.v2.onnx"
        #expect(configuration == expected)
        #expect(configuration.model.effectiveName == "churn")
        #expect(configuration.deadLetterTopic == "events.dlq")
        #expect(configuration.batching.maxSize == 256)
    }

    @Test func rejectsOutOfRangeValuesNamingTheFieldAndLine() {
        #expect(
            failure("features: [{path: x}]\nbatching:\n  max_size: 0\n")
                == "batching.max_size: must be between 1 and 65536, got 0 (line 3)"
        )
        #expect(failure("features: [{path: x}]\nbatching: {max_delay_ms: -1}") == "batching.max_delay_ms: must be between 0 and 10000, got -1 (line 2)")
        #expect(failure("features: [{path: x}]\nbatching: {max_size: lots}") == "batching.max_size: expected an integer, got 'lots' (line 2)")
        #expect(failure("features: [{path: x, length: 0}]") == "features[0].length: must be between 1 and 1000000, got 0 (line 1)")
    }

    @Test func connectTimeoutTakesADurationWithItsUnitAndZeroOrOffForNone() throws {
        func timeout(_ value: String) throws -> Duration? {
            try SluiceConfiguration.parse(yaml: "kafka: {connect_timeout: \(value)}\nfeatures: [{path: x}]").kafka.connectTimeout
        }
        #expect(try SluiceConfiguration.parse(yaml: "features: [{path: x}]").kafka.connectTimeout == .seconds(60))
        #expect(try timeout("30s") == .seconds(30))
        #expect(try timeout("2m") == .seconds(120))
        #expect(try timeout("500ms") == .milliseconds(500))
        #expect(try timeout("1.5") == .milliseconds(1500))
        #expect(try timeout("0") == nil)
        #expect(try timeout("off") == nil)
        #expect(
            failure("kafka: {connect_timeout: soon}\nfeatures: [{path: x}]")
                == "kafka.connect_timeout: expected a duration such as 30s, 2m or 500ms (0 or off for none), got 'soon' (line 1)"
        )
    }

    @Test func rejectsUnknownKeysSuggestingTheClosest() {
        #expect(
            failure("kafka: {boostrap: x:1}\nfeatures: [{path: x}]")
                == "kafka.boostrap: unknown key; did you mean 'bootstrap'? (expected one of: bootstrap, group, commit_interval_ms, properties, connect_timeout) (line 1)"
        )
        #expect(failure("featurs: []")?.hasPrefix("featurs: unknown key; did you mean 'features'?") == true)
        #expect(failure("features: [{path: x, lenght: 2}]")?.hasPrefix("features[0].lenght: unknown key; did you mean 'length'?") == true)
        #expect(failure("features: [{path: x}]\ndelivery: exactly-once")?.contains("did you mean 'exactly_once'?") == true)
    }

    @Test func rejectsValuesThatDoNotFitTogether() {
        let base = "features: [{path: x}]\n"
        #expect(failure(base) == nil)
        // Without `features:`, each model input is read from the event field of its name.
        #expect(failure("") == nil)
        #expect(
            failure(base + "backpressure: {max_in_flight: 100, resume_at: 100}")
                == "backpressure.resume_at: must be below backpressure.max_in_flight (100), got 100 (line 2)"
        )
        #expect(
            failure(base + "backpressure: {max_in_flight: 100, resume_at: 10}")
                == "backpressure.max_in_flight: must be at least batching.max_size (256), got 100 (line 2)"
        )
        #expect(failure(base + "outputs: {audit: events}") == "outputs.audit: 'events' is also an input topic: Sluice would consume its own output (line 2)")
        #expect(failure(base + "outputs: {audit: predictions}") == "outputs.audit: 'predictions' is also outputs.predictions (line 2)")
        #expect(failure(base + "input: {topics: [a, 'b c']}") == "input.topics[1]: 'b c' is not a valid topic name (1 to 249 of a-z, A-Z, 0-9, '.', '_', '-') (line 2)")
        #expect(failure(base + "kafka: {bootstrap: 'a:9092,b'}") == "kafka.bootstrap: expected host:port, got 'b' (line 2)")
        #expect(
            failure(base + "kafka: {properties: {enable.auto.commit: true}}")
                == "kafka.properties.enable.auto.commit: not allowed: Sluice commits offsets itself, once outputs are acknowledged (line 2)"
        )
        #expect(failure("features: [{path: a}, {path: a.b}]")?.hasPrefix("features[1].path: 'a.b' clashes with features[0].path") == true)
    }

    @Test func appliesCommandLineOverridesOverTheFile() throws {
        let configuration = try SluiceConfiguration.parse(
            yaml: Self.designExample,
            overrides: [.bootstrap("broker-1:9093,broker-2:9093"), .group("other"), .model("/models/x.onnx"), .inputTopics(["a", "b"]),
                .property("security.protocol", "SASL_SSL")]
        )
        #expect(configuration.kafka.bootstrap == "broker-1:9093,broker-2:9093")
        #expect(configuration.kafka.group == "other")
        #expect(configuration.model.path == "/models/x.onnx")
        #expect(configuration.input.topics == ["a", "b"])
        #expect(configuration.kafka.properties == ["security.protocol": "SASL_SSL"])
        #expect(failure(Self.designExample, overrides: [.bootstrap("nope")]) == "kafka.bootstrap: expected host:port, got 'nope' (from --bootstrap)")
        let fromNothing = try SluiceConfiguration.parse(yaml: "", overrides: [.init(field: "features", value: "[{path: x}]", source: "--features")])
        #expect(fromNothing.features == [.init(path: "x")])
    }

    @Test func expandsSecretsFromTheEnvironmentAndFiles() throws {
        let secretFile = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-secret-\(UUID().uuidString)")
        try Data("s3cr3t\n".utf8).write(to: secretFile)
        defer { try? FileManager.default.removeItem(at: secretFile) }
        let yaml = """
            features: [{path: x}]
            kafka:
              bootstrap: ${BROKERS}
              properties:
                sasl.username: sluice
                sasl.password: ${SASL_PASSWORD}
                ssl.key.password: "${file:\(secretFile.path)}"
                note: "costs $$5"
            """
        let configuration = try SluiceConfiguration.parse(yaml: yaml, environment: ["BROKERS": "k1:9092", "SASL_PASSWORD": "hunter2"])
        #expect(configuration.kafka.bootstrap == "k1:9092")
        #expect(configuration.kafka.properties["sasl.password"] == "hunter2")
        #expect(configuration.kafka.properties["ssl.key.password"] == "s3cr3t")
        #expect(configuration.kafka.properties["note"] == "costs $5")
        #expect(
            failure(yaml, environment: ["BROKERS": "k1:9092"])
                == "kafka.properties.sasl.password: environment variable SASL_PASSWORD is not set (line 6)"
        )
    }

    @Test func redactsSecretsWhenPrintingTheEffectiveConfiguration() throws {
        let yaml = Self.designExample.replacingOccurrences(
            of: "properties: {}",
            with: "properties: {sasl.password: hunter2, ssl.keystore.password: pw2, sasl.jaas.config: 'x password=pw3', security.protocol: SASL_SSL}"
        )
        let configuration = try SluiceConfiguration.parse(yaml: yaml)
        let printed = configuration.redactedYAML
        for secret in ["hunter2", "pw2", "pw3"] {
            #expect(!printed.contains(secret))
        }
        #expect(printed.contains(#""security.protocol": "SASL_SSL""#))
        #expect(printed.contains(#""sasl.password": <redacted>"#))
    }

    @Test func printsAConfigurationThatReadsBackTheSame() throws {
        let configuration = try SluiceConfiguration.parse(yaml: Self.designExample, overrides: [.property("client.id", "a \"quoted\" id")])
        let reread = try SluiceConfiguration.parse(yaml: configuration.redactedYAML)
        #expect(reread.kafka == configuration.kafka)
        #expect(reread.features == configuration.features)
        #expect(reread.batching == configuration.batching)
        #expect(reread.outputs.predictions == configuration.outputs.predictions)
        #expect(reread.deadLetterTopic == configuration.deadLetterTopic)
    }

    @Test func loadsFromAFileAndNamesAMissingOne() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-\(UUID().uuidString).yaml")
        try Data(Self.designExample.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try SluiceConfiguration.load(path: file.path).kafka.group == "sluice-fraud")
        #expect(throws: ConfigurationError.self) { try SluiceConfiguration.load(path: "/nonexistent/sluice.yaml") }
    }
}
