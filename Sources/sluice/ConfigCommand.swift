import ArgumentParser
import Foundation
import SluicePipeline

/// `sluice config`: processor configuration files.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Checks processor configuration files.",
        subcommands: [ConfigCheckCommand.self]
    )
}

/// `sluice config check`: every check `sluice run` makes before it connects.
struct ConfigCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Checks each configuration file as `sluice run` would before connecting, and reports the first problem in each.",
        discussion: """
            Loads each file exactly as `sluice run` does (relative paths from the file's \
            directory), has librdkafka check every kafka.properties entry, loads the model and \
            checks that the features fit its inputs, and reads an Avro or Protobuf input's local \
            schema, with the messages `sluice run` would give. \
            Secret references (${NAME}, ${file:PATH}) are resolved from this environment and file \
            system unless --placeholder-secrets is given, which checks them without reading them, \
            for files meant for another machine (a container's); a model file that is not on this \
            machine is then skipped, or checked from --model. \
            Exit status: 0 all valid, 2 some file invalid.
            """
    )

    @Flag(help: "Substitute a placeholder for every secret reference instead of resolving it, and skip a model file that is not on this machine.")
    var placeholderSecrets = false

    @Option(help: "Check against this ONNX model instead of each file's model.path.")
    var model: String?

    @Argument(help: "Configuration files (YAML).")
    var files: [String]

    func run() throws {
        var invalid = 0
        for file in files {
            do {
                print("\(file): \(try check(file))")
            } catch {
                print("\(file): \(error)")
                invalid += 1
            }
        }
        if invalid > 0 { throw CommandExit.invalid }
    }

    /// What `sluice run` would check before connecting; the summary of a valid file.
    private func check(_ file: String) throws -> String {
        let configuration = try load(file)
        try configuration.checkKafkaProperties()
        func summary(_ features: String) -> String {
            "group \(configuration.kafka.group), input \(configuration.input.topics.joined(separator: ","))\(Self.formatSummary(configuration.input)), "
                + "\(features), model \(configuration.model.path), http \(configuration.http.listen)"
        }
        if placeholderSecrets, !FileManager.default.fileExists(atPath: configuration.model.path) {
            return "valid (\(summary(Self.featureSummary(configuration))); the model is not on this machine and was not checked)"
        }
        let loaded = try ModelFile.load(configuration.model.path)
        let decoder = try configuration.preflightCheck(model: loaded)
        _ = try EventSchemas.make(for: configuration.input, features: decoder, readFile: { try [UInt8](Data(contentsOf: URL(fileURLWithPath: $0))) })
        let valid = "valid (\(summary(Self.featureSummary(configuration, decoder: decoder)))"
        guard let canary = configuration.model.canary else { return valid + ")" }
        // As `sluice run` checks it: the canary's answers are acted on.
        _ = try ModelCandidate.prepareCanary(configuration: configuration)
        return valid + ", canary \(canary.path) on \(canary.percent)% of the events)"
    }

    /// The input format, when not JSON, and where its schemas come from.
    static func formatSummary(_ input: SluiceConfiguration.Input) -> String {
        guard input.format != .json else { return "" }
        let source = input.schemaRegistry.map { "schema registry \($0.url)" } ?? (input.schema.map { "schema \($0)" } ?? "")
        let message = input.message.map { ", message \($0)" } ?? ""
        return " (\(input.format.rawValue), \(source)\(message)\(input.framing == .confluent ? ", Confluent framing" : ""))"
    }

    /// What fills the model's inputs: the features of the list form, or each input's name, type
    /// and fields once the model has been checked (the mapping form, or each input from the field
    /// of its name).
    static func featureSummary(_ configuration: SluiceConfiguration, decoder: FeatureDecoder? = nil) -> String {
        if !configuration.features.isEmpty { return "\(configuration.features.count) features" }
        guard let decoder else {
            let inputs = configuration.inputFeatures
            return inputs.isEmpty
                ? "each model input from the field of its name"
                : "\(inputs.count) inputs from \(inputs.reduce(0) { $0 + $1.features.features.count }) fields"
        }
        let inputs = decoder.inputs.map { input in
            "\(input.name): \(input.elementType) from \(input.features.features.map(\.path).joined(separator: ", "))"
        }
        return "\(decoder.inputs.count) input\(decoder.inputs.count == 1 ? "" : "s") (\(inputs.joined(separator: "; ")))"
    }

    private func load(_ file: String) throws -> SluiceConfiguration {
        let overrides = model.map { [ConfigurationOverride.model($0)] } ?? []
        guard placeholderSecrets else { return try SluiceConfiguration.load(path: file, overrides: overrides) }
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        for name in Self.environmentReferences(in: text) where environment[name] == nil {
            environment[name] = "placeholder"
        }
        return try SluiceConfiguration.load(path: file, overrides: overrides, environment: environment, readFile: { _ in "placeholder" })
    }

    /// The names of the `${NAME}` references in `text`.
    static func environmentReferences(in text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = text[...]
        while let start = rest.range(of: "${") {
            rest = rest[start.upperBound...]
            guard let close = rest.firstIndex(of: "}") else { break }
            let name = rest[..<close]
            if !name.hasPrefix("file:") { names.insert(String(name)) }
            rest = rest[close...]
        }
        return names
    }
}
