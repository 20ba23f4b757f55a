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
            checks that the features fit its input, with the messages `sluice run` would give. \
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
        let summary = "group \(configuration.kafka.group), input \(configuration.input.topics.joined(separator: ",")), "
            + "\(configuration.features.count) features, model \(configuration.model.path), http \(configuration.http.listen)"
        if placeholderSecrets, !FileManager.default.fileExists(atPath: configuration.model.path) {
            return "valid (\(summary); the model is not on this machine and was not checked)"
        }
        let loaded = try ModelFile.load(configuration.model.path)
        _ = try configuration.preflightCheck(model: loaded)
        guard let canary = configuration.model.canary else { return "valid (\(summary))" }
        // As `sluice run` checks it: the canary's answers are acted on.
        _ = try ModelCandidate.prepareCanary(configuration: configuration)
        return "valid (\(summary), canary \(canary.path) on \(canary.percent)% of the events)"
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
