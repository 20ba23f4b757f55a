import ArgumentParser
import SluiceCommandLine
import SluicePipeline

/// Where and how to connect to Kafka, for the commands that are not the processor: brokers and
/// librdkafka properties from the flags, or from a processor configuration's `kafka:` section
/// (so TLS and SASL settings, with their `${ENV}` and `${file:…}` secrets, are written once).
struct KafkaConnectionOptions: ParsableArguments {
    @Option(help: "Brokers to bootstrap from, host:port[,host:port…] (overrides the configuration's kafka.bootstrap).")
    var bootstrap: String?

    @Option(
        name: .customLong("config"),
        help: "A processor configuration (YAML) whose kafka.bootstrap and kafka.properties are used."
    )
    var configurationPath: String?

    @OptionGroup var propertyOptions: PropertyOptions

    func validate() throws {
        guard bootstrap != nil || configurationPath != nil else {
            throw ValidationError("give --bootstrap or --config")
        }
    }

    /// The brokers and properties in effect; an invalid configuration file is reported on
    /// standard error and exits 2.
    func resolve() throws -> (bootstrap: String, properties: [String: String]) {
        guard let configurationPath else {
            return (bootstrap!, Dictionary(propertyOptions.pairs.map { ($0.key, $0.value) }) { _, last in last })
        }
        var overrides = propertyOptions.overrides
        if let bootstrap { overrides.append(.bootstrap(bootstrap)) }
        do {
            let configuration = try SluiceConfiguration.load(path: configurationPath, overrides: overrides)
            return (configuration.kafka.bootstrap, configuration.kafka.properties)
        } catch {
            printError("error: invalid configuration \(configurationPath): \(error)")
            throw ExitCode(2)
        }
    }
}
