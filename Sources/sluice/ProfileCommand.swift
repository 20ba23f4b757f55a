import ArgumentParser
import Foundation
import SluiceCommandLine
import SluicePipeline

/// `sluice profile --config FILE --data FILE`: the reference profile that `monitoring.profile` compares the stream with.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Writes a reference profile of a data set for drift monitoring.",
        discussion: """
            Decodes every event of the data file exactly as `sluice run` would with the \
            configuration's features (JSON lines of events, or CSV whose header names each column \
            by a feature path), scores them with the configuration's model, and writes a profile: \
            per feature and per numeric output the missing rate, the range and quantile bins, and \
            the model's SHA-256. Events `sluice run` would dead-letter are left out and counted on \
            standard error. Exit status: 0 written, 1 reading, scoring or writing failed, 2 invalid \
            configuration, model or data.
            """
    )

    @Option(name: .customLong("config"), help: "The configuration file (YAML).")
    var configurationPath: String

    @Option(help: "The data: JSON lines of events, or CSV (by a .csv extension).")
    var data: String

    @Option(help: "Where to write the profile (JSON); standard output when absent.")
    var output: String?

    func run() throws {
        var builder: ProfileBuilder
        do {
            var configuration = try SluiceConfiguration.load(path: configurationPath)
            // The profile this command writes may be the one `monitoring.profile` or
            // `audit.explain.profile` names: not checked here.
            configuration.monitoring = nil
            configuration.explanations = nil
            let model = try ModelFile.load(configuration.model.path)
            builder = ProfileBuilder(decoder: try configuration.preflightCheck(model: model), model: model)
        } catch {
            printError("error: \(error)")
            throw CommandExit.invalid
        }
        let profile: ReferenceProfile
        do {
            let text = try String(contentsOfFile: data, encoding: .utf8)
            var lines = text.split(whereSeparator: \.isNewline)[...]
            let csv = data.lowercased().hasSuffix(".csv")
            let events = csv ? try lines.popFirst().map(CSVEvents.init(headerLine:)) : nil
            for line in lines where !line.allSatisfy(\.isWhitespace) {
                var event = try events.map { try $0.event(line: line) } ?? String(line)
                try event.withUTF8 { try builder.add(event: UnsafeRawBufferPointer($0)) }
            }
            profile = try builder.finish()
        } catch let error as ProfileError {
            printError("error: \(data): \(error)")
            throw CommandExit.invalid
        } catch {
            printError("error: \(error)")
            throw CommandExit.failure
        }
        if builder.rejected > 0 {
            printError("\(builder.rejected) events left out, as sluice run would dead-letter them; first: "
                + builder.firstRejections.joined(separator: "; "))
        }
        do {
            let json = try profile.jsonData()
            if let output { try json.write(to: URL(fileURLWithPath: output)) } else { FileHandle.standardOutput.write(json) }
        } catch {
            printError("error: cannot write the profile: \(error)")
            throw CommandExit.failure
        }
        printError("profiled \(profile.rows) events: \(profile.features.count) feature columns, \(profile.outputs.count) output columns")
    }
}
