import ArgumentParser

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
            """,
        subcommands: [
            RunCommand.self, DemoCommand.self, BrokerCommand.self, ScoreCommand.self, ModelCommand.self,
            TopicsCommand.self, GenerateCommand.self, ConfigCommand.self,
        ]
    )
}
