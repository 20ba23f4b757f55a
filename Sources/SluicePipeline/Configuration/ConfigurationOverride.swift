/// A value set from the command line over the file's, e.g. `--bootstrap` for `kafka.bootstrap`.
/// It is read and validated exactly like the file's value, and errors name the flag.
public struct ConfigurationOverride: Sendable, Hashable {
    /// The dotted path of the field, e.g. `kafka.bootstrap` or `kafka.properties.sasl.username`
    /// (under `kafka.properties` the rest of the path is one key).
    public var field: String
    /// The value, as YAML: `events`, `[a, b]`, `128`.
    public var value: String
    /// Where it came from, for messages, e.g. `--bootstrap`.
    public var source: String

    public init(field: String, value: String, source: String) {
        self.field = field
        self.value = value
        self.source = source
    }

    public static func bootstrap(_ value: String) -> Self { .init(field: "kafka.bootstrap", value: value, source: "--bootstrap") }
    public static func group(_ value: String) -> Self { .init(field: "kafka.group", value: value, source: "--group") }
    public static func model(_ path: String) -> Self { .init(field: "model.path", value: path, source: "--model") }
    public static func inputTopics(_ topics: [String]) -> Self {
        .init(field: "input.topics", value: "[\(topics.map { "'\($0)'" }.joined(separator: ", "))]", source: "--topics")
    }
    /// `--property key=value`, a librdkafka property.
    public static func property(_ key: String, _ value: String) -> Self {
        .init(field: "kafka.properties.\(key)", value: "'\(value.replacingOccurrences(of: "'", with: "''"))'", source: "--property \(key)")
    }
}
