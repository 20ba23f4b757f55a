import ArgumentParser
import SluicePipeline

/// `--property key=value`, repeatable: librdkafka properties over the configuration's
/// `kafka.properties`.
struct PropertyOptions: ParsableArguments {
    @Option(name: .customLong("property"), help: "A librdkafka property as key=value (kafka.properties), over the configuration file's; repeatable.")
    var properties: [String] = []

    func validate() throws {
        for property in properties where !property.contains("=") {
            throw ValidationError("--property \(property): expected key=value")
        }
    }

    /// Each flag's key and value, split at the first `=` (the value may contain more).
    var pairs: [(key: String, value: String)] {
        properties.map { property in
            let equals = property.firstIndex(of: "=")!
            return (String(property[..<equals]), String(property[property.index(after: equals)...]))
        }
    }

    /// The overrides these flags make.
    var overrides: [ConfigurationOverride] {
        pairs.map { ConfigurationOverride.property($0.key, $0.value) }
    }
}
