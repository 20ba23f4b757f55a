import SluiceCommandLine
import ArgumentParser
import SluicePipeline

/// The `sluice` command line: a streaming inference processor for Kafka.
@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A streaming inference processor for Kafka.",
        discussion: """
            Sluice consumes events from Kafka topics, scores them with an ONNX model on its own \
            compute kernels, and writes a prediction and an audit record for every event; events it \
            cannot process go to a dead-letter topic with the reason.

            Every command reports a problem as one "error: …" line on standard error and exits \
            with 0 when it succeeded, 1 on a failure while running, 2 for an invalid command \
            line, configuration, topic definition or model, and 3 when the Kafka cluster could \
            not be reached (`topics apply`, and `run` after kafka.connect_timeout). Shell \
            completion: `sluice --generate-completion-script bash|zsh|fish`.
            """,
        version: SluiceVersion.current,
        subcommands: [
            RunCommand.self, DemoCommand.self, BrokerCommand.self, ScoreCommand.self, ModelCommand.self,
            TopicsCommand.self, GenerateCommand.self, ConfigCommand.self, TailCommand.self, ProfileCommand.self, AuditCommand.self,
        ]
    )

    /// Parses and runs the command, reporting every error in one style: `error: …` on standard
    /// error with ``CommandExit`` statuses; help and `--version` go to standard output.
    static func main() async {
        let command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(reporting: error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
        } catch let error as ExitCode {
            exit(withError: error)
        } catch {
            exit(reporting: error)
        }
    }

    /// Help and `--version` as ArgumentParser prints them; anything else as an error line, with
    /// the usage when the command line was at fault.
    private static func exit(reporting error: any Error) -> Never {
        let code = exitCode(for: error)
        if code == .success { exit(withError: error) }
        if code == .validationFailure {
            var message = fullMessage(for: error)
            if message.hasPrefix("Error: ") { message = "error: " + message.dropFirst("Error: ".count) }
            printError(message)
            exit(withError: CommandExit.invalid)
        }
        printError("error: \(error)")
        exit(withError: CommandExit.failure)
    }
}

/// The exit statuses every `sluice` command uses.
enum CommandExit {
    /// A failure while running.
    static let failure = ExitCode(1)
    /// An invalid command line, configuration, topic definition or model.
    static let invalid = ExitCode(2)
    /// The Kafka cluster could not be reached.
    static let unreachable = ExitCode(3)
}
