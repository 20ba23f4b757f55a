import ArgumentParser
import SluicePipeline

/// `--property key=value`, repeatable: librdkafka properties over the configuration's
/// `kafka.properties`.
public struct PropertyOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("property"), help: "A librdkafka property as key=value (kafka.properties), over the configuration file's; repeatable.")
    public var properties: [String] = []

    public init() {}

    public func validate() throws {
        for property in properties where !property.contains("=") {
            throw ValidationError("--property \(property): expected key=value")
        }
    }

    /// Each flag's key and value, split at the first `=` (the value may contain more).
    public var pairs: [(key: String, value: String)] {
        properties.map { property in
            let equals = property.firstIndex(of: "=")!
            return (String(property[..<equals]), String(property[property.index(after: equals)...]))
        }
    }

    /// The overrides these flags make.
    public var overrides: [ConfigurationOverride] {
        pairs.map { ConfigurationOverride.property($0.key, $0.value) }
    }
}
