import SluiceKafka
import SluiceTime

extension SluiceConfiguration {
    /// Whether a librdkafka property holds a secret, by its name.
    public static func isSecret(property key: String) -> Bool {
        KafkaSecretProperty.contains(key)
    }

    /// The configuration in effect, as YAML, with secret property values replaced by `<redacted>`:
    /// safe to log or print at start.
    public var redactedYAML: String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\""
        }
        func number(_ value: Float) -> String { value.isNaN ? ".nan" : value.description }
        var lines = [
            "kafka:", "  bootstrap: \(quoted(kafka.bootstrap))", "  group: \(quoted(kafka.group))",
            "  commit_interval_ms: \(kafka.commitIntervalMilliseconds)",
            "  connect_timeout: \(kafka.connectTimeout.map(Self.durationText) ?? "off")",
        ]
        if kafka.properties.isEmpty {
            lines.append("  properties: {}")
        } else {
            lines.append("  properties:")
            for key in kafka.properties.keys.sorted() {
                lines.append("    \(quoted(key)): \(Self.isSecret(property: key) ? "<redacted>" : quoted(kafka.properties[key]!))")
            }
        }
        lines.append("input: {topics: [\(input.topics.map(quoted).joined(separator: ", "))], format: \(input.format.rawValue)\(input.schemaDescription)}")
        lines.append(features.isEmpty && inputFeatures.isEmpty ? "features: null" : "features:")
        lines += inputFeatureLines(quoted: quoted)
        for feature in features {
            var fields = ["path: \(quoted(feature.path))"]
            if let length = feature.length { fields.append("length: \(length)") }
            if let value = feature.defaultValue { fields.append("default: \(number(value))") }
            lines.append("  - {\(fields.joined(separator: ", "))}")
        }
        lines.append(
            "model: {path: \(quoted(model.path)), name: \(quoted(model.effectiveName)), version: \(model.version.map(quoted) ?? "null")"
                + "\(model.lifecycleDescription(quoted: quoted))}"
        )
        lines.append("batching: {max_size: \(batching.maxSize), max_delay_ms: \(batching.maxDelayMilliseconds)}")
        lines.append("backpressure: {max_in_flight: \(backpressure.maxInFlight), resume_at: \(backpressure.resumeAt), pause_after_ms: \(backpressure.pauseAfterMilliseconds)}")
        lines.append(
            "outputs: {predictions: \(quoted(outputs.predictions)), audit: \(quoted(outputs.audit)), dead_letter: \(quoted(deadLetterTopic)), on_rejected: \(outputs.onRejected.rawValue)}"
        )
        if delivery == .exactlyOnce {
            lines.append("delivery: {guarantee: \(delivery.rawValue), transaction_ms: \(transactionMilliseconds)}")
        } else {
            lines.append("delivery: \(delivery.rawValue)")
        }
        lines.append("http: {listen: \(quoted(http.listen)), enabled: \(http.isEnabled), stall_timeout_ms: \(http.stallTimeoutMilliseconds)}")
        if let explanations {
            lines.append("audit: {explain: {top: \(explanations.top), profile: \(explanations.profile.map(quoted) ?? "null")}}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `90s`, or `1500ms` when not whole seconds: a value `kafka.connect_timeout` reads back.
    static func durationText(_ duration: Duration) -> String {
        let milliseconds = duration.wholeMilliseconds
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}
