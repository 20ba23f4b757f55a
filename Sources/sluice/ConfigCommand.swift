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

/// `sluice config check`: loads configuration files exactly as `sluice run` does.
struct ConfigCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Loads each configuration file as `sluice run` would and reports the first problem in each.",
        discussion: """
            Secret references (${NAME}, ${file:PATH}) are resolved from this environment and file \
            system unless --placeholder-secrets is given, which checks them without reading them, \
            for files meant for another machine (a container's). The model file is not opened. \
            Exit status: 0 all valid, 2 some file invalid.
            """
    )

    @Flag(help: "Substitute a placeholder for every secret reference instead of resolving it.")
    var placeholderSecrets = false

    @Argument(help: "Configuration files (YAML).")
    var files: [String]

    func run() throws {
        var invalid = 0
        for file in files {
            do {
                let configuration = try load(file)
                print(
                    "\(file): valid (group \(configuration.kafka.group), input \(configuration.input.topics.joined(separator: ",")), "
                        + "\(configuration.features.count) features, model \(configuration.model.path), http \(configuration.http.listen))"
                )
            } catch {
                print("\(file): \(error)")
                invalid += 1
            }
        }
        if invalid > 0 { throw ExitCode(2) }
    }

    private func load(_ file: String) throws -> SluiceConfiguration {
        guard placeholderSecrets else { return try SluiceConfiguration.load(path: file) }
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        for name in Self.environmentReferences(in: text) where environment[name] == nil {
            environment[name] = "placeholder"
        }
        return try SluiceConfiguration.parse(yaml: text, environment: environment, readFile: { _ in "placeholder" })
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
